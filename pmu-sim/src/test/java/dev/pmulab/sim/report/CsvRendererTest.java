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

    @Test
    void oneRecordPerRunAndMetricUnderAHeader() {
        List<List<String>> records = parse(csv);
        assertThat(records.get(0)).containsExactlyElementsOf(CsvRenderer.HEADER);
        assertThat(records).hasSize(1 + 3 * Metric.all().size());
        for (List<String> r : records) {
            assertThat(r).hasSize(CsvRenderer.HEADER.size());
        }
        List<String> first = records.get(1);
        assertThat(first)
                .containsExactly(
                        "flagship-gzip",
                        "42",
                        "allocation",
                        "1",
                        "emulated",
                        "default-pmu",
                        "none",
                        "ok",
                        "guest.pmu_traps",
                        "count",
                        "lower",
                        "1234567",
                        "false",
                        "");
        assertThat(records.subList(1, 1 + Metric.all().size()))
                .extracting(r -> r.get(8))
                .containsExactlyElementsOf(
                        Metric.all().stream().map(Metric::key).toList());
    }

    @Test
    void quotesLabelsWithCommasAndQuotes() {
        assertThat(csv).contains(",\"" + SampleReports.STATIC + "\",");
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
        assertThat(parse(text).get(1).get(4)).isEqualTo(odd);
    }

    @Test
    void aFailedRunKeepsItsErrorAndHasNoValues() {
        List<List<String>> records = parse(csv);
        List<String> failed = records.get(1 + 2 * Metric.all().size());
        assertThat(failed.get(7)).isEqualTo("failed");
        assertThat(failed.get(11)).isEmpty();
        assertThat(failed.get(13)).isEqualTo(SampleReports.GROW_ERROR);
    }

    @Test
    void valuesAreFullPrecisionAndBestIsFlagged() {
        List<List<String>> records = parse(csv);
        int perRun = Metric.all().size();
        List<String> staticOverhead = records.get(1 + perRun + Metric.GUEST_PMU_OVERHEAD_PCT.ordinal());
        assertThat(staticOverhead.get(8)).isEqualTo("guest.pmu_overhead_pct");
        assertThat(staticOverhead.get(11)).isEqualTo("0.0621");
        assertThat(staticOverhead.get(12)).isEqualTo("true");
        List<String> brbe = records.get(1 + Metric.BRBE_BLACKOUT_NS.ordinal());
        assertThat(brbe.get(11)).isEmpty();
        assertThat(brbe.get(12)).isEqualTo("false");
    }

    @Test
    void quoteOnlyWhenNeeded() {
        assertThat(CsvRenderer.quote("plain")).isEqualTo("plain");
        assertThat(CsvRenderer.quote("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvRenderer.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(CsvRenderer.quote("a\nb")).isEqualTo("\"a\nb\"");
        assertThat(CsvRenderer.quote("a\rb")).isEqualTo("\"a\rb\"");
    }

    @Test
    void isDeterministic() {
        assertThat(renderer.render(SampleReports.allocationComparison())).isEqualTo(csv);
    }
}
