package dev.pmulab.sim.report;

import dev.pmulab.sim.report.ReproductionDocument.Grid;
import dev.pmulab.sim.report.ReproductionDocument.Section;
import java.util.List;

/**
 * The terminal form of {@code pmulab reproduce}: each section's title underlined, its lines, its
 * grids with aligned columns (numbers right-aligned). Plain ASCII layout, LF line ends, no
 * trailing spaces; control characters in texts are shown as {@code ?}.
 */
public final class ReproductionTableRenderer implements ReproductionRenderer {
    private static final String GAP = "  ";

    @Override
    public String render(ReproductionReport report) {
        StringBuilder out = new StringBuilder(8192);
        line(out, ReproductionDocument.title(report));
        for (Section s : ReproductionDocument.sections(report)) {
            out.append('\n');
            line(out, s.title());
            line(out, "-".repeat(s.title().length()));
            for (String l : s.lines()) {
                line(out, l);
            }
            for (int i = 0; i < s.grids().size(); i++) {
                out.append('\n');
                if (!s.captions().get(i).isEmpty()) {
                    line(out, s.captions().get(i));
                }
                grid(out, s.grids().get(i));
            }
        }
        return out.toString();
    }

    /** Renders a grid with a header, a rule under it, and aligned columns. */
    static void grid(StringBuilder out, Grid g) {
        int cols = g.header().size();
        int[] width = new int[cols];
        for (int c = 0; c < cols; c++) {
            width[c] = g.header().get(c).length();
            for (List<String> r : g.rows()) {
                width[c] = Math.max(width[c], Text.printable(r.get(c)).length());
            }
        }
        cells(out, g.header(), width, g.numeric());
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < cols; c++) {
            rule.append(c == 0 ? "" : GAP).append("-".repeat(width[c]));
        }
        line(out, rule.toString());
        for (List<String> r : g.rows()) {
            cells(out, r, width, g.numeric());
        }
    }

    private static void cells(StringBuilder out, List<String> cells, int[] width, boolean[] numeric) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String v = Text.printable(cells.get(c));
            sb.append(c == 0 ? "" : GAP).append(numeric[c] ? Text.padLeft(v, width[c]) : Text.padRight(v, width[c]));
        }
        line(out, sb.toString());
    }

    private static void line(StringBuilder out, String s) {
        out.append(Text.stripTrailing(Text.printable(s))).append('\n');
    }
}
