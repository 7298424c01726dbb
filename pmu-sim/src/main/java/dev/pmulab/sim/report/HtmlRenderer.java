package dev.pmulab.sim.report;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Direction;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricGroup;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One self-contained HTML5 page that shows the decision: the trade-off chart (guest PMU overhead
 * against host event coverage, one point per run), the side-by-side table in a box of its own that
 * scrolls sideways, the failed runs, a bar chart per metric with its definition beside it, and the
 * cost-model estimates. Rows with no data (0 or n/a in every run) are folded into a list that says
 * so instead of a table row or chart of nothing. Every run has a key letter (A, B, …) that prefixes
 * its label everywhere, so no two chart labels read the same however alike the policies' settings
 * are; long labels wrap and are never cut. A row whose positive values span more than two orders
 * of magnitude gets a log axis ({@link ChartScale}).
 *
 * <p>No script, no external style, font or image: it opens offline and can be mailed. All text is
 * escaped; the markup is also well-formed XML (void elements closed, only the five XML entities),
 * which the tests check with an XML parser, and a test opens it in headless Chromium to check that
 * a 1280 px window holds it. The best value carries {@code *} besides its colour, so it survives
 * printing in black and white.
 */
public final class HtmlRenderer implements ReportRenderer {
    // Bar charts: label column, bar, value text. With the definition beside it (16rem) and the
    // page margins, a chart fits a 1280 px window; narrower windows shrink the SVG (max-width).
    private static final int LABEL_WIDTH = 300;
    private static final int LABEL_CHARS = 38;
    private static final int BAR_MAX = 380;
    private static final int VALUE_SPACE = 130;
    private static final int CHART_WIDTH = LABEL_WIDTH + BAR_MAX + VALUE_SPACE;
    private static final int LINE_HEIGHT = 15;
    private static final int BAR_HEIGHT = 18;
    private static final int PAD = 6;
    private static final int AXIS_HEIGHT = 22;

    // The trade-off chart's plot area.
    private static final int TRADE_WIDTH = 640;
    private static final int TRADE_HEIGHT = 400;
    private static final int TRADE_LEFT = 64;
    private static final int TRADE_RIGHT = 28;
    private static final int TRADE_TOP = 20;
    private static final int TRADE_BOTTOM = 56;
    /** Points closer than this to a labelled point share its label (a label is about 12 px high). */
    private static final int NEAR_X = 24;

    private static final int NEAR_Y = 16;

    /** The x axis of the trade-off chart: what the guest pays. */
    static final Metric TRADE_X = Metric.GUEST_PMU_OVERHEAD_PCT;
    /** The y axis of the trade-off chart: what the host keeps. */
    static final Metric TRADE_Y = Metric.HOST_EVENT_COVERAGE_PCT;

    private static final String CSS = String.join(
            "\n",
            "body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b;background:#fff;max-width:80rem}",
            "h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1rem;margin-top:1.5rem}",
            "dl.about{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2rem 1rem}",
            "dd{margin:0;overflow-wrap:anywhere}",
            "div.scroll{overflow-x:auto;max-width:100%;border:1px solid #ccc}",
            "table{border-collapse:collapse;font-variant-numeric:tabular-nums}",
            "th,td{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}",
            "div.scroll th:first-child,div.scroll td:first-child{position:sticky;left:0;background:#fff;white-space:nowrap}",
            "th.run{min-width:10rem;max-width:16rem;overflow-wrap:break-word;vertical-align:bottom;text-align:right}",
            "td.num{text-align:right;white-space:nowrap}",
            "td.best{font-weight:bold;background:#e3f4e1}",
            "td.failed{color:#a00}",
            "tr.group th{background:#f2f2f2}",
            "span.key{font-weight:bold;font-family:monospace}",
            "details{margin:.6rem 0}summary{cursor:pointer}",
            "figure{margin:0;padding:.8rem 0;border-top:1px solid #ccc}",
            "figcaption{font-family:monospace;margin-bottom:.4rem}",
            "div.pair{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}",
            "div.plot{flex:0 1 auto;min-width:0}",
            "div.plot svg{max-width:100%;height:auto}",
            "div.beside{flex:1 1 14rem;max-width:24rem;font-size:.9rem;color:#333}",
            "p.definition{margin:0;overflow-wrap:anywhere}",
            "ul.legend{list-style:none;padding:0;margin:0}ul.legend li{margin:.15rem 0;overflow-wrap:anywhere}",
            "pre{white-space:pre-wrap;overflow-wrap:anywhere}",
            "svg text{font:12px sans-serif;fill:#1b1b1b}svg text.tick{fill:#555}",
            "svg line.axis{stroke:#555}svg line.grid{stroke:#ddd}",
            "svg circle.point{fill:#3c6fb0}",
            "svg rect.bar{fill:#7a9cc6}svg rect.best{fill:#3c8d2f}svg text.missing{fill:#a00}");

    @Override
    public String render(ComparisonReport report) {
        RunKeys keys = new RunKeys(report);
        StringBuilder h = new StringBuilder(65536);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>pmulab compare: ")
                .append(esc(report.scenario()))
                .append("</title>\n")
                .append("<style>\n")
                .append(CSS)
                .append("\n</style>\n</head>\n<body>\n");
        header(h, report);
        tradeOff(h, report, keys);
        table(h, report, keys);
        failures(h, report, keys);
        charts(h, report, keys);
        costs(h, report);
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, ComparisonReport report) {
        h.append("<h1>pmulab compare: ").append(esc(report.scenario())).append("</h1>\n");
        if (!report.description().isEmpty()) {
            h.append("<p>").append(esc(report.description())).append("</p>\n");
        }
        h.append("<dl class=\"about\">\n<dt>seed</dt><dd>")
                .append(report.seed())
                .append("</dd>\n");
        h.append("<dt>compared</dt><dd>")
                .append(esc(report.comparedKind().configName()))
                .append(" policies, ")
                .append(report.runs().size())
                .append(report.runs().size() == 1 ? " run" : " runs")
                .append("</dd>\n");
        for (PolicyKind kind : PolicyKind.values()) {
            if (kind != report.comparedKind()) {
                String common = report.commonLabel(kind).orElse("varies by run (see the table)");
                h.append("<dt>")
                        .append(esc(kind.configName()))
                        .append("</dt><dd>")
                        .append(esc(common))
                        .append("</dd>\n");
            }
        }
        h.append("</dl>\n");
    }

    // ---------------------------------------------------------------------------------------------
    // The trade-off

    /**
     * Guest PMU overhead (x, lower is better) against host event coverage (y, higher is better):
     * the best policies sit towards the top left. Points that land close together share one label
     * ("A, C"), so labels never print over one another.
     */
    private static void tradeOff(StringBuilder h, ComparisonReport report, RunKeys keys) {
        List<RunReport> runs = report.runs();
        double xMax = 0;
        double yMax = 0;
        int plotted = 0;
        for (RunReport r : runs) {
            double x = r.isOk() ? r.metrics().valueOrNaN(TRADE_X) : Double.NaN;
            double y = r.isOk() ? r.metrics().valueOrNaN(TRADE_Y) : Double.NaN;
            if (!Double.isNaN(x) && !Double.isNaN(y)) {
                xMax = Math.max(xMax, x);
                yMax = Math.max(yMax, y);
                plotted++;
            }
        }
        if (plotted == 0) {
            // An empty plot would read as a chart of nothing; say why instead (a scenario without
            // host perf events has no host coverage to trade against).
            h.append("<h2>The trade-off</h2>\n<p id=\"trade-off\">No run has both ")
                    .append(esc(TRADE_X.key()))
                    .append(" and ")
                    .append(esc(TRADE_Y.key()))
                    .append(", so there is no trade-off to plot: ")
                    .append(esc(TRADE_Y.key()))
                    .append(" is n/a when the scenario runs no host perf events, and a failed run has neither."
                            + " The charts below compare the runs metric by metric.</p>\n");
            return;
        }
        double xStep = niceStep(xMax);
        double xTop = xStep * Math.max(1, Math.ceil(xMax / xStep));
        double yTop = yMax <= 100 ? 100 : niceStep(yMax) * Math.ceil(yMax / niceStep(yMax));
        double yStep = yTop / 5;
        int plotW = TRADE_WIDTH - TRADE_LEFT - TRADE_RIGHT;
        int plotH = TRADE_HEIGHT - TRADE_TOP - TRADE_BOTTOM;

        h.append("<h2>The trade-off</h2>\n<figure class=\"tradeoff\" id=\"trade-off\">\n<figcaption>")
                .append(esc(TRADE_X.key()))
                .append(" (lower is better) against ")
                .append(esc(TRADE_Y.key()))
                .append(" (higher is better): the best sit top left</figcaption>\n<div class=\"pair\">\n");
        h.append("<div class=\"plot\"><svg class=\"chart\" width=\"")
                .append(TRADE_WIDTH)
                .append("\" height=\"")
                .append(TRADE_HEIGHT)
                .append("\" viewBox=\"0 0 ")
                .append(TRADE_WIDTH)
                .append(' ')
                .append(TRADE_HEIGHT)
                .append("\" role=\"img\" aria-label=\"trade-off: ")
                .append(esc(TRADE_X.key()))
                .append(" against ")
                .append(esc(TRADE_Y.key()))
                .append("\">\n");
        int x0 = TRADE_LEFT;
        int y0 = TRADE_TOP + plotH;
        for (int i = 0; i <= 5; i++) {
            double yv = i * yStep;
            double py = y0 - yv / yTop * plotH;
            h.append("<line class=\"grid\" x1=\"")
                    .append(x0)
                    .append("\" y1=\"")
                    .append(coord(py))
                    .append("\" x2=\"")
                    .append(x0 + plotW)
                    .append("\" y2=\"")
                    .append(coord(py))
                    .append("\"/><text class=\"tick\" x=\"")
                    .append(x0 - PAD)
                    .append("\" y=\"")
                    .append(coord(py + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(esc(tick(yv)))
                    .append("</text>\n");
        }
        int xTicks = (int) Math.round(xTop / xStep);
        for (int i = 0; i <= xTicks; i++) {
            double xv = i * xStep;
            double px = x0 + xv / xTop * plotW;
            h.append("<line class=\"grid\" x1=\"")
                    .append(coord(px))
                    .append("\" y1=\"")
                    .append(TRADE_TOP)
                    .append("\" x2=\"")
                    .append(coord(px))
                    .append("\" y2=\"")
                    .append(y0)
                    .append("\"/><text class=\"tick\" x=\"")
                    .append(coord(px))
                    .append("\" y=\"")
                    .append(y0 + 16)
                    .append("\" text-anchor=\"middle\">")
                    .append(esc(tick(xv)))
                    .append("</text>\n");
        }
        h.append("<line class=\"axis\" x1=\"")
                .append(x0)
                .append("\" y1=\"")
                .append(y0)
                .append("\" x2=\"")
                .append(x0 + plotW)
                .append("\" y2=\"")
                .append(y0)
                .append("\"/><line class=\"axis\" x1=\"")
                .append(x0)
                .append("\" y1=\"")
                .append(TRADE_TOP)
                .append("\" x2=\"")
                .append(x0)
                .append("\" y2=\"")
                .append(y0)
                .append("\"/>\n");
        h.append("<text x=\"")
                .append(x0 + plotW / 2)
                .append("\" y=\"")
                .append(TRADE_HEIGHT - 12)
                .append("\" text-anchor=\"middle\">")
                .append(esc(TRADE_X.label()))
                .append(", lower is better</text>\n");
        h.append("<text transform=\"rotate(-90)\" x=\"")
                .append(-(TRADE_TOP + plotH / 2))
                .append("\" y=\"16\" text-anchor=\"middle\">")
                .append(esc(TRADE_Y.label()))
                .append(", higher is better</text>\n");

        // Points; one that lands within a label's size of a group's first point joins that group,
        // whose one label lists them all ("B, E"), so labels never print over one another.
        List<List<Integer>> groups = new ArrayList<>();
        double[][] at = new double[runs.size()][];
        for (int i = 0; i < runs.size(); i++) {
            RunReport r = runs.get(i);
            double x = r.isOk() ? r.metrics().valueOrNaN(TRADE_X) : Double.NaN;
            double y = r.isOk() ? r.metrics().valueOrNaN(TRADE_Y) : Double.NaN;
            if (Double.isNaN(x) || Double.isNaN(y)) {
                continue;
            }
            at[i] = new double[] {
                x0 + Math.min(Math.max(x, 0), xTop) / xTop * plotW, y0 - Math.min(Math.max(y, 0), yTop) / yTop * plotH
            };
            List<Integer> joined = null;
            for (List<Integer> g : groups) {
                double[] first = at[g.get(0)];
                if (Math.abs(first[0] - at[i][0]) < NEAR_X && Math.abs(first[1] - at[i][1]) < NEAR_Y) {
                    joined = g;
                    break;
                }
            }
            if (joined == null) {
                joined = new ArrayList<>();
                groups.add(joined);
            }
            joined.add(i);
        }
        for (List<Integer> g : groups) {
            double[] p = at[g.get(0)];
            StringBuilder letters = new StringBuilder();
            StringBuilder titles = new StringBuilder();
            for (int i : g) {
                letters.append(letters.length() == 0 ? "" : ", ")
                        .append(keys.letters().get(i));
                titles.append(titles.length() == 0 ? "" : "; ")
                        .append(keys.letters().get(i))
                        .append(' ')
                        .append(keys.labels().get(i));
            }
            boolean nearRight = p[0] > TRADE_WIDTH - TRADE_RIGHT - 60;
            h.append("<g><title>").append(esc(titles.toString())).append("</title>");
            for (int i : g) {
                h.append("<circle class=\"point\" cx=\"")
                        .append(coord(at[i][0]))
                        .append("\" cy=\"")
                        .append(coord(at[i][1]))
                        .append("\" r=\"5\"/>");
            }
            h.append("<text class=\"label\" x=\"")
                    .append(coord(nearRight ? p[0] - 8 : p[0] + 8))
                    .append("\" y=\"")
                    .append(coord(p[1] < TRADE_TOP + 14 ? p[1] + 16 : p[1] - 7))
                    .append(nearRight ? "\" text-anchor=\"end\">" : "\">")
                    .append(esc(letters.toString()))
                    .append("</text></g>\n");
        }
        h.append("</svg></div>\n<div class=\"beside\">\n<ul class=\"legend\">\n");
        for (int i = 0; i < runs.size(); i++) {
            RunReport r = runs.get(i);
            h.append("<li><span class=\"key\">")
                    .append(keys.letters().get(i))
                    .append("</span> ")
                    .append(esc(keys.labels().get(i)))
                    .append(": ");
            double x = r.isOk() ? r.metrics().valueOrNaN(TRADE_X) : Double.NaN;
            double y = r.isOk() ? r.metrics().valueOrNaN(TRADE_Y) : Double.NaN;
            if (!r.isOk()) {
                h.append("failed, not plotted");
            } else if (Double.isNaN(x) || Double.isNaN(y)) {
                h.append(TableRenderer.NOT_APPLICABLE).append(", not plotted");
            } else {
                h.append("overhead ")
                        .append(esc(TRADE_X.format().format(x)))
                        .append(" %, coverage ")
                        .append(esc(TRADE_Y.format().format(y)))
                        .append(" %");
            }
            h.append("</li>\n");
        }
        h.append("</ul>\n<p class=\"definition\">x: ")
                .append(esc(TRADE_X.definition()))
                .append(".</p>\n<p class=\"definition\">y: ")
                .append(esc(TRADE_Y.definition()))
                .append(".</p>\n</div>\n</div>\n</figure>\n");
    }

    /** A round step (1, 2, 2.5 or 5 times a power of ten) that divides {@code max} into at most five. */
    static double niceStep(double max) {
        if (!(max > 0)) {
            return 1;
        }
        double raw = max / 5;
        double decade = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * decade >= raw) {
                return m * decade;
            }
        }
        return 10 * decade;
    }

    /** A tick value: as few decimals as it needs, at most three. */
    private static String tick(double v) {
        return new BigDecimal(v)
                .setScale(3, RoundingMode.HALF_EVEN)
                .stripTrailingZeros()
                .toPlainString();
    }

    // ---------------------------------------------------------------------------------------------
    // The table

    /**
     * Why {@code m}'s row holds nothing to compare, or empty when it does: every run that finished
     * shows 0, or n/a, or a mix of the two (or no run finished).
     */
    static Optional<String> noData(Metric m, List<RunReport> runs) {
        boolean zero = false;
        boolean missing = false;
        boolean finished = false;
        for (RunReport r : runs) {
            if (!r.isOk()) {
                continue;
            }
            finished = true;
            double v = r.metrics().valueOrNaN(m);
            if (Double.isNaN(v)) {
                missing = true;
            } else if (v == 0) {
                zero = true;
            } else {
                return Optional.empty();
            }
        }
        if (!finished) {
            return Optional.of("no run finished");
        }
        if (zero && missing) {
            return Optional.of("0 or " + TableRenderer.NOT_APPLICABLE + " in every run");
        }
        return Optional.of((zero ? "0" : TableRenderer.NOT_APPLICABLE) + " in every run");
    }

    /** The rows folded away, as a list that says how many and why; nothing when every row has data. */
    private static void folded(StringBuilder h, ComparisonReport report) {
        List<Metric> empty = new ArrayList<>();
        for (Metric m : Metric.all()) {
            if (noData(m, report.runs()).isPresent()) {
                empty.add(m);
            }
        }
        if (empty.isEmpty()) {
            return;
        }
        h.append("<details class=\"nodata\"><summary>")
                .append(empty.size())
                .append(empty.size() == 1 ? " row" : " rows")
                .append(" with no data</summary>\n<ul>\n");
        for (Metric m : empty) {
            h.append("<li><code>")
                    .append(esc(m.label()))
                    .append("</code>: ")
                    .append(esc(noData(m, report.runs()).orElseThrow()))
                    .append(". ")
                    .append(esc(m.definition()))
                    .append("</li>\n");
        }
        h.append("</ul>\n</details>\n");
    }

    private static void table(StringBuilder h, ComparisonReport report, RunKeys keys) {
        List<RunReport> runs = report.runs();
        h.append("<h2>Side by side</h2>\n<div class=\"scroll\">\n<table>\n<thead>\n")
                .append("<tr><th>metric [unit]</th><th>better</th>");
        for (int i = 0; i < runs.size(); i++) {
            h.append("<th class=\"run\"><span class=\"key\">")
                    .append(keys.letters().get(i))
                    .append("</span> ")
                    .append(esc(runs.get(i).label(report.comparedKind())))
                    .append("</th>");
        }
        h.append("</tr>\n");
        for (PolicyKind kind : PolicyKind.values()) {
            if (kind != report.comparedKind() && report.commonLabel(kind).isEmpty()) {
                h.append("<tr><th>(").append(esc(kind.configName())).append(")</th><th></th>");
                for (RunReport r : runs) {
                    h.append("<th class=\"run\">").append(esc(r.label(kind))).append("</th>");
                }
                h.append("</tr>\n");
            }
        }
        h.append("</thead>\n<tbody>\n");
        MetricGroup group = null;
        for (Metric m : Metric.all()) {
            if (noData(m, runs).isPresent()) {
                continue;
            }
            if (m.group() != group) {
                group = m.group();
                h.append("<tr class=\"group\"><th colspan=\"")
                        .append(runs.size() + 2)
                        .append("\">")
                        .append(esc(group.title()))
                        .append("</th></tr>\n");
            }
            h.append("<tr><td><a href=\"#")
                    .append(anchor(m))
                    .append("\">")
                    .append(esc(m.label()))
                    .append("</a></td><td>")
                    .append(esc(m.better().label()))
                    .append("</td>");
            boolean[] best = BestValues.of(m, runs);
            for (int i = 0; i < runs.size(); i++) {
                RunReport r = runs.get(i);
                double v = r.metrics().valueOrNaN(m);
                if (!r.isOk()) {
                    h.append("<td class=\"num failed\">")
                            .append(TableRenderer.FAILED)
                            .append("</td>");
                } else if (Double.isNaN(v)) {
                    h.append("<td class=\"num\">")
                            .append(TableRenderer.NOT_APPLICABLE)
                            .append("</td>");
                } else if (best[i]) {
                    h.append("<td class=\"num best\">")
                            .append(esc(m.format().format(v)))
                            .append(' ')
                            .append(TableRenderer.BEST_MARK)
                            .append("</td>");
                } else {
                    h.append("<td class=\"num\">")
                            .append(esc(m.format().format(v)))
                            .append("</td>");
                }
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n</div>\n<p>")
                .append(TableRenderer.BEST_MARK)
                .append(" best value of the row, compared as printed (ties all marked; rows whose better is - are"
                        + " never marked); n/a not applicable to the run. The letters key the runs in every"
                        + " chart.</p>\n");
        folded(h, report);
    }

    private static void failures(StringBuilder h, ComparisonReport report, RunKeys keys) {
        List<RunReport> runs = report.runs();
        if (report.failedRuns().isEmpty()) {
            return;
        }
        h.append("<h2>Failed runs</h2>\n<ul>\n");
        for (int i = 0; i < runs.size(); i++) {
            RunReport r = runs.get(i);
            if (r.isOk()) {
                continue;
            }
            h.append("<li><span class=\"key\">")
                    .append(keys.letters().get(i))
                    .append("</span> <strong>")
                    .append(esc(keys.labels().get(i)))
                    .append("</strong><pre>")
                    .append(esc(r.error()))
                    .append("</pre></li>\n");
        }
        h.append("</ul>\n");
    }

    // ---------------------------------------------------------------------------------------------
    // One chart per metric with data

    private static void charts(StringBuilder h, ComparisonReport report, RunKeys keys) {
        h.append("<h2>Charts</h2>\n<p>One chart per row with data, its definition beside it.</p>\n");
        folded(h, report);
        MetricGroup group = null;
        for (Metric m : Metric.all()) {
            if (noData(m, report.runs()).isPresent()) {
                continue;
            }
            if (m.group() != group) {
                group = m.group();
                h.append("<h3>").append(esc(group.title())).append("</h3>\n");
            }
            chart(h, m, report, keys);
        }
    }

    /** Horizontal bars, one per run, on a linear axis from zero or a log axis over whole decades. */
    private static void chart(StringBuilder h, Metric m, ComparisonReport report, RunKeys keys) {
        List<RunReport> runs = report.runs();
        boolean[] best = BestValues.of(m, runs);
        double[] values = new double[runs.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = runs.get(i).isOk() ? runs.get(i).metrics().valueOrNaN(m) : Double.NaN;
        }
        ChartScale scale = ChartScale.of(values);
        List<List<String>> lines = new ArrayList<>();
        int height = PAD;
        for (int i = 0; i < runs.size(); i++) {
            List<String> l =
                    RunKeys.wrap(keys.letters().get(i) + " " + keys.labels().get(i), LABEL_CHARS);
            lines.add(l);
            height += rowHeight(l.size());
        }
        int barsBottom = height;
        if (scale.log()) {
            height += AXIS_HEIGHT;
        }
        height += PAD;
        String better = m.better() == Direction.NONE
                ? "neither direction is better"
                : m.better().label() + " is better";
        h.append("<figure class=\"metric\" id=\"")
                .append(anchor(m))
                .append("\">\n<figcaption><strong>")
                .append(esc(m.label()))
                .append("</strong>, ")
                .append(esc(better))
                .append(scale.log() ? "; log scale (the values span more than two orders of magnitude)" : "")
                .append("</figcaption>\n<div class=\"pair\">\n<div class=\"plot\"><svg class=\"chart\" width=\"")
                .append(CHART_WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(CHART_WIDTH)
                .append(' ')
                .append(height)
                .append("\" role=\"img\" aria-label=\"")
                .append(esc(m.label() + ", " + better))
                .append("\">\n");
        if (scale.log()) {
            for (int e : scale.decades()) {
                double x = LABEL_WIDTH + scale.length(Math.pow(10, e), BAR_MAX);
                if (e == scale.decades().get(0)) {
                    x = LABEL_WIDTH;
                }
                h.append("<line class=\"grid\" x1=\"")
                        .append(coord(x))
                        .append("\" y1=\"")
                        .append(PAD)
                        .append("\" x2=\"")
                        .append(coord(x))
                        .append("\" y2=\"")
                        .append(barsBottom)
                        .append("\"/><text class=\"tick\" x=\"")
                        .append(coord(x))
                        .append("\" y=\"")
                        .append(barsBottom + 15)
                        .append("\" text-anchor=\"middle\">")
                        .append(esc(ChartScale.decadeLabel(e)))
                        .append("</text>\n");
            }
        }
        int top = PAD;
        for (int i = 0; i < runs.size(); i++) {
            RunReport r = runs.get(i);
            List<String> l = lines.get(i);
            int rowH = rowHeight(l.size());
            int barTop = top + (rowH - BAR_HEIGHT) / 2;
            int barBaseline = barTop + BAR_HEIGHT - 5;
            int firstLine = top + (rowH - l.size() * LINE_HEIGHT) / 2 + LINE_HEIGHT - 3;
            h.append("<g><title>")
                    .append(esc(keys.letters().get(i) + " " + keys.labels().get(i)))
                    .append("</title><text class=\"label\" x=\"")
                    .append(LABEL_WIDTH - PAD)
                    .append("\" y=\"")
                    .append(firstLine)
                    .append("\" text-anchor=\"end\">");
            for (int j = 0; j < l.size(); j++) {
                h.append("<tspan x=\"")
                        .append(LABEL_WIDTH - PAD)
                        .append(j == 0 ? "\">" : "\" dy=\"" + LINE_HEIGHT + "\">")
                        .append(esc(l.get(j)))
                        .append("</tspan>");
            }
            h.append("</text>");
            double v = values[i];
            if (!r.isOk() || Double.isNaN(v)) {
                h.append("<text class=\"missing\" x=\"")
                        .append(LABEL_WIDTH)
                        .append("\" y=\"")
                        .append(barBaseline)
                        .append("\">")
                        .append(r.isOk() ? TableRenderer.NOT_APPLICABLE : TableRenderer.FAILED)
                        .append("</text>");
            } else {
                double w = scale.length(v, BAR_MAX);
                String shown = m.format().format(v) + (best[i] ? " " + TableRenderer.BEST_MARK : "");
                if (scale.log() && v <= 0) {
                    shown += " (not on a log axis)";
                }
                h.append("<rect class=\"")
                        .append(best[i] ? "bar best" : "bar")
                        .append("\" x=\"")
                        .append(LABEL_WIDTH)
                        .append("\" y=\"")
                        .append(barTop)
                        .append("\" width=\"")
                        .append(coord(w))
                        .append("\" height=\"")
                        .append(BAR_HEIGHT)
                        .append("\"/>");
                h.append("<text x=\"")
                        .append(coord(LABEL_WIDTH + w + PAD))
                        .append("\" y=\"")
                        .append(barBaseline)
                        .append("\">")
                        .append(esc(shown))
                        .append("</text>");
            }
            h.append("</g>\n");
            top += rowH;
        }
        h.append("</svg></div>\n<div class=\"beside\"><p class=\"definition\">")
                .append(esc(m.definition()))
                .append(".</p></div>\n</div>\n</figure>\n");
    }

    private static int rowHeight(int lines) {
        return Math.max(BAR_HEIGHT + 10, lines * LINE_HEIGHT + 10);
    }

    private static void costs(StringBuilder h, ComparisonReport report) {
        h.append("<h2>").append(esc(stripColon(TableRenderer.ESTIMATES_TITLE))).append("</h2>\n");
        costTable(h, report.estimatesLeanedOn(), false);
        h.append("<h2>").append(esc(stripColon(TableRenderer.OVERRIDDEN_TITLE))).append("</h2>\n");
        costTable(h, report.overriddenDefaults(), true);
    }

    private static void costTable(StringBuilder h, List<CostAssumption> costs, boolean overridden) {
        if (costs.isEmpty()) {
            h.append("<p>none</p>\n");
            return;
        }
        h.append("<div class=\"scroll\">\n<table>\n<thead><tr><th>id</th><th>name</th><th class=\"run\">value</th>")
                .append(overridden ? "<th>flag of the default</th>" : "")
                .append("<th>source</th></tr></thead>\n<tbody>\n");
        for (CostAssumption c : costs) {
            h.append("<tr><td>")
                    .append(esc(c.id()))
                    .append("</td><td>")
                    .append(esc(c.name()))
                    .append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%,d ns", c.valueNs()))
                    .append("</td>");
            if (overridden) {
                h.append("<td>").append(esc(c.flag())).append("</td>");
            }
            h.append("<td>").append(esc(c.source())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</div>\n");
    }

    private static String stripColon(String title) {
        return title.endsWith(":") ? title.substring(0, title.length() - 1) : title;
    }

    /** Metric keys are [a-z0-9._]; a valid id and fragment as they are. */
    private static String anchor(Metric m) {
        return "metric-" + m.key();
    }

    /** A coordinate with one decimal, from the exact double. */
    private static String coord(double v) {
        return new BigDecimal(v).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }

    /**
     * Escapes the five XML-significant characters; control characters HTML forbids become U+FFFD,
     * and a lone surrogate too, so the page stays valid whatever a plugin's message holds. Every
     * HTML page pmulab writes escapes through this (the compare report, reproduce's, a sweep's).
     */
    public static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    sb.append("&amp;");
                    break;
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                case '\'':
                    sb.append("&#39;");
                    break;
                default:
                    if (Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)
                            || (Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r')) {
                        sb.append('\uFFFD');
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.toString();
    }
}
