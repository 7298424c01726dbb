package dev.pmulab.sim.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.EventRates;
import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GroundTruth#add}'s 64-bit path for pieces under {@link EventRates#SHORT_SPAN_NS} and its
 * 128-bit path against the definition: after any sequence of pieces the truth is floor(sum of
 * ns x rate / 2^32), computed here in BigInteger. Pieces are short, just under the limit, at it or
 * long, at rates up to {@link EventRates#MAX_RATE_Q32}. {@value #CASES} seeds.
 */
final class GroundTruthProperties {
    private static final int CASES = 500;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, CASES);
    }

    private static long ns(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextLong(1, 1000);
            case 1 -> EventRates.SHORT_SPAN_NS - r.nextLong(1, 64);
            case 2 -> EventRates.SHORT_SPAN_NS + r.nextLong(0, 64);
            default -> r.nextLong(1, 1L << 34);
        };
    }

    private static long rate(SplittableRandom r) {
        return switch (r.nextInt(3)) {
            case 0 -> EventRates.MAX_RATE_Q32 - r.nextLong(0, 1L << 20);
            case 1 -> r.nextLong(1, 4L << 32);
            default -> r.nextLong(0, EventRates.MAX_RATE_Q32 + 1);
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void truthIsTheFloorOfTheExactSum(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        GroundTruth truth = new GroundTruth();
        BigInteger sumQ32 = BigInteger.ZERO;
        int pieces = r.nextInt(1, 60);
        for (int k = 0; k < pieces; k++) {
            long ns = ns(r);
            long rate = rate(r);
            truth.add(ns, rate);
            sumQ32 = sumQ32.add(BigInteger.valueOf(ns).multiply(BigInteger.valueOf(rate)));
            assertThat(truth.events())
                    .as("seed %d, piece %d: %d ns at %d", seed, k, ns, rate)
                    .isEqualTo(sumQ32.shiftRight(32).longValueExact());
        }
    }
}
