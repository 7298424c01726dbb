package dev.pmulab.kvm;

import static dev.pmulab.hw.PmuRegister.MDCR_EL2;
import static dev.pmulab.hw.PmuRegister.PMCCFILTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCEID0_EL0;
import static dev.pmulab.hw.PmuRegister.PMCNTENCLR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCNTENSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMCR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVTYPER_EL0;
import static dev.pmulab.hw.PmuRegister.PMINTENSET_EL1;
import static dev.pmulab.hw.PmuRegister.PMOVSCLR_EL0;
import static dev.pmulab.hw.PmuRegister.PMOVSSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMSELR_EL0;
import static dev.pmulab.hw.PmuRegister.PMSWINC_EL0;
import static dev.pmulab.hw.PmuRegister.PMXEVCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMXEVTYPER_EL0;
import static dev.pmulab.hw.regs.PmcrEl0.C;
import static dev.pmulab.hw.regs.PmcrEl0.E;
import static dev.pmulab.hw.regs.PmcrEl0.LC;
import static dev.pmulab.hw.regs.PmcrEl0.P;
import static dev.pmulab.kvm.GuestSyncException.ESR_ELx_EC_UNKNOWN;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_IRQ;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PSCI_0_2;
import static dev.pmulab.kvm.TestHosts.PMU_FEATURES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import org.junit.jupiter.api.Test;

/** The guest's PMU register accesses as KVM emulates them (kvm-vpmu-uapi.md §2.1, §2.3). */
final class GuestPmuRegsTest {
    /**
     * Runs {@code code} as the guest of a fresh one-vCPU VM on {@code host}, set up as the selftests
     * do: a vGICv3, IRQ 23, INIT. (Without an in-kernel irqchip, KVM_RUN would return to userspace
     * whenever the overflow line changed, and the reset values leave overflow and interrupt-enable
     * bits set.)
     */
    private static Vcpu runGuest(KvmHost host, GuestCode code) {
        Vm vm = host.createVm();
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES, code);
        assertThat(vm.createVgicV3(64).init()).isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(23)))
                .isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.getUcall()).isEqualTo(Ucall.DONE);
        return vcpu;
    }

    private static void expectUndefined(Runnable access) {
        assertThatThrownBy(access::run)
                .isInstanceOfSatisfying(
                        GuestSyncException.class, e -> assertThat(e.ec()).isEqualTo(ESR_ELx_EC_UNKNOWN));
    }

    @Test
    void softwareIncrementCountsOnlyEnabledSwIncrCountersUnderPmcrE() {
        runGuest(TestHosts.homogeneous(), g -> {
            g.write(PMCR_EL0, P | C);
            g.write(PMCNTENCLR_EL0, 0xffff_ffffL); // the reset value is UNKNOWN
            g.write(PMEVTYPER_EL0, 0, Events.SW_INCR);
            g.write(PMEVTYPER_EL0, 1, Events.SW_INCR);
            g.write(PMEVTYPER_EL0, 2, Events.INST_RETIRED);
            g.write(PMCNTENSET_EL0, 0b101);
            g.write(PMSWINC_EL0, 0b111);
            assertThat(g.read(PMEVCNTR_EL0, 0)).as("PMCR_EL0.E is 0").isZero();

            g.write(PMCR_EL0, E);
            g.write(PMSWINC_EL0, 0b111);
            assertThat(g.read(PMEVCNTR_EL0, 0)).isEqualTo(1);
            assertThat(g.read(PMEVCNTR_EL0, 1)).as("not enabled").isZero();
            assertThat(g.read(PMEVCNTR_EL0, 2)).as("not SW_INCR").isZero();
        });
    }

    /** A 32-bit wrap sets the overflow bit and increments the odd counter counting CHAIN. */
    @Test
    void softwareIncrementWrapChainsIntoTheOddCounter() {
        runGuest(TestHosts.homogeneous(), g -> {
            g.write(PMCR_EL0, E | P);
            g.write(PMOVSCLR_EL0, 0xffff_ffffL);
            g.write(PMEVTYPER_EL0, 0, Events.SW_INCR);
            g.write(PMEVTYPER_EL0, 1, Events.CHAIN);
            g.write(PMCNTENSET_EL0, 0b11);
            g.write(PMEVCNTR_EL0, 0, 0xffff_ffffL);
            g.write(PMSWINC_EL0, 1);
            assertThat(g.read(PMOVSSET_EL0)).isEqualTo(1);
            assertThat(g.read(PMEVCNTR_EL0, 1)).isEqualTo(1);
            assertThat(g.read(PMEVCNTR_EL0, 0))
                    .as("a PMUv3p5 counter keeps 64 bits")
                    .isEqualTo(0x1_0000_0000L);
        });
    }

    /** With PMCR_EL0.LP a PMUv3p5 counter overflows at 64 bits, so it neither wraps nor chains at 32. */
    @Test
    void longOverflowCounterDoesNotChain() {
        runGuest(TestHosts.homogeneous(), g -> {
            g.write(PMCR_EL0, E | P | (1L << 7));
            g.write(PMOVSCLR_EL0, 0xffff_ffffL);
            g.write(PMEVTYPER_EL0, 0, Events.SW_INCR);
            g.write(PMEVTYPER_EL0, 1, Events.CHAIN);
            g.write(PMCNTENSET_EL0, 0b11);
            g.write(PMEVCNTR_EL0, 0, 0xffff_ffffL);
            g.write(PMSWINC_EL0, 1);
            assertThat(g.read(PMEVCNTR_EL0, 0)).isEqualTo(0x1_0000_0000L);
            assertThat(g.read(PMOVSSET_EL0)).isZero();
            assertThat(g.read(PMEVCNTR_EL0, 1)).isZero();
        });
    }

    @Test
    void pmcrCAndPResetCountersAndAreNotStored() {
        runGuest(TestHosts.homogeneous(), g -> {
            g.write(PMCCNTR_EL0, 100);
            g.write(PMEVCNTR_EL0, 3, 200);
            g.write(PMCR_EL0, P);
            assertThat(g.read(PMCCNTR_EL0)).isEqualTo(100);
            assertThat(g.read(PMEVCNTR_EL0, 3)).isZero();
            g.write(PMCR_EL0, C);
            assertThat(g.read(PMCCNTR_EL0)).isZero();
            assertThat(g.read(PMCR_EL0) & (P | C)).isZero();
        });
    }

    @Test
    void pmcrLpIsClearedByAGuestWithoutPmuV3p5AndLcForcedWithoutAArch32() {
        KvmHost p4 = KvmHost.builder()
                .aarch32El0Supported(false)
                .pmu(new HostPmuDescriptor(
                        "armv8_cortex_a76", 8, new int[] {0}, TestHosts.hardware(6, PmuVersion.P4, Events.CPU_CYCLES)))
                .build();
        runGuest(p4, g -> {
            g.write(PMCR_EL0, 1L << 7);
            assertThat(g.read(PMCR_EL0) & 0xff).isEqualTo(LC);
        });
    }

    /** On PMUv3 (10-bit events) the event field keeps 10 bits; only P and U of the filter bits stick. */
    @Test
    void evtyperKeepsExcludeBitsAndTheGuestsEventBits() {
        KvmHost v80 = KvmHost.builder()
                .pmu(new HostPmuDescriptor(
                        "armv8_cortex_a53", 8, new int[] {0}, TestHosts.hardware(6, PmuVersion.V3, Events.CPU_CYCLES)))
                .build();
        runGuest(v80, g -> {
            g.write(PMEVTYPER_EL0, 0, 0xffff_ffffL);
            assertThat(g.read(PMEVTYPER_EL0, 0)).isEqualTo(0xc000_03ffL);
            assertThat(g.read(PMEVCNTR_EL0, 0)).as("reset_pmevcntr's value").isEqualTo(0xdbad_c0deL);
            g.write(PMEVCNTR_EL0, 0, 0x1_2345_6789L);
            assertThat(g.read(PMEVCNTR_EL0, 0))
                    .as("32-bit counters before PMUv3p5")
                    .isEqualTo(0x2345_6789L);
        });
        runGuest(TestHosts.homogeneous(), g -> {
            g.write(PMEVTYPER_EL0, 0, 0xffff_ffffL);
            assertThat(g.read(PMEVTYPER_EL0, 0)).isEqualTo(0xc000_ffffL);
        });
    }

    /** PMSELR_EL0.SEL = 31 reaches PMCCFILTR_EL0 and, in KVM, the cycle counter. */
    @Test
    void selectingIndex31ReachesTheCycleCounterRegisters() {
        runGuest(TestHosts.homogeneous(), g -> {
            g.write(PMSELR_EL0, 31);
            g.write(PMXEVTYPER_EL0, 1L << 31);
            assertThat(g.read(PMCCFILTR_EL0)).isEqualTo(1L << 31);
            g.write(PMCCNTR_EL0, 77);
            assertThat(g.read(PMXEVCNTR_EL0)).isEqualTo(77);
        });
    }

    @Test
    void readOnlyWriteOnlyAndEl2RegistersAreUndefined() {
        runGuest(TestHosts.homogeneous(), g -> {
            expectUndefined(() -> g.write(PMCEID0_EL0, 0));
            expectUndefined(() -> g.read(PMSWINC_EL0));
            expectUndefined(() -> g.read(MDCR_EL2));
        });
    }

    @Test
    void everyPmuRegisterIsUndefinedWithoutThePmuFeature() {
        Vcpu vcpu = TestHosts.homogeneous().createVm().createVcpu(0, 1L << KVM_ARM_VCPU_PSCI_0_2, g -> {
            expectUndefined(() -> g.read(PMCR_EL0));
            expectUndefined(() -> g.write(PMCNTENSET_EL0, 1));
        });
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.getUcall()).isEqualTo(Ucall.DONE);
    }

    /** The overflow status that drives the interrupt: PMOVSSET & PMINTENSET under PMCR_EL0.E (§2.4). */
    @Test
    void overflowStatusNeedsPmcrEAndTheInterruptEnable() {
        Vcpu vcpu = runGuest(TestHosts.homogeneous(), g -> {
            g.write(PMOVSCLR_EL0, 0xffff_ffffL);
            g.write(PMOVSSET_EL0, 0b100);
        });
        VcpuPmuRegs regs = vcpu.pmuRegs();
        vcpu.setGuestCode(g -> g.write(PMINTENSET_EL1, 0b100));
        assertThat(vcpu.run()).isZero();
        assertThat(regs.overflowStatus()).as("PMCR_EL0.E is 0").isZero();
        vcpu.setGuestCode(g -> g.write(PMCR_EL0, E));
        assertThat(vcpu.run()).isZero();
        assertThat(regs.overflowStatus()).isEqualTo(0b100);
    }

    /**
     * The reset values are reset_unknown's 0x1de7ec7edbadc0de masked to the implemented counters
     * (reset_pmu_reg), so they never show a counter at or above PMCR_EL0.N: with N = 6 the mask is
     * BIT(31) | 0x3f; 0xdbadc0de has bit 31 set and low six bits 0b011110 (0xde = 0b1101_1110), so
     * each bitmap is 0x8000001e.
     */
    @Test
    void resetBitmapsAreMaskedToTheImplementedCounters() {
        Vcpu vcpu = TestHosts.homogeneous().createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.pmuRegs().pmcnten()).isEqualTo(0x8000_001eL);
        assertThat(vcpu.pmuRegs().pminten()).isEqualTo(0x8000_001eL);
        assertThat(vcpu.pmuRegs().pmovs()).isEqualTo(0x8000_001eL);
    }
}
