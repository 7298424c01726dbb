package dev.pmulab.sim.report;

import dev.pmulab.sim.report.ReproductionDocument.Grid;
import dev.pmulab.sim.report.ReproductionDocument.Section;
import java.util.List;

/**
 * One self-contained HTML5 page of {@code pmulab reproduce}: the sections as headings, paragraphs
 * and tables, a "within" cell tinted green (yes) or red (no) besides its word, so it reads in black
 * and white. No script, no external style sheet, font or image; all text escaped; the markup is
 * also well-formed XML.
 */
public final class ReproductionHtmlRenderer implements ReproductionRenderer {
    private static final String CSS = String.join(
            "\n",
            "body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b;background:#fff}",
            "h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}",
            "table{border-collapse:collapse;font-variant-numeric:tabular-nums}",
            "th,td{padding:.2rem .6rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}",
            "td.num,th.num{text-align:right}",
            "td.yes{background:#e3f4e1;font-weight:bold}td.no{background:#fbe3e3}");

    @Override
    public String render(ReproductionReport report) {
        String title = ReproductionDocument.title(report);
        StringBuilder h = new StringBuilder(32768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>")
                .append(esc(title))
                .append("</title>\n")
                .append("<style>\n")
                .append(CSS)
                .append("\n</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");
        for (Section s : ReproductionDocument.sections(report)) {
            h.append("<h2>").append(esc(s.title())).append("</h2>\n");
            for (String l : s.lines()) {
                h.append("<p>").append(esc(l)).append("</p>\n");
            }
            for (int i = 0; i < s.grids().size(); i++) {
                if (!s.captions().get(i).isEmpty()) {
                    h.append("<p>").append(esc(s.captions().get(i))).append("</p>\n");
                }
                table(h, s.grids().get(i));
            }
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void table(StringBuilder h, Grid g) {
        h.append("<table>\n<thead>\n<tr>");
        for (int c = 0; c < g.header().size(); c++) {
            h.append(g.numeric()[c] ? "<th class=\"num\">" : "<th>")
                    .append(esc(g.header().get(c)))
                    .append("</th>");
        }
        h.append("</tr>\n</thead>\n<tbody>\n");
        for (List<String> r : g.rows()) {
            h.append("<tr>");
            for (int c = 0; c < r.size(); c++) {
                String v = r.get(c);
                String cls = g.numeric()[c] ? "num" : "";
                if (c == g.verdictColumn() && ("yes".equals(v) || "no".equals(v))) {
                    cls = v;
                }
                h.append(cls.isEmpty() ? "<td>" : "<td class=\"" + cls + "\">")
                        .append(esc(v))
                        .append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static String esc(String s) {
        return HtmlRenderer.esc(Text.printable(s));
    }
}
