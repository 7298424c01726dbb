package dev.pmulab.sim.report;

import static dev.pmulab.sim.report.SampleReports.policies;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Metric;
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

    @Test
    void isWellFormedWithOneChartPerMetric() throws Exception {
        Element root = parse(html).getDocumentElement();
        List<Element> svgs = elements(root, "svg");
        assertThat(svgs).hasSize(Metric.all().size());
        List<String> figureIds =
                elements(root, "figure").stream().map(e -> e.getAttribute("id")).toList();
        assertThat(figureIds)
                .containsExactlyElementsOf(
                        Metric.all().stream().map(m -> "metric-" + m.key()).toList());
        for (Element figure : elements(root, "figure")) {
            Element svg = elements(figure, "svg").get(0);
            String key = figure.getAttribute("id").substring("metric-".length());
            List<Element> bars = elements(svg, "rect");
            // Two runs finished, a bar each where the sample sets the metric; the third failed and
            // has no bar but says so.
            Metric metric = Metric.fromKey(key);
            int expected = (SampleReports.emulatedMetrics().has(metric) ? 1 : 0)
                    + (SampleReports.staticMetrics().has(metric) ? 1 : 0);
            assertThat(bars).as(key).hasSize(expected);
            assertThat(svg.getTextContent()).as(key).contains("FAILED");
        }
    }

    @Test
    void barsAreScaledToTheLargestValueAndTheBestIsMarked() throws Exception {
        Element root = parse(html).getDocumentElement();
        Element traps = elements(root, "figure").stream()
                .filter(f -> f.getAttribute("id").equals("metric-guest.pmu_traps"))
                .findFirst()
                .orElseThrow();
        List<Element> bars = elements(traps, "rect");
        assertThat(bars.get(0).getAttribute("width")).isEqualTo("400.0");
        assertThat(bars.get(0).getAttribute("class")).isEqualTo("bar");
        // 4321 / 1234567 * 400 = 1.4
        assertThat(bars.get(1).getAttribute("width")).isEqualTo("1.4");
        assertThat(bars.get(1).getAttribute("class")).isEqualTo("bar best");
        assertThat(traps.getTextContent()).contains("1,234,567", "4,321 *");
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
