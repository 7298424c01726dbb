package dev.pmulab.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class SampleCountsTest {

    @Test
    void percentilesAndSumAreThoseOfTheSamples() {
        SplittableRandom random = new SplittableRandom(18);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(500);
            // Few distinct values, as vcpu_load costs are; enough of them to grow the table.
            int distinct = 1 + random.nextInt(200);
            long[] samples = new long[n];
            SampleCounts counts = new SampleCounts();
            long sum = 0;
            for (int i = 0; i < n; i++) {
                samples[i] = 15L * random.nextInt(distinct) - 30;
                counts.add(samples[i]);
                sum += samples[i];
            }
            assertThat(counts.count()).isEqualTo(n);
            assertThat(counts.sum()).isEqualTo(sum);
            for (double p : new double[] {1, 50, 90, 99, 99.9, 100}) {
                assertThat(Percentiles.nearestRank(counts, p))
                        .as("p%s of %d samples", p, n)
                        .isEqualTo(Percentiles.nearestRank(samples, p));
            }
        }
    }

    @Test
    void p99OfAHandfulIsTheMaximum() {
        // ceil(0.99 * 3) = 3: the third of 0, 15, 15 in order.
        SampleCounts counts = new SampleCounts();
        counts.add(15);
        counts.add(0);
        counts.add(15);
        assertThat(Percentiles.nearestRank(counts, 99)).isEqualTo(15);
        // ceil(0.5 * 3) = 2: 15.
        assertThat(Percentiles.nearestRank(counts, 50)).isEqualTo(15);
        // ceil(0.01 * 3) = 1: 0.
        assertThat(Percentiles.nearestRank(counts, 1)).isZero();
    }

    @Test
    void noSamplesHaveNoPercentile() {
        assertThatThrownBy(() -> Percentiles.nearestRank(new SampleCounts(), 99))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no samples");
    }
}
