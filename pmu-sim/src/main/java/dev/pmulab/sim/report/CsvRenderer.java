package dev.pmulab.sim.report;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Metric;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV in long form: one record per (run, metric), runs in column order and metrics in report
 * order, under a header. Long form because it keeps every policy label of a run, its status and
 * error beside each value, does not change shape with the number of runs, and files from several
 * scenarios or seeds concatenate into one sheet that a pivot table turns back into the side-by-side
 * view. Values are the full-precision machine numbers of the JSON (empty when not applicable or
 * when the run failed); {@code best} is {@code true} where the table marks the value. RFC 4180:
 * CRLF record ends, a field quoted when it holds a comma, a double quote, CR or LF, inner quotes
 * doubled. The cost estimates are not here (they are not per-run rows); the other formats list
 * them.
 */
public final class CsvRenderer implements ReportRenderer {
    static final List<String> HEADER = List.of(
            "scenario",
            "seed",
            "compared_kind",
            "run",
            "allocation",
            "selection",
            "filter",
            "status",
            "metric",
            "unit",
            "better",
            "value",
            "best",
            "error");

    @Override
    public String render(ComparisonReport report) {
        StringBuilder out = new StringBuilder(8192);
        record(out, HEADER);
        List<RunReport> runs = report.runs();
        boolean[][] best = new boolean[Metric.all().size()][];
        for (Metric m : Metric.all()) {
            best[m.ordinal()] = BestValues.of(m, runs);
        }
        for (int i = 0; i < runs.size(); i++) {
            RunReport run = runs.get(i);
            for (Metric m : Metric.all()) {
                List<String> f = new ArrayList<>(HEADER.size());
                f.add(report.scenario());
                f.add(Long.toString(report.seed()));
                f.add(report.comparedKind().configName());
                f.add(Integer.toString(i + 1));
                for (PolicyKind kind : PolicyKind.values()) {
                    f.add(run.label(kind));
                }
                f.add(run.status().jsonName());
                f.add(m.key());
                f.add(m.unit().symbol());
                f.add(m.better().label());
                double v = run.metrics().valueOrNaN(m);
                f.add(Double.isNaN(v) ? "" : Text.machine(v).toPlainString());
                f.add(Boolean.toString(best[m.ordinal()][i]));
                f.add(run.error() == null ? "" : run.error());
                record(out, f);
            }
        }
        return out.toString();
    }

    private static void record(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(fields.get(i)));
        }
        out.append("\r\n");
    }

    /** RFC 4180 §2.6–2.7. */
    static String quote(String field) {
        boolean needs = false;
        for (int i = 0; i < field.length() && !needs; i++) {
            char c = field.charAt(i);
            needs = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }
}
