package dev.pmulab.sim.report;

import static dev.pmulab.sim.report.SampleReports.EMULATED;
import static dev.pmulab.sim.report.SampleReports.policies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportModelTest {
    @Test
    void aRunNamesAPolicyOfEveryKind() {
        Map<PolicyKind, RunPolicy> p = new HashMap<>(policies(EMULATED));
        p.remove(PolicyKind.FILTER);
        assertThatThrownBy(() -> RunReport.ok(p, MetricValues.empty())).hasMessageContaining("no filter policy");
        assertThatThrownBy(() -> RunPolicy.of(" ", Map.of())).hasMessageContaining("blank");
    }

    @Test
    void policiesKeepKindOrderAndCannotChange() {
        Map<PolicyKind, RunPolicy> p = new HashMap<>();
        p.put(PolicyKind.FILTER, RunPolicy.of("f", Map.of()));
        p.put(PolicyKind.SELECTION, RunPolicy.of("s", Map.of()));
        p.put(PolicyKind.ALLOCATION, RunPolicy.of("a", Map.of()));
        RunReport r = RunReport.ok(p, MetricValues.empty());
        p.put(PolicyKind.FILTER, RunPolicy.of("changed", Map.of()));
        assertThat(r.policies().keySet())
                .containsExactly(PolicyKind.ALLOCATION, PolicyKind.SELECTION, PolicyKind.FILTER);
        assertThat(r.label(PolicyKind.FILTER)).isEqualTo("f");
        assertThatThrownBy(() -> r.policies().put(PolicyKind.FILTER, RunPolicy.none()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void statusAndErrorAgree() {
        MetricValues some = MetricValues.builder().put(Metric.GUEST_CRASHES, 1L).build();
        RunFailure boom = RunFailure.unblamed("boom");
        assertThatThrownBy(() -> new RunReport(policies(EMULATED), RunReport.Status.OK, boom, some))
                .hasMessageContaining("no error");
        assertThatThrownBy(() -> RunReport.failed(policies(EMULATED), null)).hasMessageContaining("needs the error");
        assertThatThrownBy(() -> RunFailure.unblamed(" ")).hasMessageContaining("says what happened");
        assertThatThrownBy(() -> new RunReport(policies(EMULATED), RunReport.Status.FAILED, boom, some))
                .hasMessageContaining("no metrics");
        RunReport failed = RunReport.failed(policies(EMULATED), boom);
        assertThat(failed.isOk()).isFalse();
        assertThat(failed.status().jsonName()).isEqualTo("failed");
        assertThat(RunReport.Status.OK.jsonName()).isEqualTo("ok");
    }

    @Test
    void estimatesAreSortedByIdAsNumbersAndUnique() {
        ComparisonReport r = SampleReports.allocationComparison();
        assertThat(r.estimatesUsed()).extracting(CostAssumption::id).containsExactly("C1", "C4", "C9", "C12");
        assertThat(r.estimatesLeanedOn()).extracting(CostAssumption::id).containsExactly("C4", "C12");
        assertThat(r.overriddenDefaults()).extracting(CostAssumption::id).containsExactly("C1", "C9");
        CostAssumption c4 = r.estimatesUsed().get(1);
        assertThatThrownBy(() -> new ComparisonReport("s", "", 1, PolicyKind.ALLOCATION, r.runs(), List.of(c4, c4)))
                .hasMessageContaining("C4 listed twice");
    }

    @Test
    void naturalIdOrder() {
        assertThat(CostAssumption.compareNatural("C2", "C10")).isNegative();
        assertThat(CostAssumption.compareNatural("C12", "C12.per_event")).isNegative();
        assertThat(CostAssumption.compareNatural("C12.per_event", "C14")).isNegative();
        assertThat(CostAssumption.compareNatural("C01", "C1")).isNotZero();
        assertThat(CostAssumption.compareNatural("C7", "C7")).isZero();
    }

    @Test
    void costFlagsAreTheThreeOfTheCostTable() {
        assertThatThrownBy(() -> new CostAssumption("C1", "x", 1, "guess", "y", false))
                .hasMessageContaining("known: measured, derived, estimate");
        assertThatThrownBy(() -> new CostAssumption("C1", "x", -1, "estimate", "y", false))
                .hasMessageContaining("negative");
        assertThat(new CostAssumption("C1", "x", 1, "estimate", "y", false).leanedOn())
                .isTrue();
        assertThat(new CostAssumption("C1", "x", 1, "estimate", "y", true).leanedOn())
                .isFalse();
        assertThat(new CostAssumption("C1", "x", 1, "measured", "y", false).leanedOn())
                .isFalse();
    }

    @Test
    void aComparisonHasRunsAndKnowsWhatTheyShare() {
        assertThatThrownBy(() -> new ComparisonReport("s", "", 1, PolicyKind.ALLOCATION, List.of(), List.of()))
                .hasMessageContaining("at least one run");
        ComparisonReport r = SampleReports.allocationComparison();
        assertThat(r.commonLabel(PolicyKind.SELECTION)).hasValue("default-pmu");
        assertThat(r.commonLabel(PolicyKind.ALLOCATION)).isEmpty();
        assertThat(r.failedRuns())
                .extracting(x -> x.label(PolicyKind.ALLOCATION))
                .containsExactly(SampleReports.GROW);
    }
}
