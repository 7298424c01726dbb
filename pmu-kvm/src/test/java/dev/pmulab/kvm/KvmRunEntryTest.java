package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EBUSY;
import static dev.pmulab.api.Errno.EINVAL;
import static dev.pmulab.api.Errno.ENOEXEC;
import static dev.pmulab.kvm.KvmPmuEventFilter.allow;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_FILTER;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_IRQ;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_PMU;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PSCI_0_2;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_FAIL_ENTRY;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_FAIL_ENTRY_CPU_UNSUPPORTED;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_MMIO;
import static dev.pmulab.kvm.TestHosts.BIG_TYPE;
import static dev.pmulab.kvm.TestHosts.PMU_FEATURES;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** KVM_RUN's checks before and at guest entry (kvm-vpmu-uapi.md §1.1, §1.4, §2.6). */
final class KvmRunEntryTest {
    private final KvmHost host = TestHosts.bigLittle();

    private static int init(Vcpu vcpu) {
        return vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT);
    }

    @Test
    void runWithoutPmuInitIsEinval() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.run()).isEqualTo(-EINVAL);
        assertThat(vcpu.getUcall()).isEqualTo(Ucall.NONE);
    }

    /** A failed first run does not count as having run: the VM can still be configured, then run. */
    @Test
    void failedFirstRunLeavesTheVmNotYetRun() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.run()).isEqualTo(-EINVAL);
        assertThat(vcpu.vm().pmu().hasRanOnce()).isFalse();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FILTER, UserPtr.of(allow(8, 1))))
                .isZero();
        assertThat(init(vcpu)).isZero();
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.vm().pmu().hasRanOnce()).isTrue();
    }

    @Test
    void vcpuWithoutThePmuFeatureRunsWithoutInit() {
        Vcpu vcpu = host.createVm().createVcpu(0, 1L << KVM_ARM_VCPU_PSCI_0_2);
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.kvmRun().exitReason()).isEqualTo(KVM_EXIT_MMIO);
    }

    @Test
    void uninitialisedVcpuIsEnoexec() {
        Vcpu vcpu = host.createVm().createVcpu(0);
        assertThat(vcpu.run()).isEqualTo(-ENOEXEC);
    }

    @Test
    void uninitialisedVgicV3IsEbusyBeforeThePmuCheck() {
        Vm vm = host.createVm();
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
        vm.createVgicV3(64);
        assertThat(vcpu.run()).isEqualTo(-EBUSY);
    }

    /** INIT without an irqchip, then a vGIC: the PMU has no IRQ the vGIC knows, so entry is refused. */
    @Test
    void vgicCreatedAfterInitWithoutIrqIsEinval() {
        Vm vm = host.createVm();
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
        assertThat(init(vcpu)).isZero();
        assertThat(vm.createVgicV3(64).init()).isZero();
        assertThat(vcpu.run()).isEqualTo(-EINVAL);
    }

    @Test
    void vcpuWithVgicIrqAndInitRuns() {
        Vm vm = host.createVm();
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
        assertThat(vm.createVgicV3(64).init()).isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(23)))
                .isZero();
        assertThat(init(vcpu)).isZero();
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.getUcall()).isEqualTo(Ucall.DONE);
    }

    /** The vCPU thread on a CPU outside SET_PMU's PMU: KVM_RUN returns 0 with a failed entry. */
    @Test
    void vcpuOnACpuItsPmuDoesNotCoverFailsEntryWithCpuUnsupported() {
        Vm vm = host.createVm();
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_SET_PMU, UserPtr.ofInt(BIG_TYPE)))
                .isZero();
        assertThat(init(vcpu)).isZero();
        host.pinSelfToCpu(3);
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.kvmRun().exitReason()).isEqualTo(KVM_EXIT_FAIL_ENTRY);
        assertThat(vcpu.kvmRun().hardwareEntryFailureReason()).isEqualTo(KVM_EXIT_FAIL_ENTRY_CPU_UNSUPPORTED);
        assertThat(vcpu.kvmRun().failEntryCpu()).isEqualTo(3);
        assertThat(vm.pmu().hasRanOnce()).as("the first-run work was done").isTrue();
    }

    @Test
    void guestCodeDoesNotRunOnAFailedEntry() {
        Vm vm = host.createVm();
        int[] runs = {0};
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES, g -> runs[0]++);
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_SET_PMU, UserPtr.ofInt(BIG_TYPE)))
                .isZero();
        assertThat(init(vcpu)).isZero();
        assertThat(vcpu.run(0)).isZero();
        assertThat(runs[0]).isZero();
        assertThat(vcpu.run(7)).isZero();
        assertThat(runs[0]).isEqualTo(1);
        assertThat(vcpu.kvmRun().exitReason()).isEqualTo(KVM_EXIT_MMIO);
        assertThat(vcpu.kvmRun().hardwareEntryFailureReason()).isZero();
    }

    @Test
    void vcpuCannotBeCreatedOnceTheVgicIsInitialised() {
        Vm vm = host.createVm();
        vm.createVcpu(0, PMU_FEATURES);
        assertThat(vm.createVgicV3(64).init()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> vm.createVcpu(1))
                .isInstanceOfSatisfying(
                        KvmException.class, e -> assertThat(e.errno()).isEqualTo(EBUSY));
    }
}
