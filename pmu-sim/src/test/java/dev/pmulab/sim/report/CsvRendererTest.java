package dev.pmulab.sim.report;

import static dev.pmulab.sim.report.SampleReports.policies;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRendererTest {
    private final CsvRenderer renderer = new CsvRenderer();
    private final String csv = renderer.render(SampleReports.allocationComparison());

    /** A strict RFC 4180 reader: CRLF record ends, quoted fields, doubled quotes. */
    static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' && field.length() == 0) {
                i++;
                while (true) {
                    char q = text.charAt(i);
                    if (q == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                    } else if (q == '"') {
                        i++;
                        break;
                    } else {
                        field.append(q);
                        i++;
                    }
                }
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                i++;
            } else if (c == '\r' && text.charAt(i + 1) == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                records.add(fields);
                fields = new ArrayList<>();
                i += 2;
            } else {
                if (c == '"' || c == '\r' || c == '\n') {
                    throw new AssertionError("unquoted special character at " + i);
                }
                field.append(c);
                i++;
            }
        }
        assertThat(fields).as("text ends with CRLF").isEmpty();
        return records;
    }

    /** Field {@code column} of {@code record}, by the header's name for it. */
    private static String field(List<List<String>> records, List<String> record, String column) {
        int i = records.get(0).indexOf(column);
        assertThat(i).as("column " + column).isNotNegative();
        return record.get(i);
    }

    @Test
    void oneRecordPerRunAndMetricUnderAHeaderWithASettingPerColumn() {
        List<List<String>> records = parse(csv);
        assertThat(records.get(0))
                .containsExactly(
                        "scenario",
                        "seed",
                        "compared_kind",
                        "run",
                        "label",
                        "status",
                        "allocation",
                        "selection",
                        "filter",
                        "allocation.guest_counters",
                        "allocation.reserved_host_counters",
                        "allocation.step",
                        "metric",
                        "unit",
                        "better",
                        "value",
                        "best",
                        "error");
        assertThat(records).hasSize(1 + 3 * Metric.all().size());
        for (List<String> r : records) {
            assertThat(r).hasSize(records.get(0).size());
        }
        assertThat(records.get(1))
                .containsExactly(
                        "flagship-gzip",
                        "42",
                        "allocation",
                        "1",
                        "emulated",
                        "ok",
                        "emulated",
                        "default-pmu",
                        "none",
                        "",
                        "",
                        "",
                        "guest.pmu_traps",
                        "count",
                        "lower",
                        "1234567",
                        "false",
                        "");
        List<String> statik = records.get(1 + Metric.all().size());
        assertThat(field(records, statik, "allocation")).isEqualTo("static-hpmn");
        assertThat(field(records, statik, "allocation.reserved_host_counters")).isEqualTo("2");
        assertThat(field(records, statik, "allocation.step")).isEmpty();
        assertThat(records.subList(1, 1 + Metric.all().size()))
                .extracting(r -> field(records, r, "metric"))
                .containsExactlyElementsOf(
                        Metric.all().stream().map(Metric::key).toList());
    }

    @Test
    void quotesFieldsWithCommasAndQuotes() {
        // The label holds a comma (two settings): quoted, so awk -F, is not fooled by the others.
        assertThat(csv).contains(",\"static-hpmn(guest_counters=8, reserved_host_counters=2)\",");
        String odd = "odd \"quoted\", label";
        ComparisonReport r = new ComparisonReport(
                "s",
                "",
                1,
                PolicyKind.ALLOCATION,
                List.of(RunReport.ok(policies(odd), MetricValues.empty())),
                List.of());
        String text = renderer.render(r);
        assertThat(text).contains(",\"odd \"\"quoted\"\", label\",");
        List<List<String>> records = parse(text);
        assertThat(field(records, records.get(1), "allocation")).isEqualTo(odd);
    }

    @Test
    void aFailedRunKeepsItsErrorAndHasNoValues() {
        List<List<String>> records = parse(csv);
        List<String> failed = records.get(1 + 2 * Metric.all().size());
        assertThat(field(records, failed, "status")).isEqualTo("failed");
        assertThat(field(records, failed, "value")).isEmpty();
        assertThat(field(records, failed, "error")).isEqualTo(SampleReports.GROW_ERROR);
        assertThat(field(records, failed, "allocation.step")).isEqualTo("2");
    }

    @Test
    void valuesAreFullPrecisionAndBestIsFlagged() {
        List<List<String>> records = parse(csv);
        int perRun = Metric.all().size();
        List<String> staticOverhead = records.get(1 + perRun + Metric.GUEST_PMU_OVERHEAD_PCT.ordinal());
        assertThat(field(records, staticOverhead, "metric")).isEqualTo("guest.pmu_overhead_pct");
        assertThat(field(records, staticOverhead, "value")).isEqualTo("0.0621");
        assertThat(field(records, staticOverhead, "best")).isEqualTo("true");
        List<String> brbe = records.get(1 + Metric.BRBE_BLACKOUT_NS.ordinal());
        assertThat(field(records, brbe, "value")).isEmpty();
        assertThat(field(records, brbe, "best")).isEqualTo("false");
    }

    @Test
    void isDeterministic() {
        assertThat(renderer.render(SampleReports.allocationComparison())).isEqualTo(csv);
    }
}
