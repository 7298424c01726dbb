package dev.pmulab.hw;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.regs.MdcrEl2;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevtyperEl0;
import dev.pmulab.hw.testing.ReportSeed;
import dev.pmulab.hw.testing.SeededRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Pe}'s kept derived state (rate lookups per rates object and per counter event, the masks
 * refresh() derives per rates slot and Exception level) against a PE that keeps nothing: one
 * built with {@code keepDerived == false} looks every rate up and recomputes every mask at every
 * refresh, as the PE did before the caches. Both run the same seeded random sequence of register writes,
 * context switches among more rates objects than there are slots (so slots are replaced),
 * advances, EL2 brackets and resets; after each step both must hold the same state, and where the
 * step observes them, count the same counters and see the same next overflow and interrupt
 * level. {@value #CASES} cases per run; a failure names its seed ({@code -Dpmulab.seed=...}).
 */
@ExtendWith(ReportSeed.class)
final class PeDerivedCacheProperties {
    private static final int CASES = 1000;
    /** More than Pe.RATE_SLOTS (8), so that slots get replaced. */
    private static final int RATES_POOL = 11;

    private static final int[] EVENTS = {
        Events.SW_INCR, Events.INST_RETIRED, Events.CPU_CYCLES, Events.CHAIN, Events.STALL_BACKEND, 0x1e0, 0x1234
    };
    /** Weighted toward what refresh() derives from: enables, event types, PMCR, MDCR_EL2, flags. */
    private static final PmuRegister[] WRITTEN = {
        PmuRegister.PMEVTYPER_EL0, PmuRegister.PMEVTYPER_EL0, PmuRegister.PMEVTYPER_EL0, PmuRegister.PMCNTENSET_EL0,
        PmuRegister.PMCNTENSET_EL0, PmuRegister.PMCNTENCLR_EL0, PmuRegister.PMCR_EL0, PmuRegister.MDCR_EL2,
        PmuRegister.PMOVSSET_EL0, PmuRegister.PMOVSCLR_EL0, PmuRegister.PMOVSCLR_EL0, PmuRegister.PMEVCNTR_EL0,
        PmuRegister.PMEVCNTR_EL0, PmuRegister.PMCCNTR_EL0, PmuRegister.PMCCFILTR_EL0, PmuRegister.PMXEVTYPER_EL0,
        PmuRegister.PMXEVCNTR_EL0, PmuRegister.PMSELR_EL0, PmuRegister.PMINTENSET_EL1, PmuRegister.PMINTENCLR_EL1,
        PmuRegister.PMSWINC_EL0,
    };

    static Stream<SeededRandom> cases() {
        return SeededRandom.cases(CASES);
    }

    private static EventRates rates(SeededRandom random) {
        EventRates.Builder b = EventRates.builder();
        for (int e : new int[] {Events.CPU_CYCLES, Events.INST_RETIRED, Events.STALL_BACKEND, 0x1e0, 0x1234}) {
            if (random.chance(2, 3)) {
                b.rateQ32(e, random.longBetween(0, 4L << 32));
            }
        }
        return b.build();
    }

    private static long value(SeededRandom random, PmuRegister reg) {
        if (reg == PmuRegister.PMEVTYPER_EL0 || reg == PmuRegister.PMXEVTYPER_EL0 || reg == PmuRegister.PMCCFILTR_EL0) {
            long filters = random.bool()
                    ? 0
                    : random.longBetween(0, 0x3f) << 26 & (PmevtyperEl0.P | PmevtyperEl0.U | PmevtyperEl0.NSH);
            return EVENTS[random.intBetween(0, EVENTS.length - 1)] | filters;
        }
        if (reg == PmuRegister.PMEVCNTR_EL0 || reg == PmuRegister.PMCCNTR_EL0 || reg == PmuRegister.PMXEVCNTR_EL0) {
            // Near an overflow half of the time, so that advances overflow and set flags.
            return random.bool() ? random.longBetween(0xffff_0000L, 0xffff_ffffL) : random.anyLong();
        }
        if (reg == PmuRegister.PMCR_EL0) {
            // Enabled most of the time; the freeze and width controls often (P and C rarely).
            long bits = PmcrEl0.D | PmcrEl0.DP | PmcrEl0.LC | PmcrEl0.LP | PmcrEl0.FZO;
            return (random.chance(4, 5) ? PmcrEl0.E : 0)
                    | (random.anyLong() & bits)
                    | (random.chance(1, 8) ? PmcrEl0.P | PmcrEl0.C : 0);
        }
        if (reg == PmuRegister.MDCR_EL2) {
            long bits = MdcrEl2.HPME | MdcrEl2.HPMD | MdcrEl2.HCCD | MdcrEl2.HLP | MdcrEl2.HPMFZO;
            return (random.anyLong() & bits) | random.intBetween(0, 31);
        }
        if (reg == PmuRegister.PMSELR_EL0) {
            return random.intBetween(0, 31);
        }
        return random.chance(1, 4) ? random.anyLong() : random.longBetween(0, 0xff) | (random.bool() ? 1L << 31 : 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keptDerivedStateEqualsRecomputation(SeededRandom random) {
        boolean fgt = random.bool();
        PmuConfig config = PmuConfig.builder()
                .n(random.intBetween(1, 31))
                .version(random.oneOf(PmuVersion.class))
                .fgt(fgt)
                .hpmn0(fgt)
                .cu(random.oneOf(CuChoice.class))
                .reservedHpmn(random.oneOf(ReservedHpmnChoice.class))
                .events(0x0, 0x08, 0x11, 0x1e, 0x24)
                .build();
        EventRates[] pool = new EventRates[RATES_POOL];
        pool[0] = EventRates.NONE;
        for (int i = 1; i < pool.length; i++) {
            pool[i] = rates(random);
        }
        Pe kept = new Pe(config, true);
        Pe reference = new Pe(config, false);
        // Start from counters that count: enabled in both ranges, each with a random event type.
        long[] types = new long[config.n()];
        for (int i = 0; i < types.length; i++) {
            types[i] = value(random, PmuRegister.PMEVTYPER_EL0);
        }
        for (Pe pe : new Pe[] {kept, reference}) {
            pe.write(PmuRegister.MDCR_EL2, 0, pe.read(PmuRegister.MDCR_EL2, 0).value() | MdcrEl2.HPME);
            pe.write(PmuRegister.PMCR_EL0, 0, PmcrEl0.E);
            pe.write(PmuRegister.PMCNTENSET_EL0, 0, -1L);
            for (int i = 0; i < types.length; i++) {
                pe.write(PmuRegister.PMEVTYPER_EL0, i, types[i]);
            }
        }
        int steps = random.intBetween(1, 200);
        // How often a step writes a register: from every step to hardly any, so that a case also
        // cycles through every rates object with nothing changing (a slot replaced, its masks kept).
        int writeWeight = random.intBetween(0, 11);
        for (int step = 0; step < steps; step++) {
            String what = apply(random, pool, kept, reference, writeWeight);
            assertThat(kept.snapshot()).as("step %d: %s", step, what).isEqualTo(reference.snapshot());
            assertThat(kept.configWrites()).as("step %d: %s", step, what).isEqualTo(reference.configWrites());
            if (random.chance(1, 3)) {
                // Observing refreshes: only some steps do, so that refreshes also come lazily.
                for (int i = 0; i < 32; i++) {
                    assertThat(kept.counts(i))
                            .as("step %d: %s, counts(%d)", step, what, i)
                            .isEqualTo(reference.counts(i));
                }
                assertThat(kept.nextOverflowTime())
                        .as("step %d: %s", step, what)
                        .isEqualTo(reference.nextOverflowTime());
                assertThat(kept.irqAsserted()).as("step %d: %s", step, what).isEqualTo(reference.irqAsserted());
            }
        }
    }

    /** One random step on both PEs; returns what it was, for a failure's message. */
    private static String apply(SeededRandom random, EventRates[] pool, Pe a, Pe b, int writeWeight) {
        int kind = random.intBetween(0, 19);
        if (kind < writeWeight) {
            PmuRegister reg = random.oneOf(WRITTEN);
            int index = random.intBetween(0, 30);
            long v = value(random, reg);
            ExceptionLevel el = random.chance(3, 4) ? a.exceptionLevel() : random.oneOf(ExceptionLevel.class);
            for (Pe pe : new Pe[] {a, b}) {
                pe.switchContext(pe.now(), el, pe.rates());
                pe.write(reg, index, v);
            }
            return "write " + reg + "[" + index + "] = " + Long.toHexString(v) + " at " + el;
        }
        if (kind < 17 || kind == 19 && random.chance(9, 10)) {
            EventRates r = pool[random.intBetween(0, pool.length - 1)];
            ExceptionLevel el = random.oneOf(ExceptionLevel.class);
            long dt = random.chance(1, 4) ? 0 : random.longBetween(1, 1L << random.intBetween(1, 34));
            for (Pe pe : new Pe[] {a, b}) {
                pe.switchContext(pe.now(), el, r);
                pe.advanceTo(pe.now() + dt);
            }
            return "advance " + dt + " at " + el + " under " + r;
        }
        if (kind < 19) {
            // A trap's round trip: into EL2 (nested), a host write or read, back, and time passes.
            PmuRegister reg = random.oneOf(WRITTEN);
            int index = random.intBetween(0, 30);
            long v = value(random, reg);
            boolean write = random.bool();
            long dt = random.longBetween(0, 1L << 20);
            for (Pe pe : new Pe[] {a, b}) {
                pe.enterEl2(pe.now());
                pe.enterEl2(pe.now());
                if (write) {
                    pe.write(reg, index, v);
                } else if (reg != PmuRegister.PMSWINC_EL0) {
                    pe.read(reg, index);
                }
                pe.exitEl2();
                pe.exitEl2();
                pe.advanceTo(pe.now() + dt);
            }
            return "EL2 bracket " + (write ? "write " : "read ") + reg + "[" + index + "], then " + dt;
        }
        a.reset();
        b.reset();
        return "reset";
    }
}
