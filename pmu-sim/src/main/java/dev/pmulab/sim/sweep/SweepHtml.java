package dev.pmulab.sim.sweep;

import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.report.HtmlRenderer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The sweep's HTML report: one self-contained file (inline SVG and CSS, no script, nothing
 * fetched), the same bytes for the same results. Per scenario and per axis that takes more than
 * one value, a line chart per metric against the axis: one line per policy (and per combination of
 * the other axes), the seeds' mean drawn as the line and their min-max as a band. A sweep with a
 * trade-off ({@code report.tradeoff}) opens with it: metric y against metric x, a line per policy
 * through the points, each labelled with its axis values.
 */
final class SweepHtml {
    private static final String[] COLOURS = {
        "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"
    };
    private static final int W = 520;
    private static final int H = 280;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 20;
    private static final int BOTTOM = 50;

    private SweepHtml() {}

    /** One series of a chart: a label and, per x position, the seeds' values. */
    private record Series(String label, String colour, Map<Integer, List<Double>> ys) {}

    static String render(SweepHeader header, List<PointResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(header.name()))
                .append(" - pmulab sweep</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;max-width:1200px}")
                .append("h2{margin-top:2em;border-bottom:1px solid #ccc}")
                .append(".charts{display:flex;flex-wrap:wrap;gap:1em}")
                .append("figure{margin:0;border:1px solid #eee;padding:.5em}")
                .append("figcaption{font-size:90%;max-width:520px}")
                .append(".legend span{display:inline-block;margin-right:1em}")
                .append("svg text{font-size:11px;font-family:sans-serif}")
                .append("td,th{padding:2px 8px;text-align:left}\n</style>\n</head>\n<body>\n");
        sb.append("<h1>").append(esc(header.name())).append("</h1>\n");
        if (!header.description().isEmpty()) {
            sb.append("<p>").append(esc(header.description())).append("</p>\n");
        }
        sb.append("<p>")
                .append(header.points())
                .append(" points, sweep ")
                .append(header.specHash())
                .append(". Lines are the mean over seeds; a band is the seeds' min-max. ")
                .append("The numbers are in results.csv (one row per point, policy and metric).</p>\n");
        Map<String, List<PointResult>> byScenario = new LinkedHashMap<>();
        for (PointResult r : results) {
            byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r);
        }
        header.tradeoffChart().ifPresent(t -> {
            sb.append("<h2>Trade-off: ")
                    .append(esc(label(t.y())))
                    .append(" against ")
                    .append(esc(label(t.x())))
                    .append("</h2>\n<div class=\"charts\">\n");
            for (Map.Entry<String, List<PointResult>> e : byScenario.entrySet()) {
                tradeoff(sb, header, e.getKey(), e.getValue(), t);
            }
            sb.append("</div>\n");
        });
        for (Map.Entry<String, List<PointResult>> e : byScenario.entrySet()) {
            List<PointResult> rs = e.getValue();
            for (int a = 0; a < header.columns().size(); a++) {
                List<String> xs = distinct(rs, a, header);
                if (xs.size() < 2) {
                    continue;
                }
                String axis = header.columns().get(a);
                sb.append("<h2>")
                        .append(esc(e.getKey()))
                        .append(": against ")
                        .append(esc(axis))
                        .append("</h2>\n");
                sb.append("<div class=\"charts\">\n");
                for (Metric m : Metric.all()) {
                    metricChart(sb, header, rs, a, xs, m);
                }
                sb.append("</div>\n");
            }
        }
        if (header.columns().stream()
                .allMatch(c -> byScenario.values().stream()
                        .allMatch(rs -> distinct(rs, header.columns().indexOf(c), header)
                                        .size()
                                < 2))) {
            sb.append("<p>No axis but the scenario and the seed takes more than one value: the numbers are in "
                    + "results.csv.</p>\n");
        }
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static List<String> distinct(List<PointResult> rs, int column, SweepHeader header) {
        Set<String> out = new LinkedHashSet<>();
        for (PointResult r : rs) {
            out.add(r.axes().getOrDefault(header.columns().get(column), ""));
        }
        return List.copyOf(out);
    }

    /** The other varying axes of a point, as a line's label suffix. */
    private static String others(PointResult r, SweepHeader header, List<PointResult> rs, int except) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < header.columns().size(); c++) {
            if (c == except || distinct(rs, c, header).size() < 2) {
                continue;
            }
            String col = header.columns().get(c);
            sb.append(", ").append(col).append('=').append(r.axes().get(col));
        }
        return sb.toString();
    }

    private static void metricChart(
            StringBuilder sb, SweepHeader header, List<PointResult> rs, int axis, List<String> xs, Metric m) {
        Map<String, Series> series = new LinkedHashMap<>();
        for (PointResult r : rs) {
            int x = xs.indexOf(r.axes().getOrDefault(header.columns().get(axis), ""));
            String rest = others(r, header, rs, axis);
            for (PointResult.PolicyRun run : r.runs()) {
                Double v = run.metrics().get(m.key());
                if (v == null) {
                    continue;
                }
                String label = run.policy() + rest;
                Series s = series.computeIfAbsent(
                        label, k -> new Series(k, COLOURS[series.size() % COLOURS.length], new LinkedHashMap<>()));
                s.ys().computeIfAbsent(x, k -> new ArrayList<>()).add(v);
            }
        }
        if (series.isEmpty()) {
            return;
        }
        List<Double> numeric = numbers(xs);
        double[] xPos = new double[xs.size()];
        for (int i = 0; i < xs.size(); i++) {
            xPos[i] = numeric == null ? i : numeric.get(i);
        }
        chart(sb, label(m), m.key() + ": " + m.definition(), header.columns().get(axis), xs, xPos, series);
    }

    private static void tradeoff(
            StringBuilder sb, SweepHeader header, String scenario, List<PointResult> rs, Tradeoff t) {
        // One position per point of the sweep but the seed: the seeds' means of x and y.
        Map<String, Map<String, List<double[]>>> byPolicy = new LinkedHashMap<>();
        for (PointResult r : rs) {
            String key = varying(r, header, rs);
            for (PointResult.PolicyRun run : r.runs()) {
                Double x = run.metrics().get(t.x());
                Double y = run.metrics().get(t.y());
                if (x == null || y == null) {
                    continue;
                }
                byPolicy.computeIfAbsent(run.policy(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new double[] {x, y});
            }
        }
        if (byPolicy.isEmpty()) {
            sb.append("<p>").append(esc(scenario)).append(": no point has both metrics.</p>\n");
            return;
        }
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        Map<String, List<double[]>> lines = new LinkedHashMap<>();
        Map<String, List<String>> labels = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, List<double[]>>> p : byPolicy.entrySet()) {
            List<double[]> pts = new ArrayList<>();
            List<String> ls = new ArrayList<>();
            for (Map.Entry<String, List<double[]>> e : p.getValue().entrySet()) {
                double x =
                        e.getValue().stream().mapToDouble(v -> v[0]).average().orElseThrow();
                double y =
                        e.getValue().stream().mapToDouble(v -> v[1]).average().orElseThrow();
                pts.add(new double[] {x, y});
                ls.add(e.getKey());
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
            }
            lines.put(p.getKey(), pts);
            labels.put(p.getKey(), ls);
        }
        double[] xr = range(minX, maxX);
        double[] yr = range(minY, maxY);
        sb.append("<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(W)
                .append("\" height=\"")
                .append(H)
                .append("\" viewBox=\"0 0 ")
                .append(W)
                .append(' ')
                .append(H)
                .append("\">\n");
        frame(sb, xr, yr, null, null, label(t.x()), label(t.y()));
        int i = 0;
        StringBuilder legend = new StringBuilder();
        List<String> policies = List.copyOf(lines.keySet());
        for (Map.Entry<String, List<double[]>> e : lines.entrySet()) {
            String colour = COLOURS[i++ % COLOURS.length];
            StringBuilder path = new StringBuilder();
            List<double[]> pts = e.getValue();
            for (int k = 0; k < pts.size(); k++) {
                path.append(k == 0 ? "M" : "L")
                        .append(fmt(sx(pts.get(k)[0], xr)))
                        .append(',')
                        .append(fmt(sy(pts.get(k)[1], yr)));
            }
            sb.append("<path d=\"")
                    .append(path)
                    .append("\" fill=\"none\" stroke=\"")
                    .append(colour)
                    .append("\" stroke-width=\"2\"/>\n");
            for (int k = 0; k < pts.size(); k++) {
                double px = sx(pts.get(k)[0], xr);
                double py = sy(pts.get(k)[1], yr);
                sb.append("<circle cx=\"")
                        .append(fmt(px))
                        .append("\" cy=\"")
                        .append(fmt(py))
                        .append("\" r=\"3\" fill=\"")
                        .append(colour)
                        .append("\"><title>")
                        .append(esc(e.getKey() + " " + labels.get(e.getKey()).get(k) + ": " + label(t.x()) + " "
                                + num(pts.get(k)[0]) + ", " + label(t.y()) + " " + num(pts.get(k)[1])))
                        .append("</title></circle>\n");
                sb.append("<text x=\"")
                        .append(fmt(px + 4))
                        .append("\" y=\"")
                        .append(fmt(py - 4 - 10 * policies.indexOf(e.getKey())))
                        .append("\" fill=\"")
                        .append(colour)
                        .append("\">")
                        .append(esc(shortLabel(labels.get(e.getKey()).get(k))))
                        .append("</text>\n");
            }
            legend.append("<span style=\"color:")
                    .append(colour)
                    .append("\">&#9632; ")
                    .append(esc(e.getKey()))
                    .append("</span>");
        }
        sb.append("</svg><figcaption><b>")
                .append(esc(scenario))
                .append("</b>: ")
                .append(esc(t.y()))
                .append(" against ")
                .append(esc(t.x()))
                .append("; each point is labelled with its axis values ")
                .append(esc(String.join(", ", varyingNames(header, rs))))
                .append(".<div class=\"legend\">")
                .append(legend)
                .append("</div></figcaption></figure>\n");
    }

    private static List<String> varyingNames(SweepHeader header, List<PointResult> rs) {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < header.columns().size(); c++) {
            if (distinct(rs, c, header).size() > 1) {
                out.add(header.columns().get(c));
            }
        }
        return out;
    }

    /** The varying axes' values of a point, as its label on the trade-off chart. */
    private static String varying(PointResult r, SweepHeader header, List<PointResult> rs) {
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < header.columns().size(); c++) {
            if (distinct(rs, c, header).size() > 1) {
                parts.add(r.axes().get(header.columns().get(c)));
            }
        }
        return String.join(",", parts);
    }

    private static String shortLabel(String s) {
        return s.length() > 12 ? s.substring(0, 12) + "..." : s;
    }

    /** The x values as numbers when every one is a number; else null (the axis is categorical). */
    private static List<Double> numbers(List<String> xs) {
        List<Double> out = new ArrayList<>();
        for (String x : xs) {
            try {
                out.add(Double.parseDouble(x));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out;
    }

    private static void chart(
            StringBuilder sb,
            String title,
            String caption,
            String axis,
            List<String> xs,
            double[] xPos,
            Map<String, Series> series) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        for (double x : xPos) {
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
        }
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        boolean spread = false;
        for (Series s : series.values()) {
            for (List<Double> vs : s.ys().values()) {
                for (double v : vs) {
                    minY = Math.min(minY, v);
                    maxY = Math.max(maxY, v);
                }
                spread |= vs.size() > 1;
            }
        }
        double[] xr = range(minX, maxX);
        double[] yr = range(Math.min(0, minY), maxY);
        sb.append("<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(W)
                .append("\" height=\"")
                .append(H)
                .append("\" viewBox=\"0 0 ")
                .append(W)
                .append(' ')
                .append(H)
                .append("\">\n");
        frame(sb, xr, yr, xs, xPos, axis, title);
        StringBuilder legend = new StringBuilder();
        for (Series s : series.values()) {
            List<Integer> at = new ArrayList<>(s.ys().keySet());
            at.sort((a, b) -> Double.compare(xPos[a], xPos[b]));
            if (spread) {
                // The seeds' spread: along the maxima, then back along the minima.
                StringBuilder band = new StringBuilder();
                steps(band, s, at, xPos, xr, yr, SweepHtml::max, false);
                List<Integer> back = new ArrayList<>(at);
                Collections.reverse(back);
                steps(band, s, back, xPos, xr, yr, SweepHtml::min, true);
                sb.append("<path d=\"")
                        .append(band)
                        .append("Z\" fill=\"")
                        .append(s.colour())
                        .append("\" fill-opacity=\"0.15\" stroke=\"none\"/>\n");
            }
            StringBuilder line = new StringBuilder();
            steps(line, s, at, xPos, xr, yr, SweepHtml::mean, false);
            sb.append("<path d=\"")
                    .append(line)
                    .append("\" fill=\"none\" stroke=\"")
                    .append(s.colour())
                    .append("\" stroke-width=\"2\"/>\n");
            for (int k : at) {
                List<Double> vs = s.ys().get(k);
                double mean = mean(vs);
                sb.append("<circle cx=\"")
                        .append(fmt(sx(xPos[k], xr)))
                        .append("\" cy=\"")
                        .append(fmt(sy(mean, yr)))
                        .append("\" r=\"2.5\" fill=\"")
                        .append(s.colour())
                        .append("\"><title>")
                        .append(esc(s.label() + " at " + xs.get(k) + ": " + num(mean)
                                + (vs.size() > 1
                                        ? " (" + vs.size() + " seeds, " + num(min(vs)) + " to " + num(max(vs)) + ")"
                                        : "")))
                        .append("</title></circle>\n");
            }
            legend.append("<span style=\"color:")
                    .append(s.colour())
                    .append("\">&#9632; ")
                    .append(esc(s.label()))
                    .append("</span>");
        }
        sb.append("</svg><figcaption>")
                .append(esc(caption))
                .append("<div class=\"legend\">")
                .append(legend)
                .append("</div></figcaption></figure>\n");
    }

    /** Axes, ticks and titles. {@code xs} null: numeric x ticks. */
    private static void frame(
            StringBuilder sb, double[] xr, double[] yr, List<String> xs, double[] xPos, String xTitle, String yTitle) {
        int x0 = LEFT;
        int x1 = W - RIGHT;
        int y0 = H - BOTTOM;
        int y1 = TOP;
        sb.append("<rect x=\"0\" y=\"0\" width=\"")
                .append(W)
                .append("\" height=\"")
                .append(H)
                .append("\" fill=\"white\"/>\n");
        sb.append("<path d=\"M")
                .append(x0)
                .append(',')
                .append(y1)
                .append("V")
                .append(y0)
                .append("H")
                .append(x1)
                .append("\" fill=\"none\" stroke=\"#333\"/>\n");
        for (double t : ticks(yr)) {
            double y = sy(t, yr);
            sb.append("<path d=\"M")
                    .append(x0)
                    .append(',')
                    .append(fmt(y))
                    .append("H")
                    .append(x1)
                    .append("\" stroke=\"#eee\"/>");
            sb.append("<text x=\"")
                    .append(x0 - 4)
                    .append("\" y=\"")
                    .append(fmt(y + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(esc(tick(t)))
                    .append("</text>\n");
        }
        if (xs != null) {
            for (int i = 0; i < xs.size(); i++) {
                double x = sx(xPos[i], xr);
                sb.append("<text x=\"")
                        .append(fmt(x))
                        .append("\" y=\"")
                        .append(y0 + 14)
                        .append("\" text-anchor=\"middle\">")
                        .append(esc(shortLabel(xs.get(i))))
                        .append("</text>\n");
            }
        } else {
            for (double t : ticks(xr)) {
                double x = sx(t, xr);
                sb.append("<text x=\"")
                        .append(fmt(x))
                        .append("\" y=\"")
                        .append(y0 + 14)
                        .append("\" text-anchor=\"middle\">")
                        .append(esc(tick(t)))
                        .append("</text>\n");
            }
        }
        sb.append("<text x=\"")
                .append((x0 + x1) / 2)
                .append("\" y=\"")
                .append(H - 12)
                .append("\" text-anchor=\"middle\">")
                .append(esc(xTitle))
                .append("</text>\n");
        sb.append("<text x=\"12\" y=\"")
                .append((y0 + y1) / 2)
                .append("\" text-anchor=\"middle\" transform=\"rotate(-90 12 ")
                .append((y0 + y1) / 2)
                .append(")\">")
                .append(esc(yTitle))
                .append("</text>\n");
    }

    private static double[] range(double lo, double hi) {
        if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
            double pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
            return new double[] {lo - pad, hi + pad};
        }
        double pad = (hi - lo) * 0.05;
        return new double[] {lo - pad, hi + pad};
    }

    /** About five round tick values inside the range. */
    private static List<Double> ticks(double[] r) {
        double span = r[1] - r[0];
        double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (span / (step * m) <= 6) {
                step *= m;
                break;
            }
        }
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(r[0] / step) * step; t <= r[1] + step * 1e-9; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return out;
    }

    /**
     * SVG path steps through {@code s}'s points at the x indices {@code at}, in that order, each at
     * {@code y} of its seeds' values; the first a move ("M") unless {@code continuing}.
     */
    private static void steps(
            StringBuilder d,
            Series s,
            List<Integer> at,
            double[] xPos,
            double[] xr,
            double[] yr,
            ToDoubleFunction<List<Double>> y,
            boolean continuing) {
        for (int k = 0; k < at.size(); k++) {
            int x = at.get(k);
            d.append(k == 0 && !continuing ? "M" : "L")
                    .append(fmt(sx(xPos[x], xr)))
                    .append(',')
                    .append(fmt(sy(y.applyAsDouble(s.ys().get(x)), yr)));
        }
    }

    private static double mean(List<Double> vs) {
        return vs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static double min(List<Double> vs) {
        return vs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static double max(List<Double> vs) {
        return vs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static double sx(double x, double[] r) {
        return LEFT + (x - r[0]) / (r[1] - r[0]) * (W - LEFT - RIGHT);
    }

    private static double sy(double y, double[] r) {
        return (H - BOTTOM) - (y - r[0]) / (r[1] - r[0]) * (H - BOTTOM - TOP);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A value as a chart shows it: four significant digits, thousands grouped. */
    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, "%,.4g", v);
    }

    /** A tick value: short, with k, M or G for large magnitudes. */
    private static String tick(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return trim(v / 1e9) + "G";
        }
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e4) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String label(String metricKey) {
        return Metric.byKey(metricKey).map(SweepHtml::label).orElse(metricKey);
    }

    private static String label(Metric m) {
        return m.key();
    }

    private static String esc(String s) {
        return HtmlRenderer.esc(s);
    }
}
