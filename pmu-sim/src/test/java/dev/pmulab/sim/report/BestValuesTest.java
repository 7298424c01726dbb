package dev.pmulab.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.sim.metrics.Direction;
import dev.pmulab.sim.metrics.MetricFormat;
import org.junit.jupiter.api.Test;

class BestValuesTest {
    private static final double NA = Double.NaN;

    @Test
    void lowerAndHigher() {
        double[] v = {5, 3, 9};
        assertThat(BestValues.of(Direction.LOWER, MetricFormat.INTEGER, v)).containsExactly(false, true, false);
        assertThat(BestValues.of(Direction.HIGHER, MetricFormat.INTEGER, v)).containsExactly(false, false, true);
    }

    @Test
    void tiesAreAllMarked() {
        assertThat(BestValues.of(Direction.LOWER, MetricFormat.INTEGER, new double[] {0, 4, 0}))
                .containsExactly(true, false, true);
    }

    @Test
    void valuesThatPrintTheSameTie() {
        // 0.004 and 0.001 both print 0.00: a reader could not tell which one won.
        assertThat(BestValues.of(Direction.LOWER, MetricFormat.DECIMAL_2, new double[] {0.004, 0.001, 0.5}))
                .containsExactly(true, true, false);
        assertThat(BestValues.of(Direction.LOWER, MetricFormat.DECIMAL_2, new double[] {0.006, 0.001}))
                .containsExactly(false, true);
    }

    @Test
    void neitherDirectionMarksNothing() {
        assertThat(BestValues.of(Direction.NONE, MetricFormat.INTEGER, new double[] {1, 2, 3}))
                .containsExactly(false, false, false);
    }

    @Test
    void missingValuesAreSkippedAndOneValueIsNoContest() {
        assertThat(BestValues.of(Direction.HIGHER, MetricFormat.INTEGER, new double[] {NA, 2, 1}))
                .containsExactly(false, true, false);
        assertThat(BestValues.of(Direction.HIGHER, MetricFormat.INTEGER, new double[] {NA, 2, NA}))
                .containsExactly(false, false, false);
    }
}
