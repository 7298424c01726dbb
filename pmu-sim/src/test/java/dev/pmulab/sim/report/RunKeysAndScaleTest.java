package dev.pmulab.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunKeysAndScaleTest {
    @Test
    void lettersRunLikeSpreadsheetColumns() {
        assertThat(RunKeys.letter(0)).isEqualTo("A");
        assertThat(RunKeys.letter(25)).isEqualTo("Z");
        assertThat(RunKeys.letter(26)).isEqualTo("AA");
        // 26 one-letter keys + 26 * 26 two-letter keys = 702: index 701 is the last two-letter key.
        assertThat(RunKeys.letter(701)).isEqualTo("ZZ");
        assertThat(RunKeys.letter(702)).isEqualTo("AAA");
    }

    @Test
    void wrapBreaksAfterCommasAndNeverCuts() {
        assertThat(RunKeys.wrap("static-hpmn(opt_in=true, reserved_host_counters=2)", 30))
                .containsExactly("static-hpmn(opt_in=true,", "reserved_host_counters=2)");
        assertThat(RunKeys.wrap("abcdefghij", 4)).containsExactly("abcd", "efgh", "ij");
        assertThat(RunKeys.wrap("short", 30)).containsExactly("short");
    }

    @Test
    void twoDecadesStayLinearMoreGoLog() {
        // 1 to 100 is exactly two orders of magnitude: still linear, from 0 to the largest.
        assertThat(ChartScale.of(new double[] {1, 100, Double.NaN, 0})).isEqualTo(new ChartScale(false, 0, 100));
        // 1 to 101 is more: log, from the decade at or below 1 to the one above 101.
        ChartScale log = ChartScale.of(new double[] {1, 101});
        assertThat(log).isEqualTo(new ChartScale(true, 1, 1000));
        assertThat(log.decades()).containsExactly(0, 1, 2, 3);
        // log10(100) = 2 of 3 decades: 2 / 3 * 300 = 200.
        assertThat(log.length(100, 300)).isCloseTo(200, org.assertj.core.data.Offset.offset(1e-9));
        // Zero has no place on a log axis.
        assertThat(log.length(0, 300)).isZero();
        assertThat(ChartScale.of(new double[] {0, Double.NaN})).isEqualTo(new ChartScale(false, 0, 0));
    }

    @Test
    void decadeLabelsAreShort() {
        assertThat(ChartScale.decadeLabel(-2)).isEqualTo("0.01");
        assertThat(ChartScale.decadeLabel(0)).isEqualTo("1");
        assertThat(ChartScale.decadeLabel(2)).isEqualTo("100");
        assertThat(ChartScale.decadeLabel(4)).isEqualTo("10k");
        assertThat(ChartScale.decadeLabel(9)).isEqualTo("1G");
    }

    @Test
    void niceStepsDivideTheRangeIntoAtMostFive() {
        // 24.23 / 5 = 4.85: the next round step is 5.
        assertThat(HtmlRenderer.niceStep(24.2349)).isEqualTo(5);
        // 0.3 / 5 = 0.06: 0.1.
        assertThat(HtmlRenderer.niceStep(0.3)).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(HtmlRenderer.niceStep(0)).isEqualTo(1);
    }
}
