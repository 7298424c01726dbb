package dev.pmulab.cli;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.metrics.Breakdown;
import dev.pmulab.sim.report.BreakdownRenderer;
import dev.pmulab.sim.report.ComparisonReport;
import dev.pmulab.sim.report.ReportFormat;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --by vm|session} of compare and run: who paid. With {@code --format table} the breakdown
 * follows the comparison's table; with csv or json it is the output (the comparison's own
 * document has one shape per format, and a second document appended would break its readers).
 */
final class ByOption {
    @Option(
            names = "--by",
            paramLabel = "vm|session",
            description = "Break the metrics down per VM or per perf session (host and guest): who paid. "
                    + "After the table; with csv or json, instead of the comparison.")
    private String by;

    /** The parsed option, checked before anything runs; null without {@code --by}. */
    Breakdown.By check(ReportFormat format, boolean toDirectory) {
        if (by == null) {
            return null;
        }
        Breakdown.By b = Breakdown.By.fromKey(by);
        if (format == ReportFormat.HTML) {
            throw new IllegalArgumentException("--by prints table, csv or json, not html");
        }
        if (toDirectory) {
            throw new IllegalArgumentException("--by prints to stdout; it does not go with --out");
        }
        return b;
    }

    /** Whether the breakdown replaces the comparison's output ({@code csv}, {@code json}). */
    static boolean replacesReport(Breakdown.By by, ReportFormat format) {
        return by != null && format != ReportFormat.TABLE;
    }

    static String render(
            Breakdown.By by, ReportFormat format, ComparisonReport report, List<Comparison.Outcome> outcomes) {
        List<Breakdown> parts =
                outcomes.stream().map(o -> o.result().breakdown()).toList();
        return BreakdownRenderer.render(report, parts, by, format);
    }
}
