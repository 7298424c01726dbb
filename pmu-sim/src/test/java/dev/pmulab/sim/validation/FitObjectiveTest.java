package dev.pmulab.sim.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

final class FitObjectiveTest {
    private static final double LN2_SQ = Math.log(2) * Math.log(2); // 0.480453...
    private static final double CAP = Math.log(100) * Math.log(100); // 4.605170^2 = 21.207592...

    @Test
    void aPerfectRowCostsNothing() {
        // Benchmark 1 real time: -24.23 % simulated against -24.23 % published, ratio 1, ln 1 = 0.
        assertThat(FitObjective.term(-24.23, -24.23)).isZero();
    }

    @Test
    void twiceTooLargeAndHalfTooSmallCostTheSame() {
        // -48.46 / -24.23 = 2 and 12.115 / 24.23 = 0.5: ln 2 = 0.693147, ln 0.5 = -0.693147, squared 0.480453.
        assertThat(FitObjective.term(-48.46, -24.23)).isCloseTo(LN2_SQ, within(1e-12));
        assertThat(FitObjective.term(12.115, 24.23)).isCloseTo(LN2_SQ, within(1e-12));
        assertThat(LN2_SQ).isCloseTo(0.480453, within(1e-6));
    }

    @Test
    void theLettersToleranceIsAFewHundredthsPerRow() {
        // ±25 %: ln 1.25 = 0.223144 -> 0.049793; ln 0.75 = -0.287682 -> 0.082761.
        assertThat(FitObjective.term(1.25, 1)).isCloseTo(0.049793, within(1e-6));
        assertThat(FitObjective.term(0.75, 1)).isCloseTo(0.082761, within(1e-6));
    }

    @Test
    void aMissingZeroOrWrongSignedValueCostsTheCap() {
        // ln 100 = 4.605170, squared 21.207592.
        assertThat(FitObjective.capped()).isCloseTo(21.207592, within(1e-6));
        assertThat(FitObjective.term(Double.NaN, -24.23)).isEqualTo(CAP);
        assertThat(FitObjective.term(0, -24.23)).isEqualTo(CAP);
        assertThat(FitObjective.term(+10, -30.82)).isEqualTo(CAP);
        assertThat(FitObjective.term(5, 0)).isEqualTo(CAP);
    }

    @Test
    void aValueFurtherOffThanTheCapIsCapped() {
        // 1000 times off: ln 1000 = 6.907755, squared 47.717, above the cap.
        assertThat(FitObjective.term(1000, 1)).isEqualTo(CAP);
        // 99 times off stays below it: ln 99 = 4.5951199, squared 21.115126.
        assertThat(FitObjective.term(99, 1)).isCloseTo(21.115126, within(1e-6));
    }

    @Test
    void theObjectiveIsTheSumOfTheTerms() {
        // Four fit rows at ratios 2, 1, 0.5 and e, the level at e^-2:
        // ln²2 + 0 + ln²2 + 1 + 4 = 5 + 2 × 0.480453 = 5.960906.
        List<Double> terms = List.of(
                FitObjective.term(2, 1),
                FitObjective.term(1, 1),
                FitObjective.term(0.5, 1),
                FitObjective.term(Math.E, 1),
                FitObjective.term(Math.exp(-2), 1));
        assertThat(FitObjective.sum(terms)).isCloseTo(5.960906, within(1e-6));
    }
}
