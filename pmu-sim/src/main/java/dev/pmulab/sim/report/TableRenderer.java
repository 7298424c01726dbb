package dev.pmulab.sim.report;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Direction;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The terminal table: metrics in rows, grouped guest, host, hardware and isolation, one column per
 * run headed by its policy of the compared kind and only the settings that differ from the
 * policy's defaults. When those headers make the table wider than the terminal, the columns are
 * lettered A, B, ... and a legend below gives each letter's policy in full; when even lettered
 * columns do not fit, the table is printed in blocks of columns, each repeating the metric names.
 * The best value of each row carries {@code *}, so it reads without colour; two runs with the same
 * value in every row are noted below the table (one of them tells nothing the other does not); a
 * failed run shows {@code FAILED} in its column and its error below the table; then the cost-model
 * estimates the result leans on and the defaults the scenario overrode. Plain ASCII layout, LF line
 * ends, no trailing spaces.
 */
public final class TableRenderer implements ReportRenderer {
    static final String BEST_MARK = "*";
    static final String NOT_APPLICABLE = "n/a";
    static final String FAILED = "FAILED";
    static final String ESTIMATES_TITLE = "Cost-model estimates this result leans on:";
    static final String OVERRIDDEN_TITLE = "Defaults the scenario overrode:";

    /** The width when there is no terminal to ask and no {@code COLUMNS}. */
    public static final int DEFAULT_WIDTH = 120;

    private static final String GAP = "  ";
    /** Between value columns one blank suffices: every value ends in its mark or a blank. */
    private static final String VALUE_GAP = " ";

    private static final String INDENT = "  ";

    private final int width;

    /** A table for {@link #DEFAULT_WIDTH} columns. */
    public TableRenderer() {
        this(DEFAULT_WIDTH);
    }

    /** @param width the terminal's width in characters; the table keeps within it where it can */
    public TableRenderer(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("table width must be positive, not " + width);
        }
        this.width = width;
    }

    @Override
    public String render(ComparisonReport report) {
        StringBuilder out = new StringBuilder(4096);
        header(out, report);
        out.append('\n');
        table(out, report);
        out.append('\n');
        wrapped(
                out,
                "",
                BEST_MARK + " best value of the row, compared as printed (ties all marked; rows whose best is - are"
                        + " never marked); " + NOT_APPLICABLE + " not applicable to the run");
        copies(out, report);
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
            if (kind != report.comparedKind() && report.commonLabel(kind).isPresent()) {
                fixed.add(kind.configName() + " = "
                        + Text.printable(report.runs().get(0).policy(kind).shortLabel()));
            }
        }
        if (!fixed.isEmpty()) {
            line(out, "fixed: " + String.join(", ", fixed));
        }
    }

    /** The kinds whose policy differs between runs, besides the compared one: each gets a header row. */
    private static List<PolicyKind> varyingKinds(ComparisonReport report) {
        List<PolicyKind> kinds = new ArrayList<>();
        for (PolicyKind kind : PolicyKind.values()) {
            if (kind != report.comparedKind() && report.commonLabel(kind).isEmpty()) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    /** How the runs' columns are named: by short label, or by letter with a legend when the labels do not fit. */
    record Columns(List<String> names, boolean lettered) {}

    static Columns columns(ComparisonReport report, int width) {
        List<String> labels = new ArrayList<>();
        for (RunReport r : report.runs()) {
            labels.add(Text.printable(r.policy(report.comparedKind()).shortLabel()));
        }
        if (layout(report, labels, true).total() <= width) {
            return new Columns(labels, false);
        }
        // Next, each label over as many header lines as it takes to be no wider than its values
        // (broken after a '-', a '(' or a ", "): vcpu-load-resched over vcpu-load- and resched.
        List<String> blank = new ArrayList<>();
        labels.forEach(l -> blank.add(""));
        int[] valueWidth = layout(report, blank, true).width();
        List<String> wrapped = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            wrapped.add(wrapLabel(labels.get(i), Math.max(1, valueWidth[i + 2] - 1)));
        }
        if (layout(report, wrapped, true).total() <= width) {
            return new Columns(wrapped, false);
        }
        List<String> letters = new ArrayList<>();
        for (int i = 0; i < report.runs().size(); i++) {
            letters.add(letter(i));
        }
        return new Columns(letters, true);
    }

    /**
     * {@code label} as lines of at most {@code max} characters joined by {@code \n}, broken only
     * after a {@code -}, a {@code (} or a {@code ", "}; a piece longer than {@code max} keeps its line.
     */
    static String wrapLabel(String label, int max) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c == '-' || c == '(' || (c == ' ' && i > 0 && label.charAt(i - 1) == ',')) {
                pieces.add(label.substring(start, i + 1));
                start = i + 1;
            }
        }
        pieces.add(label.substring(start));
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String p : pieces) {
            if (line.length() > 0 && line.length() + p.length() > max) {
                lines.add(line.toString().strip());
                line.setLength(0);
            }
            line.append(p);
        }
        lines.add(line.toString().strip());
        return String.join("\n", lines);
    }

    /** A, B, ..., Z, AA, AB, ...: a spreadsheet's column names. */
    static String letter(int index) {
        StringBuilder sb = new StringBuilder();
        int i = index;
        do {
            sb.insert(0, (char) ('A' + i % 26));
            i = i / 26 - 1;
        } while (i >= 0);
        return sb.toString();
    }

    /** The rows of the table (header rows first) and each column's width. */
    private record Layout(List<String[]> head, List<String[]> body, int[] width) {
        /** The width of the whole table on one line. */
        int total() {
            int t = width[0] + GAP.length() + width[1];
            for (int c = 2; c < width.length; c++) {
                t += VALUE_GAP.length() + width[c];
            }
            return t;
        }
    }

    private static Layout layout(ComparisonReport report, List<String> names, boolean kindRows) {
        List<RunReport> runs = report.runs();
        int cols = runs.size() + 2;
        List<String[]> head = new ArrayList<>();
        // A name of several lines sits on the rule (bottom-aligned), as the metric column's title does.
        int lines = 1;
        for (String n : names) {
            lines = Math.max(lines, n.split("\n", -1).length);
        }
        for (int k = 0; k < lines; k++) {
            String[] r = new String[cols];
            r[0] = k == lines - 1 ? "metric [unit]" : "";
            r[1] = k == lines - 1 ? "best" : "";
            for (int i = 0; i < runs.size(); i++) {
                String[] parts = names.get(i).split("\n", -1);
                int at = k - (lines - parts.length);
                // The trailing blank lines the name up with the values, which end in a mark or a blank.
                r[i + 2] = at < 0 ? "" : parts[at] + " ";
            }
            head.add(r);
        }
        // A kind the runs do not share gets its own header row, so no column hides what it ran with
        // (when the columns are lettered, the legend says it instead).
        if (kindRows) {
            for (PolicyKind kind : varyingKinds(report)) {
                String[] r = new String[cols];
                r[0] = "(" + kind.configName() + ")";
                r[1] = "";
                for (int i = 0; i < runs.size(); i++) {
                    r[i + 2] = Text.printable(runs.get(i).policy(kind).shortLabel()) + " ";
                }
                head.add(r);
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
            r[1] = best(m.better());
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
        return new Layout(head, body, width);
    }

    /** {@code low}, {@code high} or {@code -}: which value of the row is the best one, in few columns. */
    private static String best(Direction d) {
        return switch (d) {
            case LOWER -> "low";
            case HIGHER -> "high";
            case NONE -> "-";
        };
    }

    private void table(StringBuilder out, ComparisonReport report) {
        Columns columns = columns(report, width);
        List<String> names = columns.names();
        boolean lettered = columns.lettered();
        Layout l = layout(report, names, !lettered);
        // Columns in blocks that each fit the width (at least one column a block), each block
        // repeating the metric names; one block when the whole table fits.
        List<int[]> blocks = new ArrayList<>();
        int fixed = l.width()[0] + GAP.length() + l.width()[1];
        int from = 2;
        while (from < l.width().length) {
            int to = from + 1;
            int w = fixed + VALUE_GAP.length() + l.width()[from];
            while (to < l.width().length && w + VALUE_GAP.length() + l.width()[to] <= width) {
                w += VALUE_GAP.length() + l.width()[to];
                to++;
            }
            blocks.add(new int[] {from, to});
            from = to;
        }
        for (int b = 0; b < blocks.size(); b++) {
            if (b > 0) {
                out.append('\n');
            }
            int[] range = blocks.get(b);
            for (String[] r : l.head()) {
                emit(out, r, l.width(), range);
            }
            String[] rule = new String[l.width().length];
            for (int c = 0; c < rule.length; c++) {
                rule[c] = "-".repeat(l.width()[c]);
            }
            emit(out, rule, l.width(), range);
            for (String[] r : l.body()) {
                emit(out, r, l.width(), range);
            }
        }
        if (lettered) {
            legend(out, report, names);
        }
    }

    private static void legend(StringBuilder out, ComparisonReport report, List<String> letters) {
        out.append('\n');
        List<PolicyKind> varying = varyingKinds(report);
        int w = letters.get(letters.size() - 1).length();
        for (int i = 0; i < report.runs().size(); i++) {
            RunReport r = report.runs().get(i);
            StringBuilder l = new StringBuilder(Text.padRight(letters.get(i), w))
                    .append(GAP)
                    .append(Text.printable(r.policy(report.comparedKind()).shortLabel()));
            for (PolicyKind kind : varying) {
                l.append("; ")
                        .append(kind.configName())
                        .append(" = ")
                        .append(Text.printable(r.policy(kind).shortLabel()));
            }
            line(out, l.toString());
        }
    }

    /**
     * Two finished runs with the same value in every row: the comparison learns nothing from the
     * second, so say so rather than let a reader weigh two columns that are one.
     */
    private void copies(StringBuilder out, ComparisonReport report) {
        Columns columns = columns(report, width);
        List<String> names = columns.names();
        boolean lettered = columns.lettered();
        List<RunReport> runs = report.runs();
        boolean[] reported = new boolean[runs.size()];
        for (int j = 0; j < runs.size(); j++) {
            for (int i = 0; i < j && !reported[j]; i++) {
                RunReport a = runs.get(i);
                RunReport b = runs.get(j);
                if (a.isOk() && b.isOk() && a.metrics().equals(b.metrics())) {
                    reported[j] = true;
                    wrapped(
                            out,
                            "note: ",
                            name(report, names, lettered, j) + " = " + name(report, names, lettered, i)
                                    + " in every row: the two runs gave the same numbers, so in this scenario "
                                    + Text.printable(
                                            b.policy(report.comparedKind()).name()) + " behaves as "
                                    + Text.printable(
                                            a.policy(report.comparedKind()).name()));
                }
            }
        }
    }

    private static String name(ComparisonReport report, List<String> names, boolean lettered, int i) {
        String label = Text.printable(
                report.runs().get(i).policy(report.comparedKind()).shortLabel());
        return lettered ? names.get(i) + " (" + label + ")" : label;
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

    private static void emit(StringBuilder out, String[] r, int[] width, int[] range) {
        StringBuilder l = new StringBuilder();
        l.append(Text.padRight(r[0], width[0])).append(GAP).append(Text.padRight(r[1], width[1]));
        for (int c = range[0]; c < range[1]; c++) {
            l.append(VALUE_GAP).append(Text.padLeft(r[c], width[c]));
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

    private void costs(StringBuilder out, ComparisonReport report) {
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
            wrapped(out, costLine(c, idW, nameW, valueW) + GAP, Text.printable(c.source()));
        }
        line(out, OVERRIDDEN_TITLE);
        if (overridden.isEmpty()) {
            line(out, INDENT + "none");
        }
        for (CostAssumption c : overridden) {
            wrapped(
                    out,
                    costLine(c, idW, nameW, valueW) + GAP,
                    "(replaces " + article(c.flag()) + " " + c.flag() + " default: " + Text.printable(c.source())
                            + ")");
        }
    }

    /**
     * {@code prefix} then {@code text}, the text wrapped at blanks to keep within the width, its
     * continuation lines indented under its start (at least 40 characters a line, so a narrow
     * terminal still reads whole phrases).
     */
    private void wrapped(StringBuilder out, String prefix, String text) {
        int room = Math.max(40, width - prefix.length());
        String indent = " ".repeat(prefix.length());
        String rest = text;
        String lead = prefix;
        while (rest.length() > room) {
            int cut = rest.lastIndexOf(' ', room);
            if (cut <= 0) {
                cut = rest.indexOf(' ', room);
                if (cut < 0) {
                    break;
                }
            }
            line(out, lead + rest.substring(0, cut));
            rest = rest.substring(cut + 1);
            lead = indent;
        }
        line(out, lead + rest);
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
