package dev.pmulab.hw;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.regs.MdcrEl2;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevtyperEl0;
import dev.pmulab.hw.testing.ReportSeed;
import dev.pmulab.hw.testing.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants of the PMUv3 model that must hold for any configuration and any access sequence, each
 * checked on {@value #CASES} random cases per run. A failure names its seed and the command that
 * replays it ({@code -Dpmulab.seed=...}; docs/architecture.md, "Tests").
 */
@ExtendWith(ReportSeed.class)
final class PeProperties {
    private static final int CASES = 1000;

    private static final PmuRegister[] WRITABLE = {
        PmuRegister.PMCR_EL0, PmuRegister.PMCNTENSET_EL0, PmuRegister.PMCNTENCLR_EL0, PmuRegister.PMOVSSET_EL0,
        PmuRegister.PMOVSCLR_EL0, PmuRegister.PMINTENSET_EL1, PmuRegister.PMINTENCLR_EL1, PmuRegister.PMSWINC_EL0,
        PmuRegister.PMSELR_EL0, PmuRegister.PMCCNTR_EL0, PmuRegister.PMCCFILTR_EL0, PmuRegister.PMXEVTYPER_EL0,
        PmuRegister.PMXEVCNTR_EL0, PmuRegister.PMUSERENR_EL0, PmuRegister.PMEVCNTR_EL0, PmuRegister.PMEVTYPER_EL0,
        PmuRegister.MDCR_EL2, PmuRegister.BRBCR_EL1, PmuRegister.BRBCR_EL2, PmuRegister.BRBFCR_EL1,
        PmuRegister.PMCEID0_EL0, PmuRegister.PMMIR_EL1,
    };
    private static final Integer[] EVENTS = {
        Events.SW_INCR, Events.INST_RETIRED, Events.CPU_CYCLES, Events.CHAIN, Events.STALL_BACKEND, 0x1234
    };
    private static final EventRates[] RATES = {
        EventRates.NONE,
        EventRates.builder()
                .rate(Events.CPU_CYCLES, 3, 1)
                .rate(Events.INST_RETIRED, 7, 3)
                .build(),
        EventRates.builder()
                .perSecond(Events.CPU_CYCLES, 2_400_000_000L)
                .perSecond(Events.STALL_BACKEND, 333_333_333L)
                .perSecond(0x1234, 5)
                .build(),
    };

    /** One step of a random run: a register write at some level, or time passing under a context. */
    sealed interface Op permits WriteOp, AdvanceOp {}

    record WriteOp(ExceptionLevel el, PmuRegister reg, int index, long value) implements Op {}

    record AdvanceOp(long dt, ExceptionLevel el, int rates) implements Op {}

    static Stream<SeededRandom> cases() {
        return SeededRandom.cases(CASES);
    }

    private static PmuConfig config(SeededRandom random) {
        boolean fgt = random.bool();
        return PmuConfig.builder()
                .n(random.intBetween(1, 31))
                .version(random.oneOf(PmuVersion.class))
                .fgt(fgt)
                .hpmn0(fgt)
                .brbe(random.bool())
                .cu(random.oneOf(CuChoice.class))
                .reservedHpmn(random.oneOf(ReservedHpmnChoice.class))
                .events(0x0, 0x08, 0x11, 0x1e, 0x24)
                .build();
    }

    /** Any value, small values, values near the 32-bit edge, small negatives, or an event with filter bits. */
    private static long registerValue(SeededRandom random) {
        switch (random.intBetween(0, 5)) {
            case 0:
                return random.anyLong();
            case 1:
                return random.longBetween(0, 0x3f);
            case 2:
                return random.longBetween(0, 0xff_ffff);
            case 3:
                return random.longBetween(0xffff_ff00L, 0xffff_ffffL);
            case 4:
                return random.longBetween(-256, -1);
            default:
                return (long) random.oneOf(EVENTS) | (random.longBetween(0, 0x1f) << 27);
        }
    }

    private static Op write(SeededRandom random, ExceptionLevel... levels) {
        return new WriteOp(
                random.oneOf(levels), random.oneOf(WRITABLE), random.intBetween(0, 30), registerValue(random));
    }

    /** Up to 60 steps, four writes (at any level) to one advance. */
    private static List<Op> run(SeededRandom random) {
        return random.listOf(
                60,
                () -> random.chance(4, 5)
                        ? write(random, ExceptionLevel.values())
                        : new AdvanceOp(
                                random.longBetween(0, 1L << 34),
                                random.oneOf(ExceptionLevel.class),
                                random.intBetween(0, RATES.length - 1)));
    }

    /** Up to 60 writes at EL0 or EL1. */
    private static List<Op> lowerLevelWrites(SeededRandom random) {
        return random.listOf(60, () -> write(random, ExceptionLevel.EL0, ExceptionLevel.EL1));
    }

    private static long apply(Pe pe, Op op) {
        if (op instanceof WriteOp w) {
            pe.switchContext(pe.now(), w.el(), pe.rates());
            pe.write(w.reg(), w.index(), w.value());
        } else if (op instanceof AdvanceOp a) {
            pe.switchContext(pe.now(), a.el(), RATES[a.rates()]);
            pe.advanceTo(pe.now() + a.dt());
        }
        return pe.now();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nothingDoneAtEl0OrEl1ChangesSecondRangeState(SeededRandom random) {
        PmuConfig config = config(random);
        int hpmnSeed = random.intBetween(0, 30);
        List<Op> setup = run(random);
        List<Op> lowerLevel = lowerLevelWrites(random);
        Pe pe = new Pe(config);
        for (Op op : setup) {
            apply(pe, op);
        }
        // A legal partition with a non-empty second range.
        pe.switchContext(pe.now(), ExceptionLevel.EL2, EventRates.NONE);
        int hpmn = config.hpmn0() ? hpmnSeed % config.n() : 1 + hpmnSeed % Math.max(1, config.n() - 1);
        long mdcr = pe.read(PmuRegister.MDCR_EL2, 0).value();
        pe.write(PmuRegister.MDCR_EL2, 0, MdcrEl2.withHpmn(mdcr, hpmn));
        long r2 = ((1L << config.n()) - 1) & ~((1L << pe.effectiveHpmn()) - 1);
        Pe.Snapshot before = pe.snapshot();
        for (Op op : lowerLevel) {
            apply(pe, op); // writes only: time does not pass, so nothing counts
        }
        Pe.Snapshot after = pe.snapshot();
        assertThat(after.mdcr()).isEqualTo(before.mdcr());
        assertThat(after.pmcnten() & r2).isEqualTo(before.pmcnten() & r2);
        assertThat(after.pminten() & r2).isEqualTo(before.pminten() & r2);
        assertThat(after.pmovs() & r2).isEqualTo(before.pmovs() & r2);
        for (int i = pe.effectiveHpmn(); i < config.n(); i++) {
            assertThat(after.pmevcntr()[i]).as("PMEVCNTR%d", i).isEqualTo(before.pmevcntr()[i]);
            assertThat(after.pmevtyper()[i]).as("PMEVTYPER%d", i).isEqualTo(before.pmevtyper()[i]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void counterChangesOnlyByCountingWriteResetOrWrap(SeededRandom random) {
        PmuConfig config = config(random);
        List<Op> run = run(random);
        Pe pe = new Pe(config);
        int n = config.n();
        for (Op op : run) {
            Pe.Snapshot before = pe.snapshot();
            boolean[] counted = new boolean[n];
            if (op instanceof AdvanceOp a) {
                pe.switchContext(pe.now(), a.el(), RATES[a.rates()]);
                for (int i = 0; i < n; i++) {
                    counted[i] = pe.counts(i);
                }
            } else {
                pe.switchContext(pe.now(), ((WriteOp) op).el(), pe.rates());
                for (int i = 0; i < n; i++) {
                    counted[i] = pe.counts(i);
                }
            }
            apply(pe, op);
            Pe.Snapshot after = pe.snapshot();
            for (int i = 0; i < n; i++) {
                long was = before.pmevcntr()[i];
                long now = after.pmevcntr()[i];
                if (was == now) {
                    continue;
                }
                String why = explain(op, i, was, now, counted[i], before, config);
                assertThat(why)
                        .as("PMEVCNTR%d changed from %x to %x by %s", i, was, now, op)
                        .isNotNull();
            }
        }
    }

    /** Names the legitimate cause of a counter change, or null if there is none. */
    private static String explain(
            Op op, int i, long was, long now, boolean counted, Pe.Snapshot before, PmuConfig config) {
        if (op instanceof AdvanceOp) {
            // Counting (a CHAIN counter counts its neighbour's carries); the value moves forward, possibly wrapping.
            return counted ? "counting" : null;
        }
        WriteOp w = (WriteOp) op;
        if (w.reg() == PmuRegister.PMEVCNTR_EL0 && w.index() == i) {
            return "direct write";
        }
        if (w.reg() == PmuRegister.PMXEVCNTR_EL0 && before.pmselr() == i) {
            return "indirect write";
        }
        if (w.reg() == PmuRegister.PMCR_EL0 && (w.value() & 2) != 0 && now == 0) {
            return "PMCR.P reset";
        }
        if (w.reg() == PmuRegister.PMSWINC_EL0 && counted) {
            long width = config.version().atLeast(PmuVersion.P5) ? -1L : 0xffff_ffffL;
            boolean own = (w.value() & (1L << i)) != 0 && now == ((was + 1) & width);
            boolean chained = (i & 1) == 1 && now == ((was + 1) & width);
            return own || chained ? "software increment" : null;
        }
        return null;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lazyAdvanceEqualsStepwiseAdvance(SeededRandom random) {
        PmuConfig config = config(random);
        List<Op> setup = run(random);
        int el = random.intBetween(0, 2);
        int rates = random.intBetween(1, 2);
        List<Integer> cuts = random.listOf(20, () -> random.intBetween(0, 1_000_000));
        int scale = random.intBetween(1, 40);
        Pe lazy = new Pe(config);
        Pe stepwise = new Pe(config);
        for (Op op : setup) {
            apply(lazy, op);
            apply(stepwise, op);
        }
        ExceptionLevel level = ExceptionLevel.of(el);
        long start = lazy.now();
        lazy.switchContext(start, level, RATES[rates]);
        stepwise.switchContext(start, level, RATES[rates]);
        long end = start + 1_000_000L * scale * 1000;
        List<Long> points = new ArrayList<>();
        for (int c : cuts) {
            points.add(start + (long) c * scale * 1000);
        }
        points.sort(null);
        lazy.advanceTo(end);
        for (long t : points) {
            // Alternate plain advances with context switches to the same context: neither may change the result.
            if ((t & 1) == 0) {
                stepwise.advanceTo(t);
            } else {
                stepwise.switchContext(t, level, RATES[rates]);
            }
        }
        stepwise.advanceTo(end);
        assertThat(stepwise.snapshot()).isEqualTo(lazy.snapshot());
        assertThat(stepwise.irqAsserted()).isEqualTo(lazy.irqAsserted());
    }

    /**
     * {@link Pe#nextOverflowTime} is the instant the overflow interrupt rises: one ns before it the
     * request is still low, at it the request is high. From a random state with the flags cleared,
     * every counter enabled with its interrupt, and PMCCNTR near its overflow half of the time, so
     * that the cycle counter's rate and fraction (kept apart from the event counters' indices)
     * decide many cases.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nextOverflowTimeIsWhenTheInterruptRises(SeededRandom random) {
        PmuConfig config = config(random);
        Pe pe = new Pe(config);
        for (Op op : run(random)) {
            apply(pe, op);
        }
        pe.switchContext(pe.now(), ExceptionLevel.EL2, pe.rates());
        pe.write(PmuRegister.PMCR_EL0, 0, pe.read(PmuRegister.PMCR_EL0, 0).value() | PmcrEl0.E);
        pe.write(PmuRegister.MDCR_EL2, 0, pe.read(PmuRegister.MDCR_EL2, 0).value() | MdcrEl2.HPME);
        pe.write(PmuRegister.PMCNTENSET_EL0, 0, -1L);
        pe.write(PmuRegister.PMINTENSET_EL1, 0, -1L);
        if (random.bool()) {
            pe.write(PmuRegister.PMCCNTR_EL0, 0, -random.longBetween(1, 1L << 20));
            if (random.chance(3, 4)) {
                pe.write(PmuRegister.PMCCFILTR_EL0, 0, PmevtyperEl0.NSH); // counts at every level
            }
        }
        pe.write(PmuRegister.PMOVSCLR_EL0, 0, -1L);
        pe.switchContext(pe.now(), random.oneOf(ExceptionLevel.class), RATES[random.intBetween(1, 2)]);
        long t = pe.nextOverflowTime();
        long horizon = pe.now() + (1L << 36);
        if (t > horizon) {
            pe.advanceTo(horizon);
            assertThat(pe.irqAsserted()).as("nothing overflows before %d", t).isFalse();
            return;
        }
        assertThat(pe.irqAsserted()).as("at %d, before %d", pe.now(), t).isFalse();
        pe.advanceTo(t - 1);
        assertThat(pe.irqAsserted()).as("one ns before %d", t).isFalse();
        pe.advanceTo(t);
        assertThat(pe.irqAsserted()).as("at %d", t).isTrue();
    }

    /** Rates up to the largest an EventRates takes, where a segment's product comes closest to 2^63. */
    private static EventRates fastRates(SeededRandom random) {
        return EventRates.builder()
                .rateQ32(Events.CPU_CYCLES, random.bool() ? EventRates.MAX_RATE_Q32 : random.longBetween(1, 8L << 32))
                .rateQ32(Events.INST_RETIRED, random.longBetween(0, EventRates.MAX_RATE_Q32))
                .rateQ32(
                        Events.STALL_BACKEND,
                        random.longBetween(EventRates.MAX_RATE_Q32 - 0xffff, EventRates.MAX_RATE_Q32))
                .build();
    }

    /**
     * countSegment's 64-bit path for segments under {@code EventRates.SHORT_SPAN_NS} against its 128-bit
     * path: one advance longer than the limit (128-bit) and the same span in steps each under it
     * (64-bit), many just under it, at rates up to the maximum, must leave the same state.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shortSegmentsCountAsOneLongSegment(SeededRandom random) {
        PmuConfig config = config(random);
        List<Op> setup = run(random);
        Pe whole = new Pe(config);
        Pe steps = new Pe(config);
        for (Op op : setup) {
            apply(whole, op);
            apply(steps, op);
        }
        // Then most counters count the fast events, so that nearly every case takes both paths.
        int[] events = new int[config.n()];
        for (int i = 0; i < events.length; i++) {
            events[i] = random.oneOf(new Integer[] {Events.INST_RETIRED, Events.STALL_BACKEND, Events.CPU_CYCLES});
        }
        for (Pe pe : new Pe[] {whole, steps}) {
            pe.switchContext(pe.now(), ExceptionLevel.EL2, pe.rates());
            pe.write(PmuRegister.PMCR_EL0, 0, pe.read(PmuRegister.PMCR_EL0, 0).value() | PmcrEl0.E);
            pe.write(PmuRegister.MDCR_EL2, 0, pe.read(PmuRegister.MDCR_EL2, 0).value() | MdcrEl2.HPME);
            pe.write(PmuRegister.PMCNTENSET_EL0, 0, -1L);
            for (int i = 0; i < events.length; i++) {
                pe.write(PmuRegister.PMEVTYPER_EL0, i, events[i]);
            }
        }
        ExceptionLevel level = ExceptionLevel.of(random.intBetween(0, 2));
        EventRates rates = fastRates(random);
        long start = whole.now();
        whole.switchContext(start, level, rates);
        steps.switchContext(start, level, rates);
        int count = random.intBetween(1, 40);
        long t = start;
        for (int k = 0; k < count; k++) {
            long dt = random.chance(1, 2)
                    ? EventRates.SHORT_SPAN_NS - random.longBetween(1, 16)
                    : random.longBetween(1, EventRates.SHORT_SPAN_NS - 1);
            t += dt;
            steps.advanceTo(t);
        }
        if (t - start < EventRates.SHORT_SPAN_NS) {
            t = start + EventRates.SHORT_SPAN_NS + random.longBetween(0, 1000);
            steps.advanceTo(t);
        }
        whole.advanceTo(t);
        assertThat(steps.snapshot()).isEqualTo(whole.snapshot());
    }

    /**
     * {@link Pe#writeChecked}'s small front (one method per hot register) against the full switch
     * it stands in for: a PE with FEAT_BRBE sends every write through {@code writeAny}, one without
     * takes the front. With the BRBE registers never written, BRBE records nothing and never
     * pauses, so both PEs must hold the same state, configuration write count, next overflow and
     * interrupt level after every step of the same run.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void writeFrontEqualsTheFullSwitch(SeededRandom random) {
        PmuConfig front = PmuConfig.builder()
                .n(random.intBetween(1, 31))
                .version(random.oneOf(PmuVersion.class))
                .cu(random.oneOf(CuChoice.class))
                .reservedHpmn(random.oneOf(ReservedHpmnChoice.class))
                .events(0x0, 0x08, 0x11, 0x1e, 0x24)
                .build();
        PmuConfig full = PmuConfig.builder()
                .n(front.n())
                .version(front.version())
                .cu(front.cu())
                .reservedHpmn(front.reservedHpmn())
                .events(0x0, 0x08, 0x11, 0x1e, 0x24)
                .brbe(true)
                .build();
        List<Op> run = random.listOf(80, () -> {
            if (random.chance(1, 5)) {
                return new AdvanceOp(
                        random.longBetween(0, 1L << 34),
                        random.oneOf(ExceptionLevel.class),
                        random.intBetween(0, RATES.length - 1));
            }
            Op w;
            do {
                w = write(random, ExceptionLevel.values());
            } while (((WriteOp) w).reg().name().startsWith("BRB"));
            return w;
        });
        Pe a = new Pe(front);
        Pe b = new Pe(full);
        for (Op op : run) {
            apply(a, op);
            apply(b, op);
            assertThat(a.snapshot()).as("after %s", op).isEqualTo(b.snapshot());
            assertThat(a.configWrites()).as("after %s", op).isEqualTo(b.configWrites());
            assertThat(a.nextOverflowTime()).as("after %s", op).isEqualTo(b.nextOverflowTime());
            assertThat(a.irqAsserted()).as("after %s", op).isEqualTo(b.irqAsserted());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void interruptLevelAlwaysEqualsItsDefinition(SeededRandom random) {
        PmuConfig config = config(random);
        List<Op> run = run(random);
        Pe pe = new Pe(config);
        for (Op op : run) {
            apply(pe, op);
            pe.switchContext(pe.now(), ExceptionLevel.EL2, pe.rates());
            long pmcr = pe.read(PmuRegister.PMCR_EL0, 0).value();
            long mdcr = pe.read(PmuRegister.MDCR_EL2, 0).value();
            long ovs = pe.read(PmuRegister.PMOVSSET_EL0, 0).value();
            long inten = pe.read(PmuRegister.PMINTENSET_EL1, 0).value();
            int raw = MdcrEl2.hpmn(mdcr);
            int n = config.n();
            int hpmn = raw > n || (raw == 0 && !config.hpmn0())
                    ? (config.reservedHpmn() == ReservedHpmnChoice.AS_N ? n : 0)
                    : raw;
            // Arm ARM D13.3.1: for some n, PMOVSSET[n] && PMINTENSET[n] && the enable of n's range
            // (PMCR.E below HPMN and for PMCCNTR, MDCR_EL2.HPME at or above HPMN).
            boolean expected = false;
            for (int i = 0; i < 32; i++) {
                if (i < 31 && i >= n) {
                    continue;
                }
                boolean enable = i == 31 || i < hpmn ? (pmcr & 1) != 0 : (mdcr & (1 << 7)) != 0;
                expected |= (ovs & inten & (1L << i)) != 0 && enable;
            }
            assertThat(pe.irqAsserted()).as("after %s", op).isEqualTo(expected);
        }
    }
}
