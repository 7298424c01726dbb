package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EBUSY;
import static dev.pmulab.api.Errno.EINVAL;
import static dev.pmulab.api.Errno.ENODEV;
import static dev.pmulab.api.Errno.ENXIO;
import static dev.pmulab.kvm.KvmPmuEventFilter.allow;
import static dev.pmulab.kvm.KvmPmuEventFilter.deny;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_FILTER;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_PMU;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_FAIL_ENTRY;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_FAIL_ENTRY_CPU_UNSUPPORTED;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_MMIO;
import static dev.pmulab.kvm.TestHosts.BIG_N;
import static dev.pmulab.kvm.TestHosts.BIG_TYPE;
import static dev.pmulab.kvm.TestHosts.LITTLE_N;
import static dev.pmulab.kvm.TestHosts.LITTLE_TYPE;
import static dev.pmulab.kvm.TestHosts.PMU_FEATURES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.regs.PmcrEl0;
import org.junit.jupiter.api.Test;

/**
 * PMU selection on a big.LITTLE host (kvm-vpmu-uapi.md §1.4, §2.6): the default PMU of the CPU
 * where the first PMU vCPU was initialised, which lets vCPUs run anywhere; SET_PMU, which narrows
 * where they may enter; and SET_PMU's ordering against FILTER, SET_NR_COUNTERS and a vCPU having run.
 */
final class SetPmuTest {
    private final KvmHost host = TestHosts.bigLittle();

    private static int setPmu(Vcpu vcpu, int type) {
        return vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_SET_PMU, UserPtr.ofInt(type));
    }

    private static int setFilter(Vcpu vcpu, KvmPmuEventFilter f) {
        return vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FILTER, UserPtr.of(f));
    }

    private static int setNrCounters(Vcpu vcpu, int n) {
        return vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, UserPtr.ofInt(n));
    }

    private static void init(Vcpu vcpu) {
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
    }

    // ---- the default PMU (§2.6) ----

    @Test
    void defaultPmuIsThePmuOfTheCpuWhereTheVcpuWasInitialised() {
        host.pinSelfToCpu(5);
        Vm vm = host.createVm();
        vm.createVcpu(0, PMU_FEATURES);
        assertThat(vm.pmu().armPmu()).contains(TestHosts.big());
        assertThat(vm.pmu().nrCounters()).isEqualTo(BIG_N);

        host.pinSelfToCpu(1);
        Vm other = host.createVm();
        other.createVcpu(0, PMU_FEATURES);
        assertThat(other.pmu().armPmu()).contains(TestHosts.little());
        assertThat(other.pmu().nrCounters()).isEqualTo(LITTLE_N);
    }

    @Test
    void defaultPmuIsChosenOnceByTheFirstPmuVcpu() {
        Vm vm = host.createVm();
        host.pinSelfToCpu(0);
        vm.createVcpu(0, PMU_FEATURES);
        host.pinSelfToCpu(6);
        vm.createVcpu(1, PMU_FEATURES);
        assertThat(vm.pmu().armPmu()).contains(TestHosts.little());
    }

    @Test
    void vcpuInitOnACpuNoPmuCoversIsEnodev() {
        KvmHost partial = TestHosts.bigLittleBuilder().nrCpus(9).build();
        partial.pinSelfToCpu(8);
        Vcpu vcpu = partial.createVm().createVcpu(0);
        assertThat(vcpu.armVcpuInit(PMU_FEATURES)).isEqualTo(-ENODEV);
        assertThat(vcpu.initialized()).isFalse();
        partial.pinSelfToCpu(4);
        assertThat(vcpu.armVcpuInit(PMU_FEATURES)).isZero();
        assertThat(vcpu.vm().pmu().armPmu()).contains(TestHosts.big());
    }

    /** The default PMU leaves supported_cpus as every CPU: no failed entry, counting just stops. */
    @Test
    void defaultPmuLetsTheVcpuRunOnEveryCpu() {
        Vm vm = host.createVm();
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
        init(vcpu);
        assertThat(vcpu.run(6)).isZero();
        assertThat(vcpu.kvmRun().exitReason()).isEqualTo(KVM_EXIT_MMIO);
        assertThat(vm.pmu().pmuForCpu(6)).as("guest counters stop on a big CPU").isEmpty();
        assertThat(vm.pmu().pmuForCpu(2)).contains(TestHosts.little());
    }

    // ---- SET_PMU ----

    @Test
    void setPmuNarrowsEntryToThePmusCpus() {
        Vm vm = host.createVm();
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
        assertThat(setPmu(vcpu, BIG_TYPE)).isZero();
        init(vcpu);

        assertThat(vcpu.run(2)).isZero();
        assertThat(vcpu.kvmRun().exitReason()).isEqualTo(KVM_EXIT_FAIL_ENTRY);
        assertThat(vcpu.kvmRun().hardwareEntryFailureReason()).isEqualTo(KVM_EXIT_FAIL_ENTRY_CPU_UNSUPPORTED);
        assertThat(vcpu.kvmRun().failEntryCpu()).isEqualTo(2);
        assertThat(vcpu.getUcall()).isEqualTo(Ucall.NONE);

        assertThat(vcpu.run(5)).isZero();
        assertThat(vcpu.kvmRun().exitReason()).isEqualTo(KVM_EXIT_MMIO);
        assertThat(vm.pmu().supportedCpus()).containsExactly(4, 5, 6, 7);
        assertThat(vm.pmu().pmuExplicit()).isTrue();
    }

    @Test
    void setPmuSetsThePmuAndItsCounters() {
        Vm vm = host.createVm();
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
        assertThat(setPmu(vcpu, BIG_TYPE)).isZero();
        assertThat(vm.pmu().armPmu()).contains(TestHosts.big());
        assertThat(vm.pmu().nrCounters()).isEqualTo(BIG_N);
        assertThat(PmcrEl0.n(vcpu.pmu().pmcr())).isEqualTo(BIG_N);
    }

    @Test
    void setPmuOfAnUnknownTypeIsEnxio() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(setPmu(vcpu, 99)).isEqualTo(-ENXIO);
        assertThat(vcpu.vm().pmu().pmuExplicit()).isFalse();
    }

    @Test
    void setPmuIsVmWideAndCanGoThroughAnyVcpuNotYetInitialised() {
        Vm vm = host.createVm();
        Vcpu vcpu0 = vm.createVcpu(0, PMU_FEATURES);
        Vcpu vcpu1 = vm.createVcpu(1, PMU_FEATURES);
        init(vcpu0);
        assertThat(setPmu(vcpu0, BIG_TYPE)).as("vCPU0 has done INIT").isEqualTo(-EBUSY);
        assertThat(setPmu(vcpu1, BIG_TYPE)).isZero();
        assertThat(vm.pmu().armPmu()).contains(TestHosts.big());
    }

    @Test
    void setPmuAfterAVcpuRanIsEbusy() {
        Vm vm = host.createVm();
        Vcpu vcpu0 = vm.createVcpu(0, PMU_FEATURES);
        Vcpu vcpu1 = vm.createVcpu(1, PMU_FEATURES);
        init(vcpu0);
        assertThat(vcpu0.run()).isZero();
        assertThat(setPmu(vcpu1, BIG_TYPE)).isEqualTo(-EBUSY);
        assertThat(setPmu(vcpu1, LITTLE_TYPE)).as("even the same PMU").isEqualTo(-EBUSY);
    }

    // ---- SET_PMU and FILTER ----

    @Test
    void setPmuThatChangesThePmuAfterAFilterIsEbusy() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES); // default: LITTLE
        assertThat(setFilter(vcpu, deny(0x11, 1))).isZero();
        assertThat(setPmu(vcpu, BIG_TYPE)).isEqualTo(-EBUSY);
        assertThat(vcpu.vm().pmu().armPmu()).contains(TestHosts.little());
    }

    @Test
    void setPmuOfTheSamePmuAfterAFilterSucceeds() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(setFilter(vcpu, deny(0x11, 1))).isZero();
        assertThat(setPmu(vcpu, LITTLE_TYPE)).isZero();
        assertThat(vcpu.vm().pmu().supportedCpus()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void filterAfterSetPmuSucceeds() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(setPmu(vcpu, BIG_TYPE)).isZero();
        assertThat(setFilter(vcpu, allow(0x8, 1))).isZero();
        assertThat(vcpu.vm().pmu().eventAllowed(0x8)).isTrue();
        assertThat(vcpu.vm().pmu().eventAllowed(0x11)).isFalse();
    }

    // ---- SET_PMU and SET_NR_COUNTERS (§1.5) ----

    @Test
    void setPmuCancelsAnEarlierSetNrCounters() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(setNrCounters(vcpu, 2)).isZero();
        assertThat(setPmu(vcpu, LITTLE_TYPE)).isZero();
        assertThat(vcpu.vm().pmu().nrCounters()).isEqualTo(LITTLE_N);
    }

    @Test
    void setNrCountersAfterSetPmuIsBoundedByTheNewPmu() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES); // default: LITTLE, 6 counters
        assertThat(setNrCounters(vcpu, 12)).isEqualTo(-EINVAL);
        assertThat(setPmu(vcpu, BIG_TYPE)).isZero();
        assertThat(setNrCounters(vcpu, 12)).isZero();
        assertThat(setNrCounters(vcpu, BIG_N + 1)).isEqualTo(-EINVAL);
        assertThat(vcpu.vm().pmu().nrCounters()).isEqualTo(12);
    }

    /** Upstream's own selftest calls SET_NR_COUNTERS without SET_PMU and expects success (§1.5 gap a). */
    @Test
    void setNrCountersWithoutSetPmuUsesTheDefaultPmu() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(setNrCounters(vcpu, 3)).isZero();
        assertThat(vcpu.vm().pmu().nrCounters()).isEqualTo(3);
    }
}
