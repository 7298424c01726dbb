package dev.pmulab.policy.filter;

import dev.pmulab.api.CommonEvents;
import dev.pmulab.api.EventFilter;
import dev.pmulab.api.FilterPolicy;
import dev.pmulab.api.PmuVer;
import dev.pmulab.api.VmView;
import dev.pmulab.api.VmmPmuControl;
import dev.pmulab.api.testing.FakeCpu;
import dev.pmulab.api.testing.FakeHost;
import dev.pmulab.api.testing.FakeVm;
import dev.pmulab.hw.PmuConfig;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.kvm.HostPmuDescriptor;
import dev.pmulab.kvm.KvmHost;
import dev.pmulab.kvm.KvmPmuEventFilter;
import dev.pmulab.kvm.KvmUapi;
import dev.pmulab.kvm.UserPtr;
import dev.pmulab.kvm.Vcpu;
import dev.pmulab.kvm.Vm;
import dev.pmulab.kvm.VmPmuView;
import java.util.stream.IntStream;

/**
 * One VM of pmu-kvm's KVM on a one-CPU host of a given PMU version, and a VMM that sets a filter
 * policy's filters on it through KVM_ARM_VCPU_PMU_V3_FILTER, as the simulator's VMM does. What
 * then counts and what the guest reads in PMCEID0/1 is KVM's answer, not the plugin's.
 */
final class KvmFilterTestbed {
    /**
     * The host PMU's common events: 0x01-0x1D, 0x20-0x3F (the STALL_SLOT events, which KVM hides,
     * included), 0x4004-0x4006 and 0x4020-0x4022; no SW_INCR or CHAIN, which KVM adds. PMCEID0 reads
     * 0x0000_0070_3FFF_FFFE and PMCEID1 0x0000_0007_FFFF_FFFF, the host of pmu_event_filter_test.c
     * cases below (kvm-vpmu-uapi.md §3.2).
     */
    static final int[] EVENTS = IntStream.concat(
                    IntStream.concat(IntStream.rangeClosed(0x01, 0x1d), IntStream.rangeClosed(0x20, 0x3f)),
                    IntStream.concat(IntStream.rangeClosed(0x4004, 0x4006), IntStream.rangeClosed(0x4020, 0x4022)))
            .toArray();
    /** What an unfiltered guest reads: SW_INCR and CHAIN on, STALL_SLOT* off (the selftest's max_pmce). */
    static final long MAX_PMCEID0 = 0x0000_0070_7FFF_FFFFL;

    static final long MAX_PMCEID1 = 0x0000_0007_1FFF_FFFFL;

    private static final VmView VM = FakeVm.linux(0, 0);

    final Vm vm;
    final FakeHost host;
    private final Vcpu vcpu;

    private KvmFilterTestbed(PmuVersion version) {
        PmuConfig hw = PmuConfig.builder().n(6).version(version).events(EVENTS).build();
        KvmHost kvm = KvmHost.builder()
                .pmu(new HostPmuDescriptor("armv8_neoverse_n1", 8, new int[] {0}, hw))
                .build();
        vm = kvm.createVm();
        vcpu = vm.createVcpu(0, 1L << KvmUapi.KVM_ARM_VCPU_PMU_V3);
        // The policy's view of the same host: the version and common events pmu-kvm's CpuView reports.
        FakeCpu cpu = new FakeCpu(0, "neoverse-n1", 6, false);
        cpu.pmuVersion = PmuVer.ofFieldValue(version.idAa64dfr0PmuVer());
        cpu.commonEvents = new CommonEvents(hw.pmceid0(), hw.pmceid1());
        host = new FakeHost(true, cpu);
    }

    /** A host of PMUv3p1 or later: 65536 event numbers. */
    static KvmFilterTestbed p1() {
        return new KvmFilterTestbed(PmuVersion.P1);
    }

    /** An Armv8.0 host: 1024 event numbers. */
    static KvmFilterTestbed v3() {
        return new KvmFilterTestbed(PmuVersion.V3);
    }

    /** The VMM sets the policy's filters, as the simulator does before the vCPUs are initialised. */
    KvmFilterTestbed configure(FilterPolicy policy) {
        policy.configureVm(VM, host, new FilterOnlyVmm());
        return this;
    }

    VmPmuView pmu() {
        return vm.pmu();
    }

    /** Whether a guest counter programmed with {@code event} gets a perf event, so counts. */
    boolean counts(int event) {
        return vm.pmu().perfEventConfig(0, event) != VmPmuView.NO_PERF_EVENT;
    }

    /** Whether the cycle counter counts: KVM filters it as CPU_CYCLES. */
    boolean cycleCounterCounts() {
        return vm.pmu().perfEventConfig(31, 0) != VmPmuView.NO_PERF_EVENT;
    }

    /** The VMM as a filter policy sees it: FILTER on the vCPU, and nothing else asked of it. */
    private final class FilterOnlyVmm implements VmmPmuControl {
        @Override
        public int setEventFilter(EventFilter filter) {
            return vcpu.setDeviceAttr(
                    KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL,
                    KvmUapi.KVM_ARM_VCPU_PMU_V3_FILTER,
                    UserPtr.of(KvmPmuEventFilter.of(filter)));
        }

        @Override
        public int setPmu(String pmuName) {
            throw new AssertionError("a filter policy set the PMU");
        }

        @Override
        public int setNrCounters(int counters) {
            throw new AssertionError("a filter policy set nr_counters");
        }

        @Override
        public int setFixedCountersOnly() {
            throw new AssertionError("a filter policy set FIXED_COUNTERS_ONLY");
        }

        @Override
        public void pinVcpus(int[] cpus) {
            throw new AssertionError("a filter policy pinned vCPUs");
        }
    }
}
