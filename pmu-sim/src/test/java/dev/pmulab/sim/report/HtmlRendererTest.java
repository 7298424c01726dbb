package dev.pmulab.sim.report;

import static dev.pmulab.sim.report.SampleReports.policies;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlRendererTest {
    private final HtmlRenderer renderer = new HtmlRenderer();
    private final String html = renderer.render(SampleReports.allocationComparison());

    /** Parsed as XML: proves every tag is closed and every text escaped. */
    private static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setExpandEntityReferences(false);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Element root, String tag) {
        NodeList nodes = root.getElementsByTagName(tag);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    @Test
    void isSelfContained() {
        assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">");
        assertThat(html).doesNotContain("http://", "https://", "<script", "<link", "src=", "url(", "@import");
        assertThat(html).endsWith("</html>\n");
    }

    @Test
    void escapesTheErrorAndLabels() {
        assertThat(html).contains("HPMN 12 &gt; N &lt;10&gt;", "at counter &quot;PMEVCNTR11&quot;");
        assertThat(html).doesNotContain("<10>");
        ComparisonReport r = new ComparisonReport(
                "<b>s</b>",
                "a & b",
                1,
                PolicyKind.ALLOCATION,
                List.of(RunReport.failed(
                        policies("<img onerror=x>"), RunFailure.unblamed("</pre><script>alert(1)</script>\u0001"))),
                List.of());
        String page = renderer.render(r);
        assertThat(page)
                .doesNotContain("<b>", "<img", "<script", "\u0001")
                .contains("&lt;b&gt;s&lt;/b&gt;", "a &amp; b", "&lt;img onerror=x&gt;");
    }

    private static List<Metric> withData() {
        return Metric.all().stream()
                .filter(m -> HtmlRenderer.noData(
                                m, SampleReports.allocationComparison().runs())
                        .isEmpty())
                .toList();
    }

    private static Element figure(Element root, String id) {
        return elements(root, "figure").stream()
                .filter(f -> f.getAttribute("id").equals(id))
                .findFirst()
                .orElseThrow();
    }

    /** A chart label's text, its wrapped lines joined. */
    private static String labelText(Element text) {
        StringBuilder sb = new StringBuilder();
        for (Element t : elements(text, "tspan")) {
            sb.append(sb.length() == 0 ? "" : " ").append(t.getTextContent());
        }
        return sb.length() == 0 ? text.getTextContent() : sb.toString();
    }

    @Test
    void isWellFormedWithOneChartPerMetricThatHasData() throws Exception {
        Element root = parse(html).getDocumentElement();
        List<String> figureIds =
                elements(root, "figure").stream().map(e -> e.getAttribute("id")).toList();
        List<String> expected = new ArrayList<>();
        expected.add("trade-off");
        withData().forEach(m -> expected.add("metric-" + m.key()));
        assertThat(figureIds).containsExactlyElementsOf(expected);
        // The sample leaves guest.irq_ns and others at 0 in both finished runs: folded, not dropped.
        assertThat(withData()).doesNotContain(Metric.GUEST_IRQ_NS).contains(Metric.GUEST_PMU_TRAPS);
        for (Metric m : withData()) {
            Element svg = elements(figure(root, "metric-" + m.key()), "svg").get(0);
            // Two runs finished, a bar each where the sample sets the metric; the third failed and
            // has no bar but says so.
            int bars = (SampleReports.emulatedMetrics().has(m) ? 1 : 0)
                    + (SampleReports.staticMetrics().has(m) ? 1 : 0);
            assertThat(elements(svg, "rect")).as(m.key()).hasSize(bars);
            assertThat(svg.getTextContent()).as(m.key()).contains("FAILED");
        }
    }

    @Test
    void rowsWithNoDataAreFoldedIntoAListThatCountsThem() throws Exception {
        Element root = parse(html).getDocumentElement();
        int folded = Metric.all().size() - withData().size();
        List<Element> details = elements(root, "details");
        // One after the table, one before the charts.
        assertThat(details).hasSize(2);
        for (Element d : details) {
            assertThat(elements(d, "summary").get(0).getTextContent()).isEqualTo(folded + " rows with no data");
            assertThat(elements(d, "li")).hasSize(folded);
        }
        assertThat(details.get(0).getTextContent())
                .contains("guest.irq_ns [ns]: 0 in every run", "brbe.blackout_ns [ns]: n/a in every run");
        Element table = elements(root, "table").get(0);
        assertThat(table.getTextContent()).doesNotContain("guest.irq_ns").contains("guest.pmu_traps");
    }

    @Test
    void aRowSpanningMoreThanTwoDecadesGetsALogAxis() throws Exception {
        Element traps = figure(parse(html).getDocumentElement(), "metric-guest.pmu_traps");
        assertThat(elements(traps, "figcaption").get(0).getTextContent()).contains("log scale");
        List<Element> bars = elements(traps, "rect");
        // 1,234,567 / 4,321 = 286 > 100: log axis from 10^3 (below 4,321) to 10^7 (above 1,234,567),
        // 380 px for 4 decades. log10(1234567) = 6.0915: (6.0915 - 3) / 4 * 380 = 293.7;
        // log10(4321) = 3.6356: 0.6356 / 4 * 380 = 60.4.
        assertThat(bars.get(0).getAttribute("width")).isEqualTo("293.7");
        assertThat(bars.get(0).getAttribute("class")).isEqualTo("bar");
        assertThat(bars.get(1).getAttribute("width")).isEqualTo("60.4");
        assertThat(bars.get(1).getAttribute("class")).isEqualTo("bar best");
        assertThat(traps.getTextContent()).contains("1,234,567", "4,321 *", "1k", "10k", "100k", "1M", "10M");
    }

    @Test
    void aRowWithinTwoDecadesStaysLinearFromZero() throws Exception {
        Element run = figure(parse(html).getDocumentElement(), "metric-guest.run_pct");
        assertThat(elements(run, "figcaption").get(0).getTextContent()).doesNotContain("log");
        List<Element> bars = elements(run, "rect");
        // 55.85 / 91.06 * 380 = 233.06; the larger value is the full 380.
        assertThat(bars.get(0).getAttribute("width")).isEqualTo("233.1");
        assertThat(bars.get(1).getAttribute("width")).isEqualTo("380.0");
    }

    @Test
    void eachDefinitionSitsInItsOwnChartsFigure() throws Exception {
        Element root = parse(html).getDocumentElement();
        for (Metric m : withData()) {
            Element f = figure(root, "metric-" + m.key());
            List<Element> p = elements(f, "p");
            assertThat(p).as(m.key()).hasSize(1);
            assertThat(p.get(0).getAttribute("class")).isEqualTo("definition");
            assertThat(p.get(0).getTextContent()).isEqualTo(m.definition() + ".");
        }
    }

    @Test
    void theTradeOffChartHasOnePointPerFinishedRunKeyedByLetter() throws Exception {
        Element f = figure(parse(html).getDocumentElement(), "trade-off");
        List<Element> points = elements(f, "circle");
        assertThat(points).hasSize(2);
        // x axis 0..25 (steps of 5 cover 24.23) over 548 px from x = 64: 64 + 24.2349 / 25 * 548 = 595.2.
        // y axis 0..100 over 324 px, top at 20: coverage 100 sits at 20, 80 at 344 - 0.8 * 324 = 84.8.
        assertThat(points.get(0).getAttribute("cx")).isEqualTo("595.2");
        assertThat(points.get(0).getAttribute("cy")).isEqualTo("20.0");
        assertThat(points.get(1).getAttribute("cx")).isEqualTo("65.4");
        assertThat(points.get(1).getAttribute("cy")).isEqualTo("84.8");
        List<String> labels = elements(f, "text").stream()
                .filter(t -> t.getAttribute("class").equals("label"))
                .map(Element::getTextContent)
                .toList();
        assertThat(labels).containsExactly("A", "B");
        assertThat(f.getTextContent())
                .contains("A emulated: overhead 24.23 %, coverage 100.00 %")
                .contains("C trap-and-grow(step=2): failed, not plotted");
    }

    @Test
    void pointsCloseTogetherShareOneLabel() throws Exception {
        // The flagship's static-hpmn (1.49 %, 11.11 %) and vcpu-load-resched (1.75 %, 11.15 %): on an
        // x axis of 0..40 over 548 px they are 3.6 px apart, and two labels would print over each other.
        List<RunReport> runs = new ArrayList<>();
        double[][] xy = {{37.55, 25.91}, {1.49, 11.11}, {1.75, 11.15}};
        for (int i = 0; i < xy.length; i++) {
            runs.add(RunReport.ok(
                    policies("p" + i),
                    MetricValues.builder()
                            .put(Metric.GUEST_PMU_OVERHEAD_PCT, xy[i][0])
                            .put(Metric.HOST_EVENT_COVERAGE_PCT, xy[i][1])
                            .build()));
        }
        ComparisonReport close = new ComparisonReport("close", "", 1, PolicyKind.ALLOCATION, runs, List.of());
        Element f = figure(parse(renderer.render(close)).getDocumentElement(), "trade-off");
        assertThat(elements(f, "circle")).hasSize(3);
        List<String> labels = elements(f, "text").stream()
                .filter(t -> t.getAttribute("class").equals("label"))
                .map(Element::getTextContent)
                .toList();
        assertThat(labels).containsExactly("A", "B, C");
    }

    @Test
    void withoutHostCoverageTheTradeOffSaysWhyInsteadOfAnEmptyPlot() throws Exception {
        MetricValues.Builder b = MetricValues.builder();
        SampleReports.emulatedMetrics().asMap().forEach((m, v) -> {
            if (m != Metric.HOST_EVENT_COVERAGE_PCT) {
                b.put(m, v.doubleValue());
            }
        });
        ComparisonReport noHostEvents = new ComparisonReport(
                "guest-only",
                "",
                1,
                PolicyKind.ALLOCATION,
                List.of(RunReport.ok(policies(SampleReports.EMULATED), b.build())),
                List.of());
        Element root = parse(renderer.render(noHostEvents)).getDocumentElement();
        assertThat(elements(root, "figure").stream().map(f -> f.getAttribute("id")))
                .doesNotContain("trade-off");
        Element why = elements(root, "p").stream()
                .filter(p -> p.getAttribute("id").equals("trade-off"))
                .findFirst()
                .orElseThrow();
        assertThat(why.getTextContent()).contains("no trade-off to plot", "runs no host perf events");
    }

    @Test
    void longAlikeLabelsWrapAndStayDistinct() throws Exception {
        // Seven sweep points whose labels share their first 65 characters, which the old renderer
        // cut to the same 34.
        List<RunReport> runs = new ArrayList<>();
        for (int n = 0; n < 7; n++) {
            runs.add(RunReport.ok(
                    policies("static-hpmn(guest_counters=6, opt_in=true, reserved_host_counters=" + n + ")"),
                    SampleReports.staticMetrics()));
        }
        ComparisonReport sweep = new ComparisonReport("sweep", "", 1, PolicyKind.ALLOCATION, runs, List.of());
        Element root = parse(renderer.render(sweep)).getDocumentElement();
        for (Element svg : elements(root, "svg")) {
            List<String> labels = elements(svg, "text").stream()
                    .filter(t -> t.getAttribute("class").equals("label"))
                    .map(HtmlRendererTest::labelText)
                    .toList();
            assertThat(labels).doesNotHaveDuplicates();
        }
        Element traps = figure(root, "metric-guest.pmu_traps");
        List<String> labels = elements(traps, "text").stream()
                .filter(t -> t.getAttribute("class").equals("label"))
                .map(HtmlRendererTest::labelText)
                .toList();
        assertThat(labels).hasSize(7);
        for (int n = 0; n < 7; n++) {
            // Labels list settings by name (RunPolicy), so the varying one comes last here.
            String full =
                    RunKeys.letter(n) + " static-hpmn(guest_counters=6, opt_in=true, reserved_host_counters=" + n + ")";
            // Nothing cut: the wrapped lines hold every character of the label.
            assertThat(labels.get(n).replace(" ", "")).isEqualTo(full.replace(" ", ""));
        }
    }

    @Test
    void theTableScrollsInItsOwnBox() {
        assertThat(html).contains("<div class=\"scroll\">\n<table>\n<thead>\n<tr><th>metric [unit]</th>");
        assertThat(html).contains("div.scroll{overflow-x:auto;");
    }

    @Test
    void theTableMarksTheBestCellAndListsTheEstimates() {
        assertThat(html)
                .contains("<td class=\"num\">1,234,567</td><td class=\"num best\">4,321 *</td>"
                        + "<td class=\"num failed\">FAILED</td>");
        assertThat(html)
                .contains(
                        "<h2>Cost-model estimates this result leans on</h2>",
                        "<td>C12</td><td>perf_pmu_resched</td><td class=\"num\">1,000 ns</td>");
    }

    @Test
    void isDeterministic() {
        assertThat(renderer.render(SampleReports.allocationComparison())).isEqualTo(html);
    }
}
