package dev.pmulab.sim.report;

import static dev.pmulab.sim.report.SampleReports.EMULATED;
import static dev.pmulab.sim.report.SampleReports.STATIC;
import static dev.pmulab.sim.report.SampleReports.policies;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableRendererTest {
    private final TableRenderer renderer = new TableRenderer();
    private final String table = renderer.render(SampleReports.allocationComparison());

    /** The cells of a metric's row: label, best, then one per run (values hold no blank; the label one). */
    private List<String> row(String text, Metric m) {
        String prefix = "  " + m.label() + " ";
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                List<String> cells = new ArrayList<>(List.of(m.label()));
                cells.addAll(
                        Arrays.asList(line.substring(prefix.length()).trim().split(" +")));
                return cells;
            }
        }
        throw new AssertionError("no row for " + m.key() + " in\n" + text);
    }

    @Test
    void headerShowsTheComparedPoliciesAndWhatIsFixed() {
        assertThat(table).startsWith("pmulab compare: flagship-gzip\n");
        assertThat(table)
                .contains(
                        "seed: 42\n",
                        "compared: allocation policies, 3 runs\n",
                        "fixed: selection = default-pmu, filter = none\n");
        // At 200 columns the sample's labels fit (at 120 they are lettered: the next test).
        String header = new TableRenderer(200)
                .render(SampleReports.allocationComparison())
                .lines()
                .filter(l -> l.startsWith("metric [unit]"))
                .findFirst()
                .orElseThrow();
        assertThat(header)
                .matches("metric \\[unit\\] +best +" + EMULATED + " +\\Q" + STATIC + "\\E +\\Q" + SampleReports.GROW
                        + "\\E");
    }

    @Test
    void marksTheLowestWhereLowerIsBetter() {
        assertThat(row(table, Metric.GUEST_PMU_TRAPS))
                .containsExactly("guest.pmu_traps [count]", "low", "1,234,567", "4,321*", "FAILED");
        assertThat(row(table, Metric.HOST_VCPU_LOAD_NS_P99))
                .containsExactly("host.vcpu_load_ns.p99 [ns]", "low", "0*", "525", "FAILED");
    }

    @Test
    void marksTheHighestWhereHigherIsBetter() {
        assertThat(row(table, Metric.GUEST_RUN_PCT))
                .containsExactly("guest.run_pct [%]", "high", "55.85", "91.06*", "FAILED");
        assertThat(row(table, Metric.HOST_EVENT_COVERAGE_MIN_PCT))
                .containsExactly("host.event_coverage_min_pct [%]", "high", "100.00*", "40.00", "FAILED");
    }

    @Test
    void marksEveryTiedValue() {
        assertThat(row(table, Metric.GUEST_CRASHES))
                .containsExactly("guest.crashes [count]", "low", "0*", "0*", "FAILED");
    }

    @Test
    void notApplicableIsShownAndNeverMarked() {
        assertThat(row(table, Metric.BRBE_BLACKOUT_NS))
                .containsExactly("brbe.blackout_ns [ns]", "low", "n/a", "n/a", "FAILED");
    }

    @Test
    void aFailedRunShowsFailedInItsColumnAndItsErrorBelow() {
        for (Metric m : Metric.all()) {
            assertThat(row(table, m).get(4)).as(m.key()).isEqualTo("FAILED");
        }
        String below = table.substring(table.indexOf("Failed runs:"));
        assertThat(below)
                .startsWith("Failed runs:\n  trap-and-grow(step=2)\n"
                        + "    policy trap-and-grow failed in onTrappedAccess: HPMN 12 > N <10>\n"
                        + "    at counter \"PMEVCNTR11\"\n");
        assertThat(table.indexOf("Failed runs:")).isGreaterThan(table.indexOf("filter.leaks"));
    }

    @Test
    void rowsComeInMetricOrderUnderTheirGroups() {
        List<String> keys = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (String line : table.split("\n")) {
            for (Metric m : Metric.all()) {
                if (line.startsWith("  " + m.label() + " ")) {
                    keys.add(m.key());
                }
            }
            if (line.equals("guest") || line.equals("host") || line.equals("hardware and isolation")) {
                groups.add(line);
            }
        }
        assertThat(keys)
                .containsExactlyElementsOf(
                        Metric.all().stream().map(Metric::key).toList());
        assertThat(groups).containsExactly("guest", "host", "hardware and isolation");
    }

    @Test
    void listsTheEstimatesLeanedOnAndTheOverriddenDefaults() {
        String costs = table.substring(table.indexOf(TableRenderer.ESTIMATES_TITLE));
        String leaned = costs.substring(0, costs.indexOf(TableRenderer.OVERRIDDEN_TITLE));
        String overridden = costs.substring(costs.indexOf(TableRenderer.OVERRIDDEN_TITLE));
        assertThat(leaned)
                .contains(
                        "  C4   perf_event_read_value    150 ns  one or two sysreg reads plus perf bookkeeping and locking\n",
                        "  C12  perf_pmu_resched       1,000 ns  ctx locks, perf_pmu_disable/enable and tree walks\n");
        assertThat(leaned.indexOf("C4 ")).isLessThan(leaned.indexOf("C12 "));
        assertThat(leaned).doesNotContain("C1 ", "C9 ");
        assertThat(overridden)
                .contains(
                        "  C1   trap_sysreg_emulation    600 ns  (replaces a derived default: ",
                        "  C9   perf_event_create      8,000 ns  (replaces an estimate default: ");
    }

    @Test
    void saysNoneWhenNoEstimateIsUsed() {
        ComparisonReport r = new ComparisonReport(
                "s",
                "",
                1,
                PolicyKind.FILTER,
                List.of(RunReport.ok(policies(EMULATED), MetricValues.empty())),
                List.of());
        String t = renderer.render(r);
        assertThat(t)
                .endsWith(TableRenderer.ESTIMATES_TITLE + "\n  none\n" + TableRenderer.OVERRIDDEN_TITLE + "\n  none\n");
        assertThat(t)
                .contains(
                        "compared: filter policies, 1 run\n",
                        "fixed: allocation = emulated, selection = default-pmu\n");
    }

    @Test
    void aKindTheRunsDoNotShareGetsAHeaderRow() {
        var other = policies(STATIC);
        other.put(PolicyKind.SELECTION, SampleReports.policy("set-pmu(pmu=armv8_cortex_a76)"));
        ComparisonReport r = new ComparisonReport(
                "s",
                "",
                1,
                PolicyKind.ALLOCATION,
                List.of(
                        RunReport.ok(policies(EMULATED), MetricValues.empty()),
                        RunReport.ok(other, MetricValues.empty())),
                List.of());
        String t = renderer.render(r);
        assertThat(t).contains("fixed: filter = none\n");
        String selection =
                t.lines().filter(l -> l.startsWith("(selection)")).findFirst().orElseThrow();
        assertThat(Arrays.asList(selection.split(" {2,}")))
                .containsExactly("(selection)", "default-pmu", "set-pmu(pmu=armv8_cortex_a76)");
    }

    @Test
    void controlCharactersCannotReachTheTerminal() {
        ComparisonReport r = new ComparisonReport(
                "s",
                "",
                1,
                PolicyKind.ALLOCATION,
                List.of(RunReport.failed(policies("evil\u001b[2J"), RunFailure.unblamed("boom\u001b]0;title\u0007"))),
                List.of());
        String t = renderer.render(r);
        assertThat(t).doesNotContain("\u001b", "\u0007").contains("evil?[2J", "boom?]0;title?");
    }

    @Test
    void isDeterministicAndLocaleFree() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("de-DE"));
            String again = renderer.render(SampleReports.allocationComparison());
            assertThat(again).isEqualTo(table);
        } finally {
            Locale.setDefault(saved);
        }
        assertThat(table).doesNotContain("\r", " \n");
    }

    @Test
    void everyLineOfTheTableKeepsWithinTheWidthByLetteringTheColumns() {
        // The sample's labels fit 200 columns; at 88 they do not, even over several lines (the metric
        // column 33, "best" 4, emulated's 15, reserved_host_counters=2) 26, step=2) 8, with the gaps
        // 91), so the columns become A, B, C (33 + 4 + 3 x 15 with the gaps: 87) with a legend.
        String wide = new TableRenderer(200).render(SampleReports.allocationComparison());
        assertThat(wide).doesNotContain("\nA  emulated\n");
        String narrow = new TableRenderer(88).render(SampleReports.allocationComparison());
        String header = narrow.lines()
                .filter(l -> l.startsWith("metric [unit]"))
                .findFirst()
                .orElseThrow();
        assertThat(header).matches("metric \\[unit\\] +best +A +B +C");
        assertThat(narrow).contains("\nA  " + EMULATED + "\nB  " + STATIC + "\nC  " + SampleReports.GROW + "\n");
        String table = narrow.substring(narrow.indexOf("metric [unit]"), narrow.indexOf("\n* best value"));
        assertThat(table.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(88));
    }

    @Test
    void columnsThatStillDoNotFitGoIntoBlocksThatEachRepeatTheMetrics() {
        String t = new TableRenderer(60).render(SampleReports.allocationComparison());
        // 33 (metric) + 2 + 4 (best) + one column of 15 or so: one run per block, three blocks.
        assertThat(t.lines().filter(l -> l.startsWith("metric [unit]")).toList())
                .hasSize(3)
                .allSatisfy(l -> assertThat(l).matches("metric \\[unit\\] +best +[ABC]"));
        String table = t.substring(t.indexOf("metric [unit]"), t.indexOf("\nA  "));
        assertThat(table.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(60));
    }

    @Test
    void aRunWithTheSameNumbersAsAnotherInEveryRowIsNoted() {
        ComparisonReport r = new ComparisonReport(
                "s",
                "",
                1,
                PolicyKind.ALLOCATION,
                List.of(
                        RunReport.ok(policies(EMULATED), SampleReports.emulatedMetrics()),
                        RunReport.ok(policies(STATIC), SampleReports.staticMetrics()),
                        RunReport.ok(policies("sysfs-writable"), SampleReports.emulatedMetrics())),
                List.of());
        String t = new TableRenderer(200).render(r);
        assertThat(new TableRenderer(60).render(r)).contains("\nnote: C (sysfs-writable) = A (emulated) in every row");
        assertThat(t)
                .contains("\nnote: sysfs-writable = emulated in every row: the two runs gave the same numbers,"
                        + " so in this scenario sysfs-writable behaves as emulated\n");
        assertThat(renderer.render(SampleReports.allocationComparison())).doesNotContain("note:");
    }

    @Test
    void aColumnShowsOnlyTheSettingsThatDifferFromTheDefaults() {
        RunPolicy p = new RunPolicy(
                "static-hpmn",
                Map.of("opt_in", true, "reserved_host_counters", 3L),
                Map.of("opt_in", true, "reserved_host_counters", 2L),
                RunPolicy.BUILT_IN,
                null);
        Map<PolicyKind, RunPolicy> policies = SampleReports.policies(EMULATED);
        policies.put(PolicyKind.ALLOCATION, p);
        ComparisonReport r = new ComparisonReport(
                "s", "", 1, PolicyKind.ALLOCATION, List.of(RunReport.ok(policies, MetricValues.empty())), List.of());
        assertThat(renderer.render(r)).contains(" static-hpmn(reserved_host_counters=3)\n");
        assertThat(p.label()).isEqualTo("static-hpmn(opt_in=true, reserved_host_counters=3)");
    }

    @Test
    void aLabelTooWideForOneLineBreaksOverHeaderLinesBeforeColumnsAreLettered() {
        assertThat(TableRenderer.wrapLabel("vcpu-load-resched", 14)).isEqualTo("vcpu-load-\nresched");
        assertThat(TableRenderer.wrapLabel("static-hpmn(guest_counters=8, reserved_host_counters=2)", 14))
                .isEqualTo("static-hpmn(\nguest_counters=8,\nreserved_host_counters=2)");
        assertThat(TableRenderer.wrapLabel("emulated", 14)).isEqualTo("emulated");
        // At 120 the sample's one-line labels (127 wide) do not fit; over three lines they do.
        String t = new TableRenderer(120).render(SampleReports.allocationComparison());
        List<String> lines = t.lines().toList();
        int rule = lines.indexOf(
                lines.stream().filter(l -> l.startsWith("-----")).findFirst().orElseThrow());
        assertThat(lines.get(rule - 1))
                .matches("metric \\[unit\\] +best +emulated +reserved_host_counters=2\\) +step=2\\)");
        assertThat(lines.get(rule - 3).strip()).startsWith("static-hpmn(");
        assertThat(lines.subList(0, rule))
                .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(120));
        assertThat(t).doesNotContain("\nA  emulated");
    }
}
