package dev.pmulab.hw;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevtyperEl0;
import dev.pmulab.hw.testing.ReportSeed;
import dev.pmulab.hw.testing.SeededRandom;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Pe} keeps its rate lookups per rates object in a few slots, per counter, and looks a
 * counter up again in a slot when the counter's event changed. Here counters take many distinct
 * events (common ones, some above 0x100, and a few unsupported event numbers) under more rates objects than
 * there are slots, and every counter must hold what counting by hand gives: each advance adds
 * floor((frac + dt * rate) / 2^32) at the rate {@link EventRates#rateQ32} gives the counter's
 * event, the fraction carried per counter (CountPMUEvents with every counter enabled and filtered
 * to count at every level; 64-bit counters, so nothing overflows). Unlike
 * {@code PeDerivedCacheProperties}, which holds the kept state to a PE that keeps none, this
 * checks both against arithmetic done here. {@value #CASES} cases; a failure names its seed
 * ({@code -Dpmulab.seed=...}).
 */
@ExtendWith(ReportSeed.class)
final class PeHandCountProperties {
    private static final int CASES = 300;
    /** More than Pe.RATE_SLOTS (8), so that slots get replaced. */
    private static final int RATES_POOL = 11;
    /** The events the PE's PmuConfig supports: many, common ones and some above 0x100. */
    private static final int[] SUPPORTED = supported();
    /** What counters are programmed with: the supported events and three unsupported event numbers. */
    private static final int[] PROGRAMMED = programmed();

    private static int[] supported() {
        int[] e = new int[76];
        for (int i = 0; i < 64; i++) {
            e[i] = 0x40 + i; // 0x40..0x7f: no SW_INCR (0x00) or CHAIN (0x1e) among them
        }
        for (int i = 0; i < 12; i++) {
            e[64 + i] = 0x4000 + i;
        }
        e[0] = Events.CPU_CYCLES; // 0x11, replacing 0x40
        Arrays.sort(e);
        return e;
    }

    private static int[] programmed() {
        int[] p = Arrays.copyOf(SUPPORTED, SUPPORTED.length + 3);
        p[SUPPORTED.length] =
                0x40; // unsupported here (CPU_CYCLES took its place): counts nothing (PMUv3p8, model choice D8)
        p[SUPPORTED.length + 1] = 0x5000;
        p[SUPPORTED.length + 2] = 0x80;
        return p;
    }

    static Stream<SeededRandom> cases() {
        return SeededRandom.cases(CASES);
    }

    private static EventRates rates(SeededRandom random) {
        EventRates.Builder b = EventRates.builder();
        for (int e : PROGRAMMED) {
            if (random.chance(2, 3)) {
                b.rateQ32(e, random.longBetween(0, 8L << 32));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void countersCountTheirEventsRatesAsByHand(SeededRandom random) {
        int n = random.intBetween(1, 31);
        Pe pe = new Pe(PmuConfig.builder()
                .n(n)
                .version(PmuVersion.P5)
                .events(SUPPORTED)
                .build());
        EventRates[] pool = new EventRates[RATES_POOL];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = rates(random);
        }
        // Every counter and PMCCNTR enabled, 64-bit (PMCR.LP, LC), filtered to count at every level
        // (NSH for EL2; P and U clear for EL1 and EL0).
        pe.write(PmuRegister.PMCR_EL0, 0, PmcrEl0.E | PmcrEl0.LP | PmcrEl0.LC);
        pe.write(PmuRegister.PMCNTENSET_EL0, 0, -1L);
        pe.write(PmuRegister.PMCCFILTR_EL0, 0, PmevtyperEl0.NSH);
        for (int i = 0; i < n; i++) {
            pe.write(PmuRegister.PMEVTYPER_EL0, i, Events.SW_INCR | PmevtyperEl0.NSH);
        }
        int[] event = new int[n];
        long[] expected = new long[n];
        long[] frac = new long[n];
        long expectedCycles = 0;
        long cycleFrac = 0;
        int steps = random.intBetween(1, 400);
        for (int step = 0; step < steps; step++) {
            if (random.chance(1, 2)) {
                int i = random.intBetween(0, n - 1);
                event[i] = PROGRAMMED[random.intBetween(0, PROGRAMMED.length - 1)];
                pe.switchContext(pe.now(), ExceptionLevel.EL2, pe.rates()); // the host programs it
                pe.write(PmuRegister.PMEVTYPER_EL0, i, event[i] | PmevtyperEl0.NSH);
            }
            EventRates r = pool[random.intBetween(0, pool.length - 1)];
            long dt = random.longBetween(0, 1L << random.intBetween(1, 26));
            pe.switchContext(pe.now(), random.oneOf(ExceptionLevel.class), r);
            pe.advanceTo(pe.now() + dt);
            for (int i = 0; i < n; i++) {
                // A counter not programmed yet holds SW_INCR (software increments only), and an
                // unsupported event number counts nothing (model choice D8).
                boolean driven = event[i] != Events.SW_INCR && Arrays.binarySearch(SUPPORTED, event[i]) >= 0;
                long rate = driven ? r.rateQ32(event[i]) : 0;
                long q32 = dt * rate + frac[i]; // below 2^62: dt <= 2^26, rate <= 2^35
                expected[i] += q32 >>> 32;
                frac[i] = q32 & EventRates.FRACTION_Q32;
            }
            long q32 = dt * r.rateQ32(Events.CPU_CYCLES) + cycleFrac;
            expectedCycles += q32 >>> 32;
            cycleFrac = q32 & EventRates.FRACTION_Q32;
            for (int i = 0; i < n; i++) {
                assertThat(pe.eventCounter(i))
                        .as("step %d: counter %d, event 0x%x", step, i, event[i])
                        .isEqualTo(expected[i]);
            }
            assertThat(pe.snapshot().pmccntr()).as("step %d: PMCCNTR", step).isEqualTo(expectedCycles);
        }
    }
}
