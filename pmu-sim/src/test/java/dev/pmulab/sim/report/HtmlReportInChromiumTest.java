package dev.pmulab.sim.report;

import static dev.pmulab.sim.report.SampleReports.policies;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pmulab.api.PolicyKind;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opens the HTML report in headless Chromium as a person at a 1280 px wide window would, takes a
 * screenshot (target/html-report/report.png, for a look) and checks what the page measures: it
 * does not overflow the window sideways, and no chart has two labels that read the same.
 *
 * <p>Chromium is Debian's package; {@code .ci/run} installs it when it is missing. Without it, this
 * test is skipped on a developer's machine with a message saying how to install it, and fails
 * under CI ({@code CI=true}), where a skip would hide that the check never ran.
 */
class HtmlReportInChromiumTest {
    private static final int WIDTH = 1280;
    private static final long TIMEOUT_S = 120;
    /**
     * Added to a copy of the page (the report itself has no script): measures after layout and
     * writes the figures as JSON into the DOM, which {@code --dump-dom} prints.
     */
    private static final String MEASURE = String.join(
            "\n",
            "<script>",
            "window.addEventListener('load', function () {",
            "  var charts = [];",
            "  document.querySelectorAll('svg.chart').forEach(function (svg) {",
            "    var labels = [];",
            "    svg.querySelectorAll('text.label').forEach(function (t) {",
            "      var parts = [];",
            "      t.querySelectorAll('tspan').forEach(function (s) { parts.push(s.textContent); });",
            "      labels.push(parts.length ? parts.join(' ') : t.textContent);",
            "    });",
            "    charts.push({id: svg.closest('figure').id, labels: labels,",
            "      right: svg.getBoundingClientRect().right});",
            "  });",
            "  var box = document.querySelector('div.scroll');",
            "  var out = document.createElement('pre');",
            "  out.id = 'pmulab-measurements';",
            "  out.textContent = JSON.stringify({scrollWidth: document.documentElement.scrollWidth,",
            "    innerWidth: window.innerWidth, tableBoxRight: box.getBoundingClientRect().right,",
            "    tableScrolls: box.scrollWidth > box.clientWidth, charts: charts});",
            "  document.body.appendChild(out);",
            "});",
            "</script>");

    private static Path chromium;

    @BeforeAll
    static void findChromium() {
        Optional<Path> found = onPath("chromium").or(() -> onPath("chromium-browser"));
        if (found.isEmpty()) {
            String message = "chromium is not installed (apt-get install -y chromium; .ci/run installs it)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message + ": under CI this check must run");
            }
            Assumptions.abort(message + ": the HTML report's browser check is skipped");
        }
        chromium = found.get();
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The case the issue measured: a sweep of static-hpmn points whose labels agree in their first
     * 40 characters, with emulated beside them and a failed run: nine columns.
     */
    private static ComparisonReport sweep() {
        List<RunReport> runs = new ArrayList<>();
        runs.add(RunReport.ok(policies(SampleReports.EMULATED), SampleReports.emulatedMetrics()));
        for (int n = 0; n < 7; n++) {
            runs.add(RunReport.ok(
                    policies("static-hpmn(opt_in=true, reserved_host_counters=" + n + ", guest_counters=" + (6 - n)
                            + ")"),
                    SampleReports.staticMetrics()));
        }
        runs.add(RunReport.failed(policies(SampleReports.GROW), SampleReports.GROW_FAILURE));
        return new ComparisonReport(
                "flagship-sweep",
                "a reservation sweep as a person would run it",
                42,
                PolicyKind.ALLOCATION,
                runs,
                SampleReports.costs());
    }

    @Test
    void fitsA1280PixelWindowAndNoTwoChartLabelsAreEqual() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "html-report")).toAbsolutePath();
        String html = new HtmlRenderer().render(sweep());
        Files.writeString(dir.resolve("report.html"), html, StandardCharsets.UTF_8);
        Path measured = dir.resolve("report-measured.html");
        Files.writeString(measured, html.replace("</body>", MEASURE + "\n</body>"), StandardCharsets.UTF_8);
        Path screenshot = dir.resolve("report.png");
        Files.deleteIfExists(screenshot);

        String dom = run(
                chromium.toString(),
                "--headless=new",
                "--no-sandbox", // root in CI; the page is our own file
                "--disable-gpu",
                "--no-first-run",
                "--hide-scrollbars",
                "--user-data-dir=" + Files.createTempDirectory(dir, "profile"),
                "--window-size=" + WIDTH + ",2000",
                "--screenshot=" + screenshot,
                "--dump-dom",
                measured.toUri().toString());

        assertThat(screenshot).as("the screenshot").exists();
        assertThat(Files.size(screenshot)).isGreaterThan(1000);
        Matcher m = Pattern.compile("<pre id=\"pmulab-measurements\">(.*?)</pre>", Pattern.DOTALL)
                .matcher(dom);
        assertThat(m.find())
                .as("the page's measurements in:\n" + dom.substring(0, Math.min(dom.length(), 2000)))
                .isTrue();
        JsonNode json = new ObjectMapper().readTree(unescape(m.group(1)));
        assertThat(json.path("innerWidth").asInt()).isEqualTo(WIDTH);
        assertThat(json.path("scrollWidth").asInt()).as("the page's width").isLessThanOrEqualTo(WIDTH);
        assertThat(json.path("tableBoxRight").asDouble()).isLessThanOrEqualTo(WIDTH);
        assertThat(json.path("tableScrolls").asBoolean())
                .as("nine columns of long labels scroll inside the table's box")
                .isTrue();
        JsonNode charts = json.path("charts");
        // The trade-off chart and one per metric with data.
        assertThat(charts.size()).isGreaterThan(10);
        for (JsonNode chart : charts) {
            List<String> labels = new ArrayList<>();
            chart.path("labels").forEach(l -> labels.add(l.asText()));
            assertThat(labels).as(chart.path("id").asText()).isNotEmpty().doesNotHaveDuplicates();
            assertThat(chart.path("right").asDouble())
                    .as(chart.path("id").asText() + "'s right edge")
                    .isLessThanOrEqualTo(WIDTH);
        }
    }

    /** --dump-dom escapes the pre's text as HTML does: only these three. */
    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        // Both to files, so a hung browser cannot block a pipe read: the wait's timeout holds.
        Path out = Files.createTempFile("chromium", ".html");
        Path err = Files.createTempFile("chromium", ".log");
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not finish within " + TIMEOUT_S + " s");
        }
        assertThat(p.exitValue())
                .as("chromium's exit status; its stderr:\n" + Files.readString(err))
                .isZero();
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return dom;
    }
}
