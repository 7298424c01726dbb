package dev.pmulab.bench;

import dev.pmulab.hw.AccessOutcome;
import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuConfig;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.MdcrEl2;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevtyperEl0;
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
 * The two operations the simulator performs most on a PE: a guest's register access (the check
 * then the access, as a trapped-or-not decision needs) and bringing every counter up to date.
 * Targets (issue 2): a register access well under 50 ns, advancing a PE under 100 ns.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PeBenchmark {
    private Pe pe;
    private long now;
    private long value;
    private EventRates guestKernelRates;
    private EventRates hostKernelRates;
    private EventRates refillRates;

    @Setup(Level.Iteration)
    public void setUp() {
        // A Neoverse-N1-like PE: N=6, p1 events, every counter and PMCCNTR counting at EL0/EL1
        // as a guest's perf stat would have them, HPMN=4 so both ranges are populated.
        pe = new Pe(PmuConfig.builder()
                .n(6)
                .events(0x0, 0x3, 0x4, 0x8, 0x10, 0x11, 0x12, 0x1e, 0x23, 0x24)
                .build());
        int[] events = {
            Events.INST_RETIRED,
            Events.L1D_CACHE,
            Events.L1D_CACHE_REFILL,
            Events.BR_MIS_PRED,
            Events.STALL_BACKEND,
            Events.CPU_CYCLES
        };
        for (int i = 0; i < events.length; i++) {
            pe.write(PmuRegister.PMEVTYPER_EL0, i, events[i] | PmevtyperEl0.NSH);
        }
        pe.write(PmuRegister.MDCR_EL2, 0, MdcrEl2.withHpmn(MdcrEl2.HPME, 4));
        pe.write(PmuRegister.PMCNTENSET_EL0, 0, 0x8000003fL);
        pe.write(PmuRegister.PMINTENSET_EL1, 0, 0x1);
        pe.write(PmuRegister.PMCR_EL0, 0, PmcrEl0.E);
        EventRates rates = EventRates.builder()
                .perSecond(Events.CPU_CYCLES, 3_000_000_000L)
                .perSecond(Events.INST_RETIRED, 4_500_000_000L)
                .perSecond(Events.L1D_CACHE, 1_500_000_000L)
                .perSecond(Events.L1D_CACHE_REFILL, 45_000_000L)
                .perSecond(Events.BR_MIS_PRED, 9_000_000L)
                .perSecond(Events.STALL_BACKEND, 900_000_000L)
                .build();
        pe.switchContext(0, ExceptionLevel.EL1, rates);
        now = 0;
        guestKernelRates = rates;
        hostKernelRates = EventRates.builder()
                .perSecond(Events.CPU_CYCLES, 3_000_000_000L)
                .perSecond(Events.INST_RETIRED, 2_000_000_000L)
                .perSecond(Events.L1D_CACHE, 700_000_000L)
                .build();
        refillRates = EventRates.builder()
                .perSecond(Events.CPU_CYCLES, 3_000_000_000L)
                .build();
    }

    /** A guest reading a first-range counter at EL1: the access check, then the read. */
    @Benchmark
    public long readEventCounterAtEl1() {
        AccessOutcome o = pe.check(PmuRegister.PMEVCNTR_EL0, 2, false);
        return o == AccessOutcome.OK ? pe.readChecked(PmuRegister.PMEVCNTR_EL0, 2) : -1;
    }

    /** A guest write that reprograms counting (PMEVTYPER): check, write, recompute what counts. */
    @Benchmark
    public AccessOutcome writeEventTypeAtEl1() {
        value ^= 1;
        AccessOutcome o = pe.check(PmuRegister.PMEVTYPER_EL0, 1, true);
        if (o == AccessOutcome.OK) {
            pe.writeChecked(PmuRegister.PMEVTYPER_EL0, 1, Events.L1D_CACHE | (value << 30));
        }
        return o;
    }

    /** An access that traps (second range from EL1): the decision alone. */
    @Benchmark
    public AccessOutcome trappedAccessCheck() {
        return pe.check(PmuRegister.PMEVCNTR_EL0, 5, false);
    }

    /** Bringing all six counters and PMCCNTR up to date across 1 µs of guest execution. */
    @Benchmark
    public long advanceAllCounters() {
        now += 1_000;
        pe.advanceTo(now);
        return pe.eventCounter(0);
    }

    /**
     * The registers the host driver writes when perf moves an event on and off a counter at one
     * instant (armpmu_add then armpmu_del of an event on counter 3, as ctx_resched does for every
     * event it moves): the counter, interrupt and flag cleared, the period written, the type
     * rewritten and the counter enabled, then disabled again and read back, inside the EL2
     * bracket. Each write goes through {@link Pe#writeChecked} with a constant register, the
     * case its small front is for (measure it with the launcher's flags: {@code -jvmArgs
     * "-XX:+UseSerialGC -XX:-TieredCompilation"}).
     */
    @Benchmark
    public long driverAddAndDelAtEl2() {
        long bit = 1L << 3;
        pe.enterEl2(now);
        pe.writeChecked(PmuRegister.PMCNTENCLR_EL0, 0, bit);
        pe.writeChecked(PmuRegister.PMINTENCLR_EL1, 0, bit);
        pe.writeChecked(PmuRegister.PMOVSCLR_EL0, 0, bit);
        pe.writeChecked(PmuRegister.PMEVCNTR_EL0, 3, 0x8000_0000L);
        pe.writeChecked(PmuRegister.PMEVTYPER_EL0, 3, Events.BR_MIS_PRED | PmevtyperEl0.NSH);
        pe.writeChecked(PmuRegister.PMINTENSET_EL1, 0, bit);
        pe.writeChecked(PmuRegister.PMCNTENSET_EL0, 0, bit);
        pe.writeChecked(PmuRegister.PMCNTENCLR_EL0, 0, bit);
        pe.writeChecked(PmuRegister.PMINTENCLR_EL1, 0, bit);
        pe.writeChecked(PmuRegister.PMOVSCLR_EL0, 0, bit);
        long read = pe.readChecked(PmuRegister.PMEVCNTR_EL0, 3);
        pe.writeChecked(PmuRegister.PMCNTENSET_EL0, 0, bit); // back as setUp left it
        pe.exitEl2();
        return read;
    }

    /**
     * The PE's side of a trapped guest access, as the engine runs it: the guest kernel at EL1, the
     * host's EL2 handling the trap under the host kernel's rates (no register changes), the
     * guest's refill after the exit, and back to the guest kernel; each context runs a while.
     * Every switch changes the rates, so each advance refreshes what counts: the case the
     * derived state kept per rates and level is for.
     */
    @Benchmark
    public long trapRoundTrip() {
        pe.switchContext(now, ExceptionLevel.EL2, hostKernelRates);
        now += 700;
        pe.switchContext(now, ExceptionLevel.EL1, refillRates);
        now += 300;
        pe.switchContext(now, ExceptionLevel.EL1, guestKernelRates);
        now += 100;
        pe.advanceTo(now);
        return pe.eventCounter(0);
    }

    /** When the interrupt-enabled counter overflows next (computed, not stepped). */
    @Benchmark
    public long nextOverflowTime() {
        return pe.nextOverflowTime();
    }
}
