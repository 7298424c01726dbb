package dev.pmulab.sim.report;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The terminal table: metrics in rows, grouped guest, host, hardware and isolation, one column per
 * run headed by its label for the compared kind. The best value of each row carries {@code *}, so
 * it reads without colour; a failed run shows {@code FAILED} in its column and its error below the
 * table; then the cost-model estimates the result leans on and the defaults the scenario overrode.
 * Plain ASCII layout, LF line ends, no trailing spaces.
 */
public final class TableRenderer implements ReportRenderer {
    static final String BEST_MARK = "*";
    static final String NOT_APPLICABLE = "n/a";
    static final String FAILED = "FAILED";
    static final String ESTIMATES_TITLE = "Cost-model estimates this result leans on:";
    static final String OVERRIDDEN_TITLE = "Defaults the scenario overrode:";

    private static final String GAP = "  ";
    private static final String INDENT = "  ";

    @Override
    public String render(ComparisonReport report) {
        StringBuilder out = new StringBuilder(4096);
        header(out, report);
        out.append('\n');
        table(out, report);
        out.append('\n');
        out.append(BEST_MARK)
                .append(" best value of the row, compared as printed (ties all marked; rows whose"
                        + " better is - are never marked); ")
                .append(NOT_APPLICABLE)
                .append(" not applicable to the run\n");
        failures(out, report);
        out.append('\n');
        costs(out, report);
        return out.toString();
    }

    private static void header(StringBuilder out, ComparisonReport report) {
        line(out, "pmulab compare: " + report.scenario());
        if (!report.description().isEmpty()) {
            for (String l : Text.lines(report.description())) {
                line(out, l);
            }
        }
        line(out, "seed: " + report.seed());
        int n = report.runs().size();
        line(out, "compared: " + report.comparedKind().configName() + " policies, " + n + (n == 1 ? " run" : " runs"));
        List<String> fixed = new ArrayList<>();
        for (PolicyKind kind : PolicyKind.values()) {
            if (kind != report.comparedKind()) {
                Optional<String> common = report.commonLabel(kind);
                common.ifPresent(label -> fixed.add(kind.configName() + " = " + label));
            }
        }
        if (!fixed.isEmpty()) {
            line(out, "fixed: " + String.join(", ", fixed));
        }
    }

    private static void table(StringBuilder out, ComparisonReport report) {
        List<RunReport> runs = report.runs();
        int cols = runs.size() + 2;
        List<String[]> head = new ArrayList<>();
        head.add(row(cols, "metric [unit]", "better", runs, report.comparedKind()));
        // A kind the runs do not share gets its own header row, so no column hides what it ran with.
        for (PolicyKind kind : PolicyKind.values()) {
            if (kind != report.comparedKind() && report.commonLabel(kind).isEmpty()) {
                head.add(row(cols, "(" + kind.configName() + ")", "", runs, kind));
            }
        }
        List<String[]> body = new ArrayList<>();
        MetricGroup group = null;
        for (Metric m : Metric.all()) {
            if (m.group() != group) {
                group = m.group();
                String[] g = new String[cols];
                Arrays.fill(g, "");
                g[0] = group.title();
                body.add(g);
            }
            String[] r = new String[cols];
            r[0] = INDENT + m.label();
            r[1] = m.better().label();
            boolean[] best = BestValues.of(m, runs);
            for (int i = 0; i < runs.size(); i++) {
                r[i + 2] = cell(m, runs.get(i), best[i]);
            }
            body.add(r);
        }
        int[] width = new int[cols];
        for (List<String[]> part : List.of(head, body)) {
            for (String[] r : part) {
                for (int c = 0; c < cols; c++) {
                    width[c] = Math.max(width[c], r[c].length());
                }
            }
        }
        for (String[] r : head) {
            emit(out, r, width);
        }
        String[] rule = new String[cols];
        for (int c = 0; c < cols; c++) {
            rule[c] = "-".repeat(width[c]);
        }
        emit(out, rule, width);
        for (String[] r : body) {
            emit(out, r, width);
        }
    }

    private static String[] row(int cols, String first, String second, List<RunReport> runs, PolicyKind kind) {
        String[] r = new String[cols];
        r[0] = first;
        r[1] = second;
        for (int i = 0; i < runs.size(); i++) {
            // The trailing blank lines the label up with the values, which end in a mark or a blank.
            r[i + 2] = Text.printable(runs.get(i).label(kind)) + " ";
        }
        return r;
    }

    private static String cell(Metric m, RunReport run, boolean best) {
        if (!run.isOk()) {
            return FAILED + " ";
        }
        double v = run.metrics().valueOrNaN(m);
        if (Double.isNaN(v)) {
            return NOT_APPLICABLE + " ";
        }
        return m.format().format(v) + (best ? BEST_MARK : " ");
    }

    private static void emit(StringBuilder out, String[] r, int[] width) {
        StringBuilder l = new StringBuilder();
        l.append(Text.padRight(r[0], width[0])).append(GAP).append(Text.padRight(r[1], width[1]));
        for (int c = 2; c < r.length; c++) {
            l.append(GAP).append(Text.padLeft(r[c], width[c]));
        }
        line(out, l.toString());
    }

    private static void failures(StringBuilder out, ComparisonReport report) {
        List<RunReport> failed = report.failedRuns();
        if (failed.isEmpty()) {
            return;
        }
        out.append('\n');
        line(out, "Failed runs:");
        for (RunReport r : failed) {
            line(out, INDENT + Text.printable(r.label(report.comparedKind())));
            for (String l : Text.lines(r.error())) {
                line(out, INDENT + INDENT + l);
            }
        }
    }

    private static void costs(StringBuilder out, ComparisonReport report) {
        line(out, ESTIMATES_TITLE);
        List<CostAssumption> leaned = report.estimatesLeanedOn();
        List<CostAssumption> overridden = report.overriddenDefaults();
        List<CostAssumption> both = new ArrayList<>(leaned);
        both.addAll(overridden);
        int idW = 0;
        int nameW = 0;
        int valueW = 0;
        for (CostAssumption c : both) {
            idW = Math.max(idW, Text.printable(c.id()).length());
            nameW = Math.max(nameW, Text.printable(c.name()).length());
            valueW = Math.max(valueW, ns(c.valueNs()).length());
        }
        if (leaned.isEmpty()) {
            line(out, INDENT + "none");
        }
        for (CostAssumption c : leaned) {
            line(out, costLine(c, idW, nameW, valueW) + GAP + Text.printable(c.source()));
        }
        line(out, OVERRIDDEN_TITLE);
        if (overridden.isEmpty()) {
            line(out, INDENT + "none");
        }
        for (CostAssumption c : overridden) {
            line(
                    out,
                    costLine(c, idW, nameW, valueW) + GAP + "(replaces " + article(c.flag()) + " " + c.flag()
                            + " default: " + Text.printable(c.source()) + ")");
        }
    }

    private static String costLine(CostAssumption c, int idW, int nameW, int valueW) {
        return INDENT
                + Text.padRight(Text.printable(c.id()), idW)
                + GAP
                + Text.padRight(Text.printable(c.name()), nameW)
                + GAP
                + Text.padLeft(ns(c.valueNs()), valueW);
    }

    private static String article(String flag) {
        return flag.startsWith("e") ? "an" : "a";
    }

    private static String ns(long v) {
        return String.format(Locale.ROOT, "%,d ns", v);
    }

    private static void line(StringBuilder out, String s) {
        out.append(Text.stripTrailing(s)).append('\n');
    }
}
