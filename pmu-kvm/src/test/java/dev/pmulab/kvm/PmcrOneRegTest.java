package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EFAULT;
import static dev.pmulab.api.Errno.EINVAL;
import static dev.pmulab.api.Errno.ENOENT;
import static dev.pmulab.api.Errno.ENOEXEC;
import static dev.pmulab.hw.PmuRegister.PMCCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCEID0_EL0;
import static dev.pmulab.hw.PmuRegister.PMCNTENSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMCR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVTYPER_EL0;
import static dev.pmulab.hw.regs.PmcrEl0.n;
import static dev.pmulab.kvm.KvmUapi.ARM64_SYS_REG;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM64_SYS_REG;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PSCI_0_2;
import static dev.pmulab.kvm.KvmUapi.SYS_ID_AA64DFR0_EL1;
import static dev.pmulab.kvm.TestHosts.PMU_FEATURES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import org.junit.jupiter.api.Test;

/**
 * PMCR_EL0 through KVM_SET_ONE_REG, the legacy way to set N (kvm-vpmu-uapi.md §1.6), and the
 * ONE_REG rules of the other PMU registers.
 */
final class PmcrOneRegTest {
    private static final long PMCR = KVM_ARM64_SYS_REG(PMCR_EL0);
    private final KvmHost host = TestHosts.homogeneous();

    @Test
    void pmcrEl0IdIsTheSysregEncoding33912_0() {
        assertThat(PMCR).isEqualTo(0x6030_0000_0013_DCE0L);
        assertThat(PMCR).isEqualTo(ARM64_SYS_REG(3, 3, 9, 12, 0));
    }

    @Test
    void nWithinTheMaximumIsTakenAndIsVmWide() {
        Vm vm = host.createVm();
        Vcpu vcpu0 = vm.createVcpu(0, PMU_FEATURES);
        Vcpu vcpu1 = vm.createVcpu(1, PMU_FEATURES);
        vcpu0.setReg(PMCR, 4L << 11);
        assertThat(n(vcpu1.getReg(PMCR))).isEqualTo(4);
    }

    @Test
    void nAboveTheMaximumIsSilentlyIgnored() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.setOneReg(PMCR, UserPtr.ofLong(7L << 11))).isZero();
        assertThat(n(vcpu.getReg(PMCR))).isEqualTo(6);
    }

    @Test
    void nAfterAVcpuRanIsSilentlyIgnoredButTheOtherBitsChange() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.setOneReg(PMCR, UserPtr.ofLong((2L << 11) | 1))).isZero();
        assertThat(vcpu.getReg(PMCR)).isEqualTo((6L << 11) | 1);
    }

    /** PMCR_EL0.N may be written after PMU INIT: only a vCPU having run stops it. */
    @Test
    void nCanBeWrittenAfterInit() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        vcpu.setReg(PMCR, 1L << 11);
        assertThat(vcpu.vm().pmu().nrCounters()).isEqualTo(1);
    }

    /** Only bits [7:0] and N are writable; C and P are actions, IMP/IDCODE/FZO do not stick. */
    @Test
    void onlyBits7To0AndNAreWritable() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        vcpu.setReg(PMCR, 0xffff_ffff_ffff_e7ffL); // every bit but N = 3
        long expectedLow = 0xffL & ~(1L << 1) & ~(1L << 2);
        assertThat(vcpu.getReg(PMCR)).isEqualTo((6L << 11) | expectedLow);
        vcpu.setReg(PMCR, (3L << 11));
        assertThat(vcpu.getReg(PMCR)).isEqualTo(3L << 11);
    }

    @Test
    void lcIsForcedOnAHostWithoutAArch32El0() {
        KvmHost noAArch32 =
                TestHosts.homogeneousBuilder().aarch32El0Supported(false).build();
        Vcpu vcpu = noAArch32.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.getReg(PMCR) & (1L << 6)).as("reset value").isNotZero();
        vcpu.setReg(PMCR, 6L << 11);
        assertThat(vcpu.getReg(PMCR) & (1L << 6)).as("after a write of 0").isNotZero();
    }

    /** LP is kept by the write, and cleared at the next entry on a guest without PMUv3p5. */
    @Test
    void lpIsKeptUntilEntryOnAGuestWithoutPmuV3p5() {
        KvmHost p4 = KvmHost.builder()
                .pmu(new HostPmuDescriptor(
                        "armv8_cortex_a76", 8, new int[] {0}, TestHosts.hardware(6, PmuVersion.P4, Events.CPU_CYCLES)))
                .build();
        Vcpu vcpu = p4.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        vcpu.setReg(PMCR, (6L << 11) | (1L << 7));
        assertThat(vcpu.getReg(PMCR) & (1L << 7)).isNotZero();
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.getReg(PMCR) & (1L << 7)).isZero();

        Vcpu p5 = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(p5.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        p5.setReg(PMCR, (6L << 11) | (1L << 7));
        assertThat(p5.run()).isZero();
        assertThat(p5.getReg(PMCR) & (1L << 7)).isNotZero();
    }

    /**
     * A SET register write keeps only the counters implemented at the time (set_pmreg): bits
     * written while N = 2 do not appear when N grows again.
     */
    @Test
    void bitmapWritesDropCountersNotImplementedAtTheTime() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        long pmcntenset = KVM_ARM64_SYS_REG(PMCNTENSET_EL0);
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, UserPtr.ofInt(2)))
                .isZero();
        assertThat(vcpu.armVcpuInit(PMU_FEATURES)).as("reset with N = 2").isZero();
        vcpu.setReg(pmcntenset, 0xffff_ffffL);
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, UserPtr.ofInt(6)))
                .isZero();
        assertThat(vcpu.getReg(pmcntenset)).isEqualTo((1L << 31) | 0b11);
    }

    @Test
    void pmuRegistersAreHiddenWithoutThePmuFeature() {
        Vcpu vcpu = host.createVm().createVcpu(0, 1L << KVM_ARM_VCPU_PSCI_0_2);
        assertThat(vcpu.getOneReg(PMCR, UserPtr.alloc(8))).isEqualTo(-ENOENT);
        assertThat(vcpu.setOneReg(PMCR, UserPtr.ofLong(0))).isEqualTo(-ENOENT);
        assertThat((vcpu.getReg(SYS_ID_AA64DFR0_EL1) >>> 8) & 0xf).as("PMUVer").isZero();
    }

    @Test
    void uninitialisedVcpuIsEnoexec() {
        Vcpu vcpu = host.createVm().createVcpu(0);
        assertThat(vcpu.getOneReg(PMCR, UserPtr.alloc(8))).isEqualTo(-ENOEXEC);
        assertThat(vcpu.setOneReg(PMCR, UserPtr.ofLong(0))).isEqualTo(-ENOEXEC);
    }

    /** SET reads the value before looking the register up; GET looks it up before writing. */
    @Test
    void setFaultsBeforeTheLookupAndGetLooksUpBeforeTheFault() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        long unknown = ARM64_SYS_REG(3, 3, 9, 15, 7);
        assertThat(vcpu.setOneReg(unknown, UserPtr.unmapped())).isEqualTo(-EFAULT);
        assertThat(vcpu.getOneReg(unknown, UserPtr.unmapped())).isEqualTo(-ENOENT);
        assertThat(vcpu.getOneReg(PMCR, UserPtr.unmapped())).isEqualTo(-EFAULT);
        assertThat(vcpu.setOneReg(PMCR, UserPtr.ofInt(0)))
                .as("4 bytes of a __u64")
                .isEqualTo(-EFAULT);
    }

    @Test
    void registersWithoutStorageAreNotOneRegs() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.getOneReg(KVM_ARM64_SYS_REG(PMCEID0_EL0), UserPtr.alloc(8)))
                .isEqualTo(-ENOENT);
    }

    @Test
    void countersAndTypesStoreWhatUserspaceWrites() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        vcpu.setReg(KVM_ARM64_SYS_REG(PMEVTYPER_EL0, 30), 0xffff_ffffL);
        assertThat(vcpu.getReg(KVM_ARM64_SYS_REG(PMEVTYPER_EL0, 30))).isEqualTo(0xffff_ffffL);
        vcpu.setReg(KVM_ARM64_SYS_REG(PMEVCNTR_EL0, 2), 0x1_0000_0005L);
        assertThat(vcpu.getReg(KVM_ARM64_SYS_REG(PMEVCNTR_EL0, 2)))
                .as("64-bit on PMUv3p5")
                .isEqualTo(0x1_0000_0005L);
        vcpu.setReg(KVM_ARM64_SYS_REG(PMCCNTR_EL0), -2L);
        assertThat(vcpu.getReg(KVM_ARM64_SYS_REG(PMCCNTR_EL0))).isEqualTo(-2L);
    }

    /** Its own value is always accepted; a PMUVer above the host's limit is not (IdAa64dfr0WriteTest has the rest). */
    @Test
    void idAa64dfr0AcceptsItsOwnValueAndNothingAboveTheLimit() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        long dfr0 = vcpu.getReg(SYS_ID_AA64DFR0_EL1);
        assertThat((dfr0 >>> 8) & 0xf).isEqualTo(PmuVersion.P5.idAa64dfr0PmuVer());
        assertThat(vcpu.setOneReg(SYS_ID_AA64DFR0_EL1, UserPtr.ofLong(dfr0))).isZero();
        assertThat(vcpu.setOneReg(SYS_ID_AA64DFR0_EL1, UserPtr.ofLong(dfr0 ^ 0x100)))
                .as("PMUVer 7")
                .isEqualTo(-EINVAL);
    }
}
