package dev.pmulab.sim.report;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Direction;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricGroup;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * One self-contained HTML5 page: the side-by-side table, the failed runs, an inline SVG bar chart
 * per metric and the cost-model estimates. No script, no external style, font or image, so it opens
 * offline and can be mailed. All text is escaped; the markup is also well-formed XML (void
 * elements closed, only the five XML entities), which the tests check with an XML parser. The best
 * value carries {@code *} besides its colour, so it survives printing in black and white.
 */
public final class HtmlRenderer implements ReportRenderer {
    private static final int CHART_WIDTH = 760;
    private static final int LABEL_WIDTH = 240;
    private static final int BAR_MAX = 400;
    private static final int ROW_HEIGHT = 26;
    private static final int BAR_HEIGHT = 18;
    private static final int PAD = 6;
    private static final int LABEL_MAX_CHARS = 34;

    private static final String CSS = String.join(
            "\n",
            "body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b;background:#fff}",
            "h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1rem}",
            "table{border-collapse:collapse;font-variant-numeric:tabular-nums}",
            "th,td{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left}",
            "td.num,th.run{text-align:right}",
            "td.best{font-weight:bold;background:#e3f4e1}",
            "td.failed{color:#a00}",
            "tr.group th{background:#f2f2f2}",
            "dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dd{margin:0}",
            "figure{margin:1rem 0}figcaption{font-family:monospace}",
            "p.definition{margin:.2rem 0;color:#555;font-size:.9rem}",
            "pre{white-space:pre-wrap}",
            "svg text{font:12px sans-serif;fill:#1b1b1b}",
            "svg rect.bar{fill:#7a9cc6}svg rect.best{fill:#3c8d2f}svg text.missing{fill:#a00}");

    @Override
    public String render(ComparisonReport report) {
        StringBuilder h = new StringBuilder(32768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>pmulab compare: ")
                .append(esc(report.scenario()))
                .append("</title>\n")
                .append("<style>\n")
                .append(CSS)
                .append("\n</style>\n</head>\n<body>\n");
        header(h, report);
        table(h, report);
        failures(h, report);
        charts(h, report);
        costs(h, report);
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, ComparisonReport report) {
        h.append("<h1>pmulab compare: ").append(esc(report.scenario())).append("</h1>\n");
        if (!report.description().isEmpty()) {
            h.append("<p>").append(esc(report.description())).append("</p>\n");
        }
        h.append("<dl>\n<dt>seed</dt><dd>").append(report.seed()).append("</dd>\n");
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

    private static void table(StringBuilder h, ComparisonReport report) {
        List<RunReport> runs = report.runs();
        h.append("<h2>Side by side</h2>\n<table>\n<thead>\n<tr><th>metric [unit]</th><th>better</th>");
        for (RunReport r : runs) {
            h.append("<th class=\"run\">")
                    .append(esc(r.label(report.comparedKind())))
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
        h.append("</tbody>\n</table>\n<p>")
                .append(TableRenderer.BEST_MARK)
                .append(" best value of the row, compared as printed (ties all marked; rows whose better is - are"
                        + " never marked); n/a not applicable to the run.</p>\n");
    }

    private static void failures(StringBuilder h, ComparisonReport report) {
        List<RunReport> failed = report.failedRuns();
        if (failed.isEmpty()) {
            return;
        }
        h.append("<h2>Failed runs</h2>\n<ul>\n");
        for (RunReport r : failed) {
            h.append("<li><strong>")
                    .append(esc(r.label(report.comparedKind())))
                    .append("</strong><pre>")
                    .append(esc(r.error()))
                    .append("</pre></li>\n");
        }
        h.append("</ul>\n");
    }

    private static void charts(StringBuilder h, ComparisonReport report) {
        h.append("<h2>Charts</h2>\n");
        MetricGroup group = null;
        for (Metric m : Metric.all()) {
            if (m.group() != group) {
                group = m.group();
                h.append("<h3>").append(esc(group.title())).append("</h3>\n");
            }
            chart(h, m, report);
        }
    }

    /** Horizontal bars, one per run, scaled to the largest value of the metric. */
    private static void chart(StringBuilder h, Metric m, ComparisonReport report) {
        List<RunReport> runs = report.runs();
        boolean[] best = BestValues.of(m, runs);
        double max = 0;
        for (RunReport r : runs) {
            double v = r.metrics().valueOrNaN(m);
            if (!Double.isNaN(v)) {
                max = Math.max(max, v);
            }
        }
        String caption = m.label() + ", "
                + (m.better() == Direction.NONE
                        ? "neither direction is better"
                        : m.better().label() + " is better");
        int height = runs.size() * ROW_HEIGHT + 2 * PAD;
        h.append("<figure id=\"")
                .append(anchor(m))
                .append("\">\n<figcaption>")
                .append(esc(caption))
                .append("</figcaption>\n");
        h.append("<svg class=\"chart\" width=\"")
                .append(CHART_WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(CHART_WIDTH)
                .append(' ')
                .append(height)
                .append("\" role=\"img\" aria-label=\"")
                .append(esc(caption))
                .append("\">\n");
        for (int i = 0; i < runs.size(); i++) {
            RunReport r = runs.get(i);
            int top = PAD + i * ROW_HEIGHT;
            int baseline = top + BAR_HEIGHT - 4;
            String label = r.label(report.comparedKind());
            h.append("<g><title>").append(esc(label)).append("</title>");
            h.append("<text x=\"")
                    .append(LABEL_WIDTH - PAD)
                    .append("\" y=\"")
                    .append(baseline)
                    .append("\" text-anchor=\"end\">")
                    .append(esc(shorten(label)))
                    .append("</text>");
            double v = r.metrics().valueOrNaN(m);
            if (!r.isOk() || Double.isNaN(v)) {
                h.append("<text class=\"missing\" x=\"")
                        .append(LABEL_WIDTH)
                        .append("\" y=\"")
                        .append(baseline)
                        .append("\">")
                        .append(r.isOk() ? TableRenderer.NOT_APPLICABLE : TableRenderer.FAILED)
                        .append("</text>");
            } else {
                double w = max > 0 ? v / max * BAR_MAX : 0;
                h.append("<rect class=\"")
                        .append(best[i] ? "bar best" : "bar")
                        .append("\" x=\"")
                        .append(LABEL_WIDTH)
                        .append("\" y=\"")
                        .append(top)
                        .append("\" width=\"")
                        .append(coord(w))
                        .append("\" height=\"")
                        .append(BAR_HEIGHT)
                        .append("\"/>");
                h.append("<text x=\"")
                        .append(coord(LABEL_WIDTH + w + PAD))
                        .append("\" y=\"")
                        .append(baseline)
                        .append("\">")
                        .append(esc(m.format().format(v) + (best[i] ? " " + TableRenderer.BEST_MARK : "")))
                        .append("</text>");
            }
            h.append("</g>\n");
        }
        h.append("</svg>\n<p class=\"definition\">").append(esc(m.definition())).append("</p>\n</figure>\n");
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
        h.append("<table>\n<thead><tr><th>id</th><th>name</th><th class=\"run\">value</th>")
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
        h.append("</tbody>\n</table>\n");
    }

    private static String stripColon(String title) {
        return title.endsWith(":") ? title.substring(0, title.length() - 1) : title;
    }

    /** Metric keys are [a-z0-9._]; a valid id and fragment as they are. */
    private static String anchor(Metric m) {
        return "metric-" + m.key();
    }

    private static String shorten(String label) {
        return label.length() <= LABEL_MAX_CHARS ? label : label.substring(0, LABEL_MAX_CHARS - 1) + "\u2026";
    }

    /** A coordinate with one decimal, from the exact double. */
    private static String coord(double v) {
        return new BigDecimal(v).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }

    /**
     * Escapes the five XML-significant characters; control characters HTML forbids become U+FFFD,
     * and a lone surrogate too, so the page stays valid whatever a plugin's message holds.
     */
    static String esc(String s) {
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
