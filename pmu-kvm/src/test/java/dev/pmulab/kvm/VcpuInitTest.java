package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EEXIST;
import static dev.pmulab.api.Errno.EINVAL;
import static dev.pmulab.api.Errno.ENOENT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PSCI_0_2;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_SVE;
import static dev.pmulab.kvm.KvmUapi.KVM_CAP_ARM_PMU_V3;
import static dev.pmulab.kvm.TestHosts.PMU_FEATURES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** KVM_ARM_VCPU_INIT as far as the PMU feature needs it, and KVM_CAP_ARM_PMU_V3. */
final class VcpuInitTest {
    private final KvmHost host = TestHosts.homogeneous();

    @Test
    void capArmPmuV3IsOneWithAHostPmuAndZeroWithout() {
        assertThat(host.checkExtension(KVM_CAP_ARM_PMU_V3)).isEqualTo(1);
        assertThat(KvmHost.builder().nrCpus(4).build().checkExtension(KVM_CAP_ARM_PMU_V3))
                .isZero();
    }

    @Test
    void pmuFeatureOnAHostWithoutPmuIsEinval() {
        Vcpu vcpu = KvmHost.builder().nrCpus(4).build().createVm().createVcpu(0);
        assertThat(vcpu.armVcpuInit(PMU_FEATURES)).isEqualTo(-EINVAL);
        assertThat(vcpu.armVcpuInit(1L << KVM_ARM_VCPU_PSCI_0_2)).isZero();
    }

    @Test
    void unknownFeatureBitIsEnoentAndAnUnsupportedOneEinval() {
        Vcpu vcpu = host.createVm().createVcpu(0);
        assertThat(vcpu.armVcpuInit(1L << 9)).isEqualTo(-ENOENT);
        assertThat(vcpu.armVcpuInit(1L << KVM_ARM_VCPU_SVE)).isEqualTo(-EINVAL);
        assertThat(vcpu.initialized()).isFalse();
    }

    @Test
    void everyVcpuOfAVmMustHaveTheSameFeatures() {
        Vm vm = host.createVm();
        vm.createVcpu(0, PMU_FEATURES);
        Vcpu vcpu1 = vm.createVcpu(1);
        assertThat(vcpu1.armVcpuInit(1L << KVM_ARM_VCPU_PSCI_0_2)).isEqualTo(-EINVAL);
        assertThat(vcpu1.armVcpuInit(PMU_FEATURES)).isZero();
    }

    @Test
    void reinitWithOtherFeaturesIsEinval() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.armVcpuInit(PMU_FEATURES | (1L << KVM_ARM_VCPU_PSCI_0_2)))
                .isEqualTo(-EINVAL);
    }

    /** A reset keeps PMU INIT (every attribute stays -EBUSY) and the VM-wide N. */
    @Test
    void resetKeepsPmuInitAndN() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        vcpu.setReg(KvmUapi.KVM_ARM64_SYS_REG(dev.pmulab.hw.PmuRegister.PMCR_EL0), 2L << 11);
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        assertThat(vcpu.armVcpuInit(PMU_FEATURES)).isZero();
        assertThat(vcpu.pmu().initialized()).isTrue();
        assertThat(vcpu.pmu().pmcr() >>> 11 & 0x1f).isEqualTo(2);
    }

    @Test
    void duplicateVcpuIdIsEexist() {
        Vm vm = host.createVm();
        vm.createVcpu(0);
        assertThatThrownBy(() -> vm.createVcpu(0))
                .isInstanceOfSatisfying(
                        KvmException.class, e -> assertThat(e.errno()).isEqualTo(EEXIST));
    }

    @Test
    void createVcpuWithFeaturesThrowsWhenInitFails() {
        assertThatThrownBy(() -> host.createVm().createVcpu(0, 1L << KVM_ARM_VCPU_SVE))
                .isInstanceOfSatisfying(
                        KvmException.class, e -> assertThat(e.errno()).isEqualTo(EINVAL));
    }
}
