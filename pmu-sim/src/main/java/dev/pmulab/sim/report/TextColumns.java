package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A plain text table for the sections printed after the comparison (the {@code --by} breakdown,
 * the {@code --traps} breakdown): the header, a rule of dashes, then the rows; the first column
 * left-aligned, the others right-aligned, two spaces apart, each column as wide as its widest cell.
 * No line has trailing blanks.
 */
public final class TextColumns {
    private TextColumns() {}

    /** The table, every line ending in a newline; each row has as many cells as the header. */
    public static String render(List<String> header, List<List<String>> rows) {
        requireNonNull(header, "header is null");
        requireNonNull(rows, "rows is null");
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        String[] rule = new String[widths.length];
        for (int i = 0; i < widths.length; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        line(out, List.of(rule), widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i == 0) {
                l.append(Text.padRight(c, widths[i]));
            } else {
                l.append("  ").append(Text.padLeft(c, widths[i]));
            }
        }
        out.append(Text.stripTrailing(l.toString())).append('\n');
    }
}
