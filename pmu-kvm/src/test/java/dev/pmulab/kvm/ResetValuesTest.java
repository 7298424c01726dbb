package dev.pmulab.kvm;

import static dev.pmulab.hw.PmuRegister.PMCCFILTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCNTENCLR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCNTENSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMCR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVTYPER_EL0;
import static dev.pmulab.hw.PmuRegister.PMINTENCLR_EL1;
import static dev.pmulab.hw.PmuRegister.PMINTENSET_EL1;
import static dev.pmulab.hw.PmuRegister.PMOVSCLR_EL0;
import static dev.pmulab.hw.PmuRegister.PMOVSSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMSELR_EL0;
import static dev.pmulab.hw.PmuRegister.PMUSERENR_EL0;
import static dev.pmulab.hw.PmuRegister.PMXEVTYPER_EL0;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM64_SYS_REG;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_IRQ;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS;
import static dev.pmulab.kvm.TestHosts.PMU_FEATURES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.PmuVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The PMU registers' values after KVM_ARM_VCPU_INIT, as kvm_reset_sys_regs() leaves them: where
 * the architecture says UNKNOWN, sys_regs.h reset_unknown() stores 0x1de7ec7edbadc0de, which each
 * register's reset function masks to what it implements. A test that reads a register before
 * writing it sees these values, as on a real VM. Derivations use the low word 0xdbadc0de
 * (1101 1011 1010 1101 1100 0000 1101 1110).
 */
final class ResetValuesTest {
    private static final long UNKNOWN = 0x1de7_ec7e_dbad_c0deL;

    private static long get(Vcpu vcpu, PmuRegister reg) {
        return vcpu.getReg(KVM_ARM64_SYS_REG(reg));
    }

    /** reset_pmu_reg(): UNKNOWN & (BIT(31) | GENMASK(5, 0)): bit 31 set, 0xde & 0x3f = 0x1e. */
    @ParameterizedTest
    @EnumSource(
            value = PmuRegister.class,
            names = {
                "PMCNTENSET_EL0",
                "PMCNTENCLR_EL0",
                "PMINTENSET_EL1",
                "PMINTENCLR_EL1",
                "PMOVSSET_EL0",
                "PMOVSCLR_EL0"
            })
    void theEnableInterruptAndOverflowBitmapsAreMaskedToTheImplementedCounters(PmuRegister reg) {
        Vcpu vcpu = TestHosts.homogeneous().createVm().createVcpu(0, PMU_FEATURES);
        assertThat(get(vcpu, reg)).isEqualTo(0x8000_001eL);
    }

    /** With the big PMU's 20 counters the mask is BIT(31) | 0xfffff: 0xdbadc0de & 0xfffff = 0xdc0de. */
    @Test
    void theBitmapMaskFollowsNAtTheReset() {
        Vm vm = TestHosts.bigLittle().createVm();
        vm.host().pinSelfToCpu(4); // the default PMU is then the big one
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
        assertThat(get(vcpu, PMCNTENSET_EL0)).isEqualTo(0x800d_c0deL);
        // N lowered to 2, then a reset: 0xde & 0b11 = 0b10.
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, UserPtr.ofInt(2)))
                .isZero();
        assertThat(vcpu.armVcpuInit(PMU_FEATURES)).isZero();
        assertThat(get(vcpu, PMOVSSET_EL0)).isEqualTo(0x8000_0002L);
    }

    /**
     * reset_pmselr(): UNKNOWN & SEL [4:0] = 0xde & 0x1f = 0x1e; reset_unknown() for PMCCNTR_EL0, all
     * 64 bits; reset_val(0) for PMUSERENR_EL0 and PMCCFILTR_EL0; reset_pmcr() 0 with N = 6 composed
     * on read (6 << 11 = 0x3000).
     */
    @Test
    void theOtherRegistersOfAPmuV3p5Guest() {
        Vcpu vcpu = TestHosts.homogeneous().createVm().createVcpu(0, PMU_FEATURES);
        assertThat(get(vcpu, PMSELR_EL0)).isEqualTo(0x1e);
        assertThat(get(vcpu, PMCCNTR_EL0)).isEqualTo(UNKNOWN);
        assertThat(get(vcpu, PMUSERENR_EL0)).isZero();
        assertThat(get(vcpu, PMCCFILTR_EL0)).isZero();
        assertThat(get(vcpu, PMCR_EL0)).isEqualTo(0x3000);
    }

    /**
     * reset_pmevcntr(): UNKNOWN & GENMASK(31, 0) = 0xdbadc0de; reset_pmevtyper(): UNKNOWN &
     * kvm_pmu_evtyper_mask() = 0xdbadc0de & (P | U | 0xffff) = 0xc000c0de on PMUv3p5. All 31 exist
     * for ONE_REG, whatever N is.
     */
    @Test
    void everyEventCounterAndTypeOfAPmuV3p5Guest() {
        Vcpu vcpu = TestHosts.homogeneous().createVm().createVcpu(0, PMU_FEATURES);
        for (int n = 0; n <= 30; n++) {
            assertThat(vcpu.getReg(KVM_ARM64_SYS_REG(PMEVCNTR_EL0, n)))
                    .as("PMEVCNTR%d", n)
                    .isEqualTo(0xdbad_c0deL);
            assertThat(vcpu.getReg(KVM_ARM64_SYS_REG(PMEVTYPER_EL0, n)))
                    .as("PMEVTYPER%d", n)
                    .isEqualTo(0xc000_c0deL);
        }
    }

    /**
     * On a PMUv3 (v8.0) guest the event mask is 10 bits: 0xdbadc0de & (P | U | 0x3ff) = 0xc00000de.
     * PMCCNTR_EL0 is 64-bit on every version and keeps all of reset_unknown's bits.
     */
    @Test
    void aPmuV3GuestsTypesHaveTenEventBits() {
        KvmHost v80 = KvmHost.builder()
                .pmu(new HostPmuDescriptor(
                        "armv8_cortex_a53", 8, new int[] {0}, TestHosts.hardware(6, PmuVersion.V3, Events.CPU_CYCLES)))
                .build();
        Vcpu vcpu = v80.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.getReg(KVM_ARM64_SYS_REG(PMEVTYPER_EL0, 0))).isEqualTo(0xc000_00deL);
        assertThat(get(vcpu, PMCCNTR_EL0)).isEqualTo(UNKNOWN);
    }

    /** The guest reads the same values before it writes anything; PMXEVTYPER reaches counter SEL = 30. */
    @Test
    void theGuestSeesThemBeforeItWritesAnything() {
        Vm vm = TestHosts.bigLittle().createVm();
        vm.host().pinSelfToCpu(4); // the big PMU: N = 20
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES, g -> {
            assertThat(g.read(PMCNTENSET_EL0)).isEqualTo(0x800d_c0deL);
            assertThat(g.read(PMCNTENCLR_EL0)).isEqualTo(0x800d_c0deL);
            assertThat(g.read(PMINTENSET_EL1)).isEqualTo(0x800d_c0deL);
            assertThat(g.read(PMINTENCLR_EL1)).isEqualTo(0x800d_c0deL);
            assertThat(g.read(PMOVSSET_EL0)).isEqualTo(0x800d_c0deL);
            assertThat(g.read(PMOVSCLR_EL0)).isEqualTo(0x800d_c0deL);
            assertThat(g.read(PMSELR_EL0)).isEqualTo(0x1e);
            assertThat(g.read(PMCCNTR_EL0)).isEqualTo(UNKNOWN);
            assertThat(g.read(PMEVCNTR_EL0, 19)).isEqualTo(0xdbad_c0deL);
            assertThat(g.read(PMEVTYPER_EL0, 19)).isEqualTo(0xc000_c0deL);
            assertThat(g.read(PMCCFILTR_EL0)).isZero();
            assertThat(g.read(PMUSERENR_EL0)).isZero();
            assertThat(g.read(PMCR_EL0)).isEqualTo(20L << 11);
        });
        assertThat(vm.createVgicV3(64).init()).isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(23)))
                .isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.getUcall()).isEqualTo(Ucall.DONE);
    }

    /**
     * PMSELR_EL0 resets to SEL = 30, at or above N = 20: a guest's PMXEVTYPER_EL0 access before it
     * selects a counter is UNDEFINED (pmu_counter_idx_valid).
     */
    @Test
    void theResetSelectionIsCounter30() {
        Vm vm = TestHosts.bigLittle().createVm();
        vm.host().pinSelfToCpu(4);
        Vcpu vcpu = vm.createVcpu(
                0,
                PMU_FEATURES,
                g -> assertThatThrownBy(() -> g.read(PMXEVTYPER_EL0))
                        .isInstanceOfSatisfying(
                                GuestSyncException.class,
                                e -> assertThat(e.ec()).isEqualTo(GuestSyncException.ESR_ELx_EC_UNKNOWN)));
        assertThat(vm.createVgicV3(64).init()).isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(23)))
                .isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.getUcall()).isEqualTo(Ucall.DONE);
    }
}
