package dev.pmulab.bench;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuConfig;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.kvm.CostSink;
import dev.pmulab.kvm.HostPmuDescriptor;
import dev.pmulab.kvm.perf.PerfCore;
import dev.pmulab.kvm.perf.PerfCoreConfig;
import dev.pmulab.kvm.perf.PerfEvent;
import dev.pmulab.kvm.perf.PerfEventAttr;
import dev.pmulab.kvm.perf.PerfOverflowHandler;
import dev.pmulab.kvm.perf.PerfTask;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two host perf paths the emulated vPMU takes at almost every trapped guest write, on one CPU
 * laid out as one of the flagship's: an AmpereOne-like PMU (N=6 and PMCCNTR), the NMI watchdog
 * pinned on the cycle counter, the host's two system-wide groups of four multiplexing, and a vCPU
 * thread running with KVM's seven pinned exclude_host events, one per guest counter.
 *
 * <ul>
 *   <li>{@link #enableResched}: {@code perf_event_disable} then {@code perf_event_enable} of one
 *       guest event, the enable being a {@code ctx_resched} that takes every task group and the
 *       CPU's flexible groups off and walks them back on (KVM at a guest PMCR_EL0.E or PMCNTENSET
 *       write);
 *   <li>{@link #recreateEvent}: KVM's {@code kvm_pmu_create_perf_event} of one counter, a release
 *       ({@code perf_event_disable} + {@code perf_event_release_kernel}) and a
 *       {@code perf_event_create_kernel_counter} whose install is a {@code ctx_resched} (a guest
 *       PMEVCNTR or PMEVTYPER write);
 *   <li>{@link #recreateStoppedEvent}: the same while the guest's PMU is stopped (PMCR_EL0.E = 0,
 *       every guest event disabled), as in the guest's PMI handler: KVM creates the event
 *       disabled, and the install's resched would put the host's groups back where they are, so
 *       it re-arms them in place.
 * </ul>
 *
 * Each operation is 100 ns after the previous one, so the counters count between them. Run with
 * {@code java -jar pmu-benchmarks/target/benchmarks.jar PerfReschedBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PerfReschedBenchmark {
    private static final int TYPE = 8;
    private static final int GUEST_COUNTERS = 7;
    private static final int[] GUEST_EVENTS = {
        Events.CPU_CYCLES,
        Events.INST_RETIRED,
        Events.BR_RETIRED,
        Events.BR_MIS_PRED,
        Events.L1D_CACHE,
        Events.L1D_CACHE_REFILL,
        Events.STALL_BACKEND
    };

    private PerfCore perf;
    private PerfTask vcpu;
    private final PerfEvent[] guest = new PerfEvent[GUEST_COUNTERS];
    private final PerfEventAttr[] guestAttr = new PerfEventAttr[GUEST_COUNTERS];
    private final PerfEventAttr[] stoppedAttr = new PerfEventAttr[GUEST_COUNTERS];
    private boolean stopped;
    private final PerfOverflowHandler handler = (event, cpu, now) -> {};
    private long now;
    private int next;

    @Setup(Level.Iteration)
    public void setUp() {
        PmuConfig hw = PmuConfig.builder()
                .n(6)
                .version(PmuVersion.P5)
                .events(
                        Events.CPU_CYCLES,
                        Events.INST_RETIRED,
                        Events.BR_RETIRED,
                        Events.BR_MIS_PRED,
                        Events.L1D_CACHE,
                        Events.L1D_CACHE_REFILL,
                        Events.L2D_CACHE,
                        Events.L2D_CACHE_REFILL,
                        Events.STALL_BACKEND)
                .build();
        Pe pe = new Pe(hw);
        pe.switchContext(
                0,
                ExceptionLevel.EL1,
                EventRates.builder()
                        .perSecond(Events.CPU_CYCLES, 3_000_000_000L)
                        .perSecond(Events.INST_RETIRED, 4_500_000_000L)
                        .perSecond(Events.BR_RETIRED, 600_000_000L)
                        .perSecond(Events.BR_MIS_PRED, 9_000_000L)
                        .perSecond(Events.L1D_CACHE, 1_500_000_000L)
                        .perSecond(Events.L1D_CACHE_REFILL, 45_000_000L)
                        .perSecond(Events.STALL_BACKEND, 900_000_000L)
                        .build());
        perf = new PerfCore(
                PerfCoreConfig.defaults(),
                List.of(new HostPmuDescriptor("armv8_pmuv3_0", TYPE, new int[] {0}, hw)),
                List.of(pe),
                CostSink.NONE);
        now = 0;
        // The NMI watchdog, then `perf stat -a` with two groups of four.
        perf.open(0, PerfEventAttr.builder(TYPE, Events.CPU_CYCLES).pinned(true).build(), null, 0, null, now);
        openGroup(Events.CPU_CYCLES, Events.INST_RETIRED, Events.BR_RETIRED, Events.BR_MIS_PRED);
        openGroup(Events.L1D_CACHE, Events.L1D_CACHE_REFILL, Events.L2D_CACHE, Events.L2D_CACHE_REFILL);
        vcpu = new PerfTask(1000, "vcpu0");
        perf.schedIn(0, vcpu, now);
        for (int i = 0; i < GUEST_COUNTERS; i++) {
            // As kvm_pmu_create_perf_event builds them: pinned, exclude_host, exclude_hv, sampling
            // at the distance to the guest counter's overflow.
            guestAttr[i] = PerfEventAttr.builder(TYPE, GUEST_EVENTS[i])
                    .pinned(true)
                    .excludeHost(true)
                    .excludeHv(true)
                    .samplePeriod(1L << 31)
                    .build();
            guest[i] = perf.createKernelCounter(0, guestAttr[i], -1, vcpu, handler, now);
            stoppedAttr[i] = guestAttr[i].toBuilder().disabled(true).build();
        }
        next = 0;
        stopped = false;
    }

    private void openGroup(int... events) {
        PerfEvent leader = null;
        for (int event : events) {
            PerfEvent e = perf.open(0, PerfEventAttr.builder(TYPE, event).build(), null, 0, leader, now);
            if (leader == null) {
                leader = e;
            }
        }
    }

    private int nextCounter() {
        int i = next;
        next = i + 1 == GUEST_COUNTERS ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public long enableResched() {
        int i = nextCounter();
        now += 100;
        perf.disable(0, guest[i], now);
        now += 100;
        perf.enable(0, guest[i], now);
        return perf.reschedCount();
    }

    @Benchmark
    public long recreateEvent() {
        int i = nextCounter();
        now += 100;
        perf.disable(0, guest[i], now);
        perf.close(0, guest[i], now);
        guest[i] = perf.createKernelCounter(0, guestAttr[i], -1, vcpu, handler, now);
        return perf.reschedCount();
    }

    @Benchmark
    public long recreateStoppedEvent() {
        if (!stopped) {
            // The guest's PMCR_EL0.E = 0: KVM disables every guest event.
            for (PerfEvent e : guest) {
                perf.disable(0, e, now);
            }
            stopped = true;
        }
        int i = nextCounter();
        now += 100;
        perf.disable(0, guest[i], now);
        perf.close(0, guest[i], now);
        guest[i] = perf.createKernelCounter(0, stoppedAttr[i], -1, vcpu, handler, now);
        return perf.reschedCount();
    }
}
