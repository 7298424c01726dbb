package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.metrics.Breakdown;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --by vm} and {@code --by session}: who paid. One section per part (a VM, or a host or
 * guest perf session), a row per metric that applies to some run there, a column per run, as the
 * comparison's table has them; a session's least-covered event under it. In CSV, the comparison's
 * long form with two more columns, {@code by} and {@code part}, and the least-covered event in a
 * third; in JSON, the runs with their parts. Kept apart from the comparison's renderers so that the
 * default output does not change.
 */
public final class BreakdownRenderer {
    /** compare's leading CSV columns ({@link CsvRenderer#LEADING}), then the breakdown's own. */
    static final List<String> CSV_HEADER = java.util.stream.Stream.concat(
                    CsvRenderer.LEADING.stream(),
                    java.util.stream.Stream.of("by", "part", "metric", "unit", "better", "value", "least_covered"))
            .toList();

    private BreakdownRenderer() {}

    /**
     * The breakdown in {@code format} (table, csv or json).
     *
     * @param breakdowns one per run of {@code report}, in its order ({@link Breakdown#NONE} for a failed run)
     */
    public static String render(
            ComparisonReport report, List<Breakdown> breakdowns, Breakdown.By by, ReportFormat format) {
        requireNonNull(report, "report is null");
        requireNonNull(by, "by is null");
        if (breakdowns.size() != report.runs().size()) {
            throw new IllegalArgumentException(
                    breakdowns.size() + " breakdowns for " + report.runs().size() + " runs");
        }
        return switch (format) {
            case TABLE -> table(report, breakdowns, by);
            case CSV -> csv(report, breakdowns, by);
            case JSON -> json(report, breakdowns, by);
            default -> throw new IllegalArgumentException("--by prints table, csv or json, not " + format.cliName());
        };
    }

    /** The parts' names in first-seen order over the runs (every run of a comparison has the same). */
    private static List<String> partNames(List<Breakdown> breakdowns, Breakdown.By by) {
        List<String> names = new ArrayList<>();
        for (Breakdown b : breakdowns) {
            for (Breakdown.Part p : b.of(by)) {
                if (!names.contains(p.name())) {
                    names.add(p.name());
                }
            }
        }
        return names;
    }

    private static Breakdown.Part part(Breakdown b, Breakdown.By by, String name) {
        for (Breakdown.Part p : b.of(by)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static String table(ComparisonReport report, List<Breakdown> breakdowns, Breakdown.By by) {
        List<RunReport> runs = report.runs();
        StringBuilder out = new StringBuilder(4096);
        out.append("\nBy ").append(by.key()).append(" (who paid):\n");
        List<String> names = partNames(breakdowns, by);
        if (names.isEmpty()) {
            out.append("  (none in this scenario)\n");
            return out.toString();
        }
        for (String name : names) {
            List<List<String>> rows = new ArrayList<>();
            List<String> header = new ArrayList<>();
            header.add(name);
            for (RunReport run : runs) {
                header.add(run.label(report.comparedKind()));
            }
            for (Metric m : Metric.all()) {
                boolean any = false;
                List<String> row = new ArrayList<>();
                row.add(m.label());
                for (int i = 0; i < runs.size(); i++) {
                    Breakdown.Part p = part(breakdowns.get(i), by, name);
                    if (p != null && p.metrics().has(m)) {
                        any = true;
                        row.add(m.format().format(p.metrics().valueOrNaN(m)));
                    } else {
                        row.add(runs.get(i).status() == RunReport.Status.OK ? TableRenderer.NOT_APPLICABLE : "failed");
                    }
                }
                if (any) {
                    rows.add(row);
                }
            }
            List<String> least = new ArrayList<>();
            least.add("least covered");
            boolean anyLeast = false;
            for (int i = 0; i < runs.size(); i++) {
                Breakdown.Part p = part(breakdowns.get(i), by, name);
                String l = p == null ? "" : p.leastCovered();
                anyLeast |= !l.isEmpty();
                least.add(l.isEmpty() ? "-" : l);
            }
            if (anyLeast) {
                rows.add(least);
            }
            out.append('\n').append(TextColumns.render(header, rows));
        }
        return out.toString();
    }

    private static String csv(ComparisonReport report, List<Breakdown> breakdowns, Breakdown.By by) {
        List<List<String>> rows = new ArrayList<>();
        List<RunReport> runs = report.runs();
        for (int i = 0; i < runs.size(); i++) {
            RunReport run = runs.get(i);
            for (Breakdown.Part p : breakdowns.get(i).of(by)) {
                for (Metric m : Metric.all()) {
                    if (!p.metrics().has(m)) {
                        continue;
                    }
                    List<String> f = new ArrayList<>(CSV_HEADER.size());
                    CsvRenderer.addLeading(f, report, i);
                    f.add(by.key());
                    f.add(p.name());
                    f.add(m.key());
                    f.add(m.unit().symbol());
                    f.add(m.better().label());
                    f.add(Text.machine(p.metrics().valueOrNaN(m)).toPlainString());
                    f.add(leastFor(m, p));
                    rows.add(f);
                }
            }
        }
        return CsvRenderer.write(CSV_HEADER, rows);
    }

    /** The least-covered event belongs on the row of the min metric it explains. */
    private static String leastFor(Metric m, Breakdown.Part p) {
        return m == Metric.HOST_EVENT_COVERAGE_MIN_PCT || m == Metric.GUEST_PERF_RUNNING_MIN_PCT
                ? p.leastCovered()
                : "";
    }

    private static String json(ComparisonReport report, List<Breakdown> breakdowns, Breakdown.By by) {
        return ReportJson.render(8192, g -> {
            g.writeStartObject();
            g.writeStringField("scenario", report.scenario());
            g.writeNumberField("seed", report.seed());
            g.writeStringField("compared_kind", report.comparedKind().configName());
            g.writeStringField("by", by.key());
            g.writeArrayFieldStart("runs");
            for (int i = 0; i < report.runs().size(); i++) {
                RunReport run = report.runs().get(i);
                g.writeStartObject();
                JsonRenderer.labelAndPolicies(g, report, run);
                g.writeStringField("status", run.status().jsonName());
                g.writeArrayFieldStart("parts");
                for (Breakdown.Part p : breakdowns.get(i).of(by)) {
                    g.writeStartObject();
                    g.writeStringField("name", p.name());
                    if (p.leastCovered().isEmpty()) {
                        g.writeNullField("least_covered");
                    } else {
                        g.writeStringField("least_covered", p.leastCovered());
                    }
                    g.writeObjectFieldStart("metrics");
                    MetricValues mv = p.metrics();
                    for (Metric m : Metric.all()) {
                        ReportJson.number(g, m.key(), mv.valueOrNaN(m));
                    }
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
