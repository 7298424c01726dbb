package dev.pmulab.sim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

final class ReproductionRenderersTest {
    private final ReproductionReport report = SampleReproductions.sample();

    @Test
    void theTableAlignsTheRowsAndCountsThemInTheSummary() {
        String t = ReproductionFormat.TABLE.renderer().render(report);
        assertThat(t).startsWith("pmulab reproduce: A cover letter, 2025-06-02\n");
        assertThat(t).contains("Published deltas within +-25 %: 1 of 2 (1 outside).\n");
        assertThat(t).contains("Published levels within +-25 %: 0 of 1.\n");
        // 4.143 -> 3.139 s is -24.23 % (stated); 5.000 -> 4.000 s is -20.00 %; -20 / -24.2336 = 0.825.
        assertThat(t)
                .containsPattern(
                        "(?m)^1  real time \\[s\\] +guest\\.workload_ns +4\\.143 +3\\.139 +-24\\.23 % +5\\.000 +4\\.000"
                                + " +-20\\.00 % +0\\.825  yes$");
        // 0.24 -> 91.40 % is +91.16 pp against +35.21 pp computed: 2.589, outside.
        assertThat(t).containsPattern("\\+35\\.21 pp \\(c\\) +0\\.24 +91\\.40 +\\+91\\.16 pp +2\\.589  no");
        assertThat(t).contains("     4000      15         unfinished                 1.100     >= 78.00");
        assertThat(t).contains("Livelock in a configuration the letter ran: stress-ng-host-measured / emulated.");
        assertThat(t.lines()).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
        assertThat(t).doesNotContain("\r").endsWith("\n");
        assertThat(t.chars()).allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f));
    }

    @Test
    void jsonCarriesEveryNumberAndNullForTheMissing() throws Exception {
        JsonNode root =
                new ObjectMapper().readTree(ReproductionFormat.JSON.renderer().render(report));
        assertThat(root.get("source").get("date").asText()).isEqualTo("2025-06-02");
        assertThat(root.get("tolerance").asDouble()).isEqualTo(0.25);
        assertThat(root.get("summary").get("rows_within").asInt()).isEqualTo(1);
        assertThat(root.get("summary").get("benefit_grows_with_rate").asText()).isEqualTo("yes");
        JsonNode row = root.get("rows").get(0);
        assertThat(row.get("published").get("before").decimalValue()).isEqualByComparingTo("4.143");
        assertThat(row.get("simulated").get("delta").decimalValue()).isEqualByComparingTo("-20");
        assertThat(row.get("within").asBoolean()).isTrue();
        assertThat(row.get("delta_unit").asText()).isEqualTo("%");
        assertThat(root.get("rows").get(1).get("delta_unit").asText()).isEqualTo("pp");
        JsonNode lower = root.get("trend").get("by_rate").get(2);
        assertThat(lower.get("benefit_is_lower_bound").asBoolean()).isTrue();
        assertThat(lower.get("emulated").get("status").asText()).isEqualTo("unfinished");
        assertThat(lower.get("emulated").get("guest.workload_ns").isNull()).isTrue();
        assertThat(lower.get("emulated").get("livelocked").asBoolean()).isTrue();
        assertThat(root.get("benchmarks").get(1).get("after").get("status").asText())
                .isEqualTo("failed");
        assertThat(root.get("summary").get("failures")).hasSize(1);
        assertThat(root.get("costs").get(0).get("id").asText()).isEqualTo("C1");
    }

    @Test
    void htmlIsSelfContainedWellFormedAndEscaped() throws Exception {
        String html = ReproductionFormat.HTML.renderer().render(report);
        assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">").endsWith("</html>\n");
        assertThat(html).doesNotContain("<script", "<link", "src=", "url(", "@import", "<x>");
        assertThat(html).contains("boom | &lt;x&gt;", "<td class=\"yes\">yes</td>", "<td class=\"no\">no</td>");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        Element root = f.newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)))
                .getDocumentElement();
        // Deltas, levels, two sweep grids, runs, the two grids of the figures to check, costs.
        assertThat(root.getElementsByTagName("table").getLength()).isEqualTo(8);
    }

    @Test
    void markdownHasTheHandWrittenHeaderThenPipeTables() {
        String md = ReproductionFormat.MARKDOWN.renderer().render(report);
        assertThat(md).startsWith(ReproductionMarkdownRenderer.header());
        assertThat(md).contains(ReproductionMarkdownRenderer.REGENERATE);
        assertThat(md).contains("\n## Published deltas\n");
        assertThat(md).contains("|---:|---|---|---:|");
        // A pipe inside a cell is escaped; HTML is escaped everywhere.
        assertThat(md).contains("| ctx locks \\| tree walks |");
        assertThat(md)
                .contains("Not finished: stress-ng-host-measured / static-hpmn: policy static-hpmn failed in"
                        + " vcpu_load: boom | &lt;x&gt;");
        assertThat(md).contains("| 4000 | 15 | unfinished | 1.100 | &gt;= 78.00 |");
        assertThat(md).endsWith("|\n").doesNotEndWith("\n\n").doesNotContain("\n\n\n");
    }

    /**
     * "Figures to check on real hardware" in every format: benchmark 3's emulated run predicts
     * 600,000 PMIs, 20,000 a second over its 30 s, 840,000 samples, 18,000 throttles and 14,000 Hz;
     * the failed partitioned run n/a; the letter's 34.96 % host kernel share implies 7,009 PMIs a
     * second, 2.85 times fewer (SampleReproductions).
     */
    @Test
    void everyFormatListsTheFiguresToCheckOnRealHardware() throws Exception {
        String t = ReproductionFormat.TABLE.renderer().render(report);
        assertThat(t)
                .contains(
                        "Figures to check on real hardware",
                        "grep arm-pmu /proc/interrupts",
                        "perf report --stats",
                        "sysctl kernel.perf_event_max_sample_rate");
        assertThat(t)
                .containsPattern("(?m)^3  stress-ng-host-measured +emulated +600000 +20000 +840000 +18000 +14000$");
        assertThat(t).containsPattern("(?m)^3  stress-ng-host-measured +static-hpmn +n/a +n/a +n/a +n/a +n/a$");
        assertThat(t).containsPattern("(?m)^3  emulated +20000 +99\\.76 +34\\.96 +7009 +2\\.85$");
        assertThat(t).containsPattern("(?m)^3  static-hpmn +n/a +n/a +0\\.97 +n/a +n/a$");

        String md = ReproductionFormat.MARKDOWN.renderer().render(report);
        assertThat(md).contains("\n## Figures to check on real hardware\n");
        assertThat(md).contains("| 3 | stress-ng-host-measured | emulated | 600000 | 20000 | 840000 | 18000 | 14000 |");
        assertThat(md).contains("| 3 | emulated | 20000 | 99.76 | 34.96 | 7009 | 2.85 |");

        String html = ReproductionFormat.HTML.renderer().render(report);
        assertThat(html).contains("Figures to check on real hardware", "<td class=\"num\">7009</td>");

        JsonNode figures = new ObjectMapper()
                .readTree(ReproductionFormat.JSON.renderer().render(report))
                .get("figures_to_check");
        JsonNode b3 = figures.get("runs").get(2);
        assertThat(b3.get("benchmark").asInt()).isEqualTo(3);
        assertThat(b3.get("policy").asText()).isEqualTo("emulated");
        assertThat(b3.get("guest.pmis").asLong()).isEqualTo(600_000);
        assertThat(b3.get("guest.pmis_per_s").decimalValue()).isEqualByComparingTo("20000");
        assertThat(b3.get("guest.perf_samples").asLong()).isEqualTo(840_000);
        assertThat(b3.get("guest.perf_throttles").asLong()).isEqualTo(18_000);
        assertThat(b3.get("guest.perf_max_sample_rate").asLong()).isEqualTo(14_000);
        assertThat(figures.get("runs").get(3).get("guest.pmis").isNull()).isTrue();
        JsonNode implied = figures.get("implied_by_published_host_kernel");
        assertThat(implied).hasSize(2);
        assertThat(implied.get(0).get("implied_pmis_per_s").asDouble()).isCloseTo(7008.82, within(0.01));
        assertThat(implied.get(0).get("factor").asDouble()).isCloseTo(2.8535, within(1e-4));
        assertThat(implied.get(1).get("factor").isNull()).isTrue();
    }

    @Test
    void everyFormatIsAPureFunctionOfTheReport() {
        for (ReproductionFormat f : ReproductionFormat.values()) {
            assertThat(f.renderer().render(SampleReproductions.sample()))
                    .isEqualTo(f.renderer().render(report));
        }
    }

    @Test
    void formatsByNameAndFileNames() {
        assertThat(ReproductionFormat.fromCliName("markdown").fileName()).isEqualTo("validation.md");
        assertThat(ReproductionFormat.fromCliName("table").fileName()).isEqualTo("validation.txt");
        assertThatThrownBy(() -> ReproductionFormat.fromCliName("csv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown report format 'csv'; known: table, json, html, markdown");
    }

    @Test
    void outWritesValidationDotExtensionInTheDirectory(@TempDir Path dir) throws Exception {
        Path written = ReportWriter.writeToDirectory(report, ReproductionFormat.MARKDOWN, dir.resolve("docs"));
        assertThat(written).isEqualTo(dir.resolve("docs").resolve("validation.md"));
        assertThat(Files.readString(written))
                .isEqualTo(ReproductionFormat.MARKDOWN.renderer().render(report));
    }
}
