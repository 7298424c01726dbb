package dev.pmulab.kvm.vpmu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuConfig;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.kvm.CostSink;
import dev.pmulab.kvm.HostPmuDescriptor;
import dev.pmulab.kvm.KvmHost;
import dev.pmulab.kvm.KvmPmuEventFilter;
import dev.pmulab.kvm.KvmUapi;
import dev.pmulab.kvm.RecordingCostSink;
import dev.pmulab.kvm.UserPtr;
import dev.pmulab.kvm.Vcpu;
import dev.pmulab.kvm.Vm;
import dev.pmulab.kvm.perf.PerfCore;
import dev.pmulab.kvm.perf.PerfCoreConfig;
import dev.pmulab.kvm.perf.PerfEvent;
import dev.pmulab.kvm.perf.PerfEventAttr;
import dev.pmulab.kvm.perf.PerfTask;
import java.util.ArrayList;
import java.util.List;

/**
 * A small host for the vPMU tests, driven the way the simulation engine drives KVM: one or two
 * CPUs (one PMU, or two core types), a {@link Pe} per CPU, the perf core, KVM with one VM of one
 * vCPU whose PMU is initialised, and helpers that play the engine (schedule the vCPU thread in,
 * vcpu_load, switch the PE to the guest, guest accesses, vcpu_put). Event rates differ by level so
 * that a count tells where it was counted.
 */
final class VpmuTestbed {
    static final int TYPE_A = 11;
    static final int TYPE_B = 10;
    static final int VCPU_PID = 100;

    /** Every PMU here implements these; PMCEID leaves 0x0001 clear, so it is the "counts nothing" event. */
    static final int[] EVENTS = {
        Events.SW_INCR,
        Events.L1D_CACHE_REFILL,
        Events.L1D_CACHE,
        Events.INST_RETIRED,
        Events.BR_MIS_PRED,
        Events.CPU_CYCLES,
        Events.CHAIN,
        Events.BR_RETIRED
    };

    /** Guest kernel (EL1): INST_RETIRED 2/ns, CPU_CYCLES 3/ns, L1D_CACHE 1/ns, BR_RETIRED 1 per 4 ns. */
    static final EventRates GUEST_EL1 = EventRates.builder()
            .rate(Events.INST_RETIRED, 2, 1)
            .rate(Events.CPU_CYCLES, 3, 1)
            .rate(Events.L1D_CACHE, 1, 1)
            .rate(Events.BR_RETIRED, 1, 4)
            .build();
    /** Guest user space (EL0): INST_RETIRED 5/ns, CPU_CYCLES 3/ns, L1D_CACHE 2/ns. */
    static final EventRates GUEST_EL0 = EventRates.builder()
            .rate(Events.INST_RETIRED, 5, 1)
            .rate(Events.CPU_CYCLES, 3, 1)
            .rate(Events.L1D_CACHE, 2, 1)
            .build();
    /** The host (EL2): INST_RETIRED 7/ns, CPU_CYCLES 3/ns, L1D_CACHE 11/ns. */
    static final EventRates HOST = EventRates.builder()
            .rate(Events.INST_RETIRED, 7, 1)
            .rate(Events.CPU_CYCLES, 3, 1)
            .rate(Events.L1D_CACHE, 11, 1)
            .build();

    final RecordingCostSink sink = new RecordingCostSink();
    final PmuWorkMeter meter;
    final List<Pe> pes = new ArrayList<>();
    final PerfCore perf;
    final KvmHost host;
    final Vm vm;
    final Vcpu vcpu;
    final PerfTask thread = new PerfTask(VCPU_PID, "vcpu0");
    final KvmPmu kvm;
    final VcpuPmu vp;
    private int cpu = -1;

    private VpmuTestbed(Builder b) {
        meter = new PmuWorkMeter(b.costs != null ? b.costs : sink, PmuWorkMeter.Prices.DEFAULTS);
        List<HostPmuDescriptor> pmus = new ArrayList<>();
        PmuConfig hw = PmuConfig.builder()
                .n(b.n)
                .version(PmuVersion.P5)
                .fgt(b.fgt)
                .hpmn0(b.hpmn0)
                .events(EVENTS)
                .build();
        if (b.bigLittle) {
            PmuConfig other = hw.toBuilder().idcode(0x02).build();
            pmus.add(new HostPmuDescriptor("armv8_cortex_a76", TYPE_A, new int[] {0}, hw));
            pmus.add(new HostPmuDescriptor("armv8_cortex_a55", TYPE_B, new int[] {1}, other));
            pes.add(new Pe(hw));
            pes.add(new Pe(other));
        } else {
            int[] all = new int[b.cpus];
            for (int i = 0; i < b.cpus; i++) {
                all[i] = i;
                pes.add(new Pe(hw));
            }
            pmus.add(new HostPmuDescriptor("armv8_neoverse_n1", TYPE_A, all, hw));
        }
        for (Pe pe : pes) {
            pe.switchContext(0, ExceptionLevel.EL2, HOST);
        }
        perf = new PerfCore(new PerfCoreConfig(b.vhe, 250, PerfCoreConfig.DEFAULT_MAX_SAMPLE_RATE), pmus, pes, meter);
        host = KvmHost.builder()
                .pmus(pmus)
                .vhe(b.vhe)
                .fixedCountersOnlySupported(b.fixedCountersOnly)
                .build();
        vm = host.createVm();
        vcpu = vm.createVcpu(0, 1L << KvmUapi.KVM_ARM_VCPU_PMU_V3);
        for (KvmPmuEventFilter f : b.filters) {
            assertThat(vcpu.setDeviceAttr(
                            KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL, KvmUapi.KVM_ARM_VCPU_PMU_V3_FILTER, UserPtr.of(f)))
                    .isZero();
        }
        if (b.fixedCountersOnly) {
            assertThat(vcpu.setDeviceAttr(
                            KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL, KvmUapi.KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY))
                    .isZero();
        }
        if (b.nrCounters >= 0) {
            assertThat(vcpu.setDeviceAttr(
                            KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL,
                            KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS,
                            UserPtr.ofInt(b.nrCounters)))
                    .isZero();
        }
        assertThat(vcpu.setDeviceAttr(KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL, KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        kvm = new KvmPmu(host, perf, meter, b.policy, b.policyName, b.partitionFgt);
        kvm.hostBoot(0);
        vp = kvm.attach(vcpu, thread, "vm0", 0, b.partition);
    }

    static Builder builder() {
        return new Builder();
    }

    Pe pe() {
        return pes.get(cpu);
    }

    Pe pe(int i) {
        return pes.get(i);
    }

    // ---- the engine's moves ----

    /** The vCPU thread is scheduled in on {@code c}, KVM loads the vCPU, the PE enters the guest kernel. */
    void enter(int c, long t) {
        cpu = c;
        pes.get(c).advanceTo(t);
        perf.schedIn(c, thread, t);
        vp.vcpuLoad(c, t);
        pes.get(c).switchContext(t, ExceptionLevel.EL1, GUEST_EL1);
    }

    /** The guest runs at {@code el} from {@code t} on. */
    void guest(ExceptionLevel el, long t) {
        pe().switchContext(t, el, el == ExceptionLevel.EL0 ? GUEST_EL0 : GUEST_EL1);
    }

    /** The vCPU exits to the host at {@code t}, stays there until {@code putAt}, then is put and descheduled. */
    void exit(long t, long putAt) {
        pe().switchContext(t, ExceptionLevel.EL2, HOST);
        pe().advanceTo(putAt);
        vp.vcpuPut(putAt);
        perf.schedOut(cpu, putAt);
    }

    void exit(long t) {
        exit(t, t);
    }

    /**
     * What a Linux guest's PMU driver does at probe (armv8pmu_reset): every counter, interrupt and
     * overflow flag off, then PMCR_EL0.P and C, zeroing the counters (the driver also sets LC, and
     * LP on PMUv3p5; the tests choose the overflow widths themselves). KVM resets all of them to
     * UNKNOWN (reset_unknown's 0x1de7ec7edbadc0de, masked). Under the emulated vPMU the P write
     * recreates the perf event of every event counter (kvm_pmu_set_pmc_value), disabled, with the
     * UNKNOWN event type, and the C write that of the cycle counter: {@link #perfEventsAtReset()}.
     */
    void guestPmuReset(long t) {
        long all = 0xffff_ffffL;
        wr(PmuRegister.PMCNTENCLR_EL0, all, t);
        wr(PmuRegister.PMINTENCLR_EL1, all, t);
        wr(PmuRegister.PMOVSCLR_EL0, all, t);
        wr(PmuRegister.PMCR_EL0, PmcrEl0.P | PmcrEl0.C, t);
    }

    /** The perf events {@link #guestPmuReset} creates: one per event counter (N) and the cycle counter's. */
    long perfEventsAtReset() {
        return vm.pmu().nrCounters() + 1;
    }

    /** A guest kernel MRS at {@code t}. */
    GuestAccess rd(PmuRegister reg, int index, long t) {
        guest(ExceptionLevel.EL1, t);
        return vp.read(reg, index, t);
    }

    GuestAccess rd(PmuRegister reg, long t) {
        return rd(reg, 0, t);
    }

    /** A guest kernel MSR at {@code t}. */
    GuestAccess wr(PmuRegister reg, int index, long value, long t) {
        guest(ExceptionLevel.EL1, t);
        return vp.write(reg, index, value, t);
    }

    GuestAccess wr(PmuRegister reg, long value, long t) {
        return wr(reg, 0, value, t);
    }

    /** A host CPU event on {@code c}: pinned or flexible, counting everywhere. */
    PerfEvent hostEvent(int c, int event, boolean pinned, long t) {
        PerfEventAttr attr = PerfEventAttr.builder(perf.pmuOfCpu(c).type(), event)
                .pinned(pinned)
                .build();
        return perf.open(c, attr, null, c, null, t);
    }

    static final class Builder {
        private int cpus = 1;
        private int n = 6;
        private boolean fgt = true;
        private boolean hpmn0 = true;
        private boolean vhe = true;
        private boolean bigLittle;
        private boolean partition;
        private int nrCounters = -1;
        private boolean fixedCountersOnly;
        private CostSink costs;
        private AllocationPolicy policy;
        private String policyName = "test-policy";
        private PartitionFgtSet partitionFgt = PartitionFgtSet.V8;
        private final List<KvmPmuEventFilter> filters = new ArrayList<>();

        Builder cpus(int v) {
            cpus = v;
            return this;
        }

        Builder n(int v) {
            n = v;
            return this;
        }
        /** FEAT_FGT; without it also no FEAT_HPMN0, which requires it. */
        Builder fgt(boolean v) {
            fgt = v;
            hpmn0 = hpmn0 && v;
            return this;
        }

        Builder hpmn0(boolean v) {
            hpmn0 = v;
            return this;
        }

        Builder vhe(boolean v) {
            vhe = v;
            return this;
        }
        /** CPU 0 and CPU 1 of two core types, two PMUs; the VM gets CPU 0's as its default PMU. */
        Builder bigLittle() {
            bigLittle = true;
            return this;
        }

        Builder partition(boolean v) {
            partition = v;
            return this;
        }

        Builder nrCounters(int v) {
            nrCounters = v;
            return this;
        }
        /** The RFC's FIXED_COUNTERS_ONLY (kvm-vpmu-uapi.md §1.7): the cycle counter only, on any core type. */
        Builder fixedCountersOnly() {
            fixedCountersOnly = true;
            return this;
        }

        Builder policy(AllocationPolicy p, String name) {
            policy = p;
            policyName = name;
            return this;
        }

        Builder filter(KvmPmuEventFilter f) {
            filters.add(f);
            return this;
        }
        /** The series version whose FGT set a partitioned guest keeps (default V8). */
        Builder partitionFgt(PartitionFgtSet v) {
            partitionFgt = v;
            return this;
        }
        /** Charges go to {@code c} instead of {@link #sink} (which then records nothing). */
        Builder costs(CostSink c) {
            costs = c;
            return this;
        }

        VpmuTestbed build() {
            return new VpmuTestbed(this);
        }
    }
}
