package dev.pmulab.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRankPicksASample() {
        long[] hundred = LongStream.rangeClosed(1, 100).toArray();
        assertThat(Percentiles.nearestRank(hundred, 99)).isEqualTo(99);
        assertThat(Percentiles.nearestRank(hundred, 100)).isEqualTo(100);
        // Nearest rank, not interpolation: the median of 1..4 is 2, not 2.5.
        assertThat(Percentiles.nearestRank(new long[] {4, 1, 3, 2}, 50)).isEqualTo(2);
        assertThat(Percentiles.nearestRank(new long[] {4, 1, 3, 2}, 1)).isEqualTo(1);
    }

    @Test
    void fewerThanAHundredSamplesGiveTheMaximumAsP99() {
        assertThat(Percentiles.nearestRank(new long[] {300, 900, 450}, 99)).isEqualTo(900);
    }

    @Test
    void decimalPercentilesDoNotSlipARank() {
        long[] thousand = LongStream.rangeClosed(1, 1000).toArray();
        assertThat(Percentiles.nearestRank(thousand, 99.9)).isEqualTo(999);
        assertThat(Percentiles.nearestRank(thousand, 0.1)).isEqualTo(1);
    }

    @Test
    void leavesTheSamplesAlone() {
        long[] samples = {5, 1, 3};
        Percentiles.nearestRank(samples, 50);
        assertThat(samples).containsExactly(5, 1, 3);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[0], 99)).hasMessageContaining("no samples");
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[] {1}, 0)).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[] {1}, 100.5)).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[] {1}, Double.NaN))
                .hasMessageContaining("(0, 100]");
    }
}
