package dev.pmulab.sim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.kvm.KernelCost;
import dev.pmulab.sim.report.CostFitReport.LevelValue;
import dev.pmulab.sim.report.CostFitReport.Parameter;
import dev.pmulab.sim.report.CostFitReport.Point;
import dev.pmulab.sim.report.CostFitReport.RowValue;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class CostFitFormatTest {
    private static final Parameter C12 =
            new Parameter("C12", "perf_pmu_resched", 1000, "estimate", Optional.of(new KernelCost.Range(800, 1200)));

    /** Two points: C12 = 0 (J 1.5, benchmark 1 real at ratio 2) and 1000 (J 21.5, livelocked). */
    private static CostFitReport report() {
        Point zero = new Point(
                List.of(0L),
                1.5,
                List.of(new RowValue(1, "real time", false, -24.23, -48.46, 2.0, 0.48)),
                new LevelValue("emulated benchmark 3 pCPU time in the guest", 55.85, 50.0, 50.0 / 55.85, 0.012),
                List.of(new RowValue(2, "real time", false, -6.95, -6.0, 6.0 / 6.95, 0)),
                List.of(),
                List.of());
        Point thousand = new Point(
                List.of(1000L),
                21.5,
                List.of(new RowValue(1, "real time", false, -24.23, -24.23, 1.0, 0)),
                new LevelValue("emulated benchmark 3 pCPU time in the guest", 55.85, 0.5, 0.5 / 55.85, 21.2),
                List.of(new RowValue(2, "real time", false, -6.95, Double.NaN, Double.NaN, 0)),
                List.of("benchmark 3 emulated"),
                List.of());
        return new CostFitReport(List.of(C12), 0.2, List.of(1, 3), List.of(2), List.of(zero, thousand), 0);
    }

    @Test
    void csvHasOneLinePerPointWithMachineNumbers() {
        assertThat(CostFitFormat.CSV.render(report()).lines())
                .containsExactly(
                        "C12_ns,objective,b1_real_delta,b1_real_ratio,b3_emulated_guest_pct,heldout_b2_real_delta,"
                                + "heldout_b2_real_ratio,livelocked,failed",
                        // 6 / 6.95 = 0.863309352..., six decimals.
                        "0,1.5,-48.46,2,50,-6,0.863309,0,0",
                        // A missing held-out value is an empty field.
                        "1000,21.5,-24.23,1,0.5,,,1,0");
    }

    @Test
    void theTableMarksDeltasWithinTheToleranceAndSetsTheBestValueAgainstTheCodeCount() {
        String t = CostFitFormat.TABLE.render(report());
        assertThat(t).contains("Swept: C12 (perf_pmu_resched, default 1000 ns, estimate, code count 800-1200 ns)");
        assertThat(t).contains("Runs at 0.2 of each benchmark's length.");
        assertThat(t).contains("Best point (lowest J = 1.500): C12=0");
        assertThat(t).contains("  C12 = 0 ns: OUTSIDE the code count's range 800-1200 ns");
        assertThat(t)
                .contains("  held out  benchmark 2 real time: simulated -6.00 % vs published -6.95 %"
                        + " (ratio 0.863, within +-25 %)");
        assertThat(t).contains("  livelocked runs: none");
        // Grid rows: ratio 2.00 is outside, 1.00* and 0.86* inside; the livelocked point counts its run.
        assertThat(t).containsPattern("(?m)^ +0 +1\\.500 +2\\.00 +50\\.00 +0\\.86\\* +-$");
        assertThat(t).containsPattern("(?m)^ +1000 +21\\.500 +1\\.00\\* +0\\.50 +n/a +1$");
        assertThat(t.lines()).noneMatch(l -> l.endsWith(" "));
    }

    @Test
    void onlyTableAndCsvAreFormatsOfTheFit() {
        assertThat(CostFitFormat.fromCliName("csv")).isEqualTo(CostFitFormat.CSV);
        assertThat(CostFitFormat.TABLE.fileName()).isEqualTo("cost-fit.txt");
        assertThatThrownBy(() -> CostFitFormat.fromCliName("json")).hasMessage("--fit writes table or csv, not 'json'");
    }

    @Test
    void aReportNamesABestPointThatExists() {
        CostFitReport r = report();
        assertThatThrownBy(() -> new CostFitReport(r.parameters(), 0.2, List.of(1, 3), List.of(2), r.points(), 2))
                .hasMessage("best 2 is not a point index (0..1)");
    }
}
