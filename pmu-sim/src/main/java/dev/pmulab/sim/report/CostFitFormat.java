package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.report.CostFitReport.Parameter;
import dev.pmulab.sim.report.CostFitReport.Point;
import dev.pmulab.sim.report.CostFitReport.RowValue;
import dev.pmulab.sim.report.ReproductionDocument.Grid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The formats of {@code pmulab reproduce --fit}: an aligned table for the terminal, or CSV with one
 * line per grid point for a spreadsheet or a plot. Both list the points in grid order; the table
 * then repeats the best one. LF line ends, no trailing spaces.
 */
public enum CostFitFormat {
    TABLE("txt"),
    CSV("csv");

    /** The file name under {@code --out DIR}, before the extension. */
    public static final String FILE_BASE = "cost-fit";

    /** A delta within this share of the published one counts as reproduced (as in {@code pmulab reproduce}). */
    private static final double TOLERANCE = 0.25;

    private final String extension;

    CostFitFormat(String extension) {
        this.extension = extension;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code cost-fit.txt} or {@code cost-fit.csv}. */
    public String fileName() {
        return FILE_BASE + "." + extension;
    }

    /** @throws IllegalArgumentException for an unknown name, listing the known ones */
    public static CostFitFormat fromCliName(String name) {
        requireNonNull(name, "name is null");
        for (CostFitFormat f : values()) {
            if (f.cliName().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--fit writes "
                + Arrays.stream(values()).map(CostFitFormat::cliName).collect(Collectors.joining(" or ")) + ", not '"
                + name + "'");
    }

    public String render(CostFitReport report) {
        requireNonNull(report, "report is null");
        return this == CSV ? csv(report) : table(report);
    }

    // ---------------------------------------------------------------------------------------------

    private static String table(CostFitReport r) {
        StringBuilder out = new StringBuilder(4096);
        line(out, "pmulab reproduce --fit: kernel costs swept over the v1 cover letter's benchmarks");
        out.append('\n');
        line(
                out,
                "Fit set: benchmarks " + join(r.fitBenchmarks()) + " (their published deltas) and the "
                        + r.bestPoint().level().name() + " level; held out: benchmark " + join(r.heldOutBenchmarks())
                        + " (reported, not scored).");
        line(
                out,
                "Objective J = sum over the fit rows and the level of ln^2(simulated / published), each term capped"
                        + " at ln^2(100) (a missing or wrong-signed value); 0 is a perfect fit.");
        line(
                out,
                "Runs at " + Text.machine(r.scale()).toPlainString() + " of each benchmark's length."
                        + " Ratios are simulated / published; * marks a delta within +-25 %.");
        line(
                out,
                "Swept: "
                        + r.parameters().stream()
                                .map(p -> p.label() + " (" + p.name() + ", default " + p.defaultNs() + " ns, "
                                        + p.flag() + ", code count " + range(p) + ")")
                                .collect(Collectors.joining("; ")));
        line(
                out,
                "Columns B<n>: simulated delta / published delta of that row; B3 emu guest %: the emulated"
                        + " stress-ng guest level (published "
                        + fixed(r.bestPoint().level().published(), 2)
                        + "); livelocked: runs that livelocked.");
        out.append('\n');
        ReproductionTableRenderer.grid(out, grid(r, r.points()));
        out.append('\n');
        Point best = r.bestPoint();
        line(out, "Best point (lowest J = " + fixed(best.objective(), 3) + "): " + values(r, best));
        for (int i = 0; i < r.parameters().size(); i++) {
            Parameter p = r.parameters().get(i);
            long v = best.valuesNs().get(i);
            line(
                    out,
                    "  " + p.label() + " = " + v + " ns: "
                            + p.sourced()
                                    .map(s -> s.contains(v)
                                            ? "inside the code count's range " + range(p)
                                            : "OUTSIDE the code count's range " + range(p))
                                    .orElse("no code count to compare with"));
        }
        for (RowValue v : best.fitRows()) {
            line(
                    out,
                    "  fit       benchmark " + v.benchmark() + " " + v.quantity() + ": simulated "
                            + delta(v.simulated(), v) + " vs published " + delta(v.published(), v) + " (ratio "
                            + fixed(v.ratio(), 3) + ")");
        }
        line(
                out,
                "  fit       " + best.level().name() + ": simulated "
                        + fixed(best.level().simulated(), 2)
                        + " vs published " + fixed(best.level().published(), 2) + " (ratio "
                        + fixed(best.level().ratio(), 3)
                        + ")");
        for (RowValue v : best.heldOut()) {
            line(
                    out,
                    "  held out  benchmark " + v.benchmark() + " " + v.quantity() + ": simulated "
                            + delta(v.simulated(), v) + " vs published " + delta(v.published(), v) + " (ratio "
                            + fixed(v.ratio(), 3) + ", " + (v.within(TOLERANCE) ? "within" : "outside") + " +-25 %)");
        }
        line(
                out,
                "  livelocked runs: " + (best.livelocked().isEmpty() ? "none" : String.join(", ", best.livelocked())));
        for (Point p : r.points()) {
            for (String f : p.failures()) {
                line(out, "run failed at " + values(r, p) + ": " + f);
            }
        }
        return out.toString();
    }

    private static Grid grid(CostFitReport r, List<Point> points) {
        List<String> header = new ArrayList<>();
        List<Boolean> numeric = new ArrayList<>();
        for (Parameter p : r.parameters()) {
            header.add(p.label() + " [ns]");
            numeric.add(true);
        }
        header.add("J");
        numeric.add(true);
        Point first = points.get(0);
        for (RowValue v : first.fitRows()) {
            header.add("B" + v.benchmark() + " " + shortName(v.quantity()));
            numeric.add(true);
        }
        header.add("B3 emu guest %");
        numeric.add(true);
        for (RowValue v : first.heldOut()) {
            header.add("B" + v.benchmark() + " " + shortName(v.quantity()) + " (held out)");
            numeric.add(true);
        }
        header.add("livelocked");
        numeric.add(false);
        List<List<String>> rows = new ArrayList<>();
        for (Point p : points) {
            List<String> row = new ArrayList<>();
            for (long v : p.valuesNs()) {
                row.add(Long.toString(v));
            }
            row.add(fixed(p.objective(), 3));
            for (RowValue v : p.fitRows()) {
                row.add(ratioCell(v));
            }
            row.add(fixed(p.level().simulated(), 2));
            for (RowValue v : p.heldOut()) {
                row.add(ratioCell(v));
            }
            row.add(
                    p.livelocked().isEmpty()
                            ? "-"
                            : Integer.toString(p.livelocked().size()));
            rows.add(row);
        }
        boolean[] num = new boolean[numeric.size()];
        for (int i = 0; i < num.length; i++) {
            num[i] = numeric.get(i);
        }
        return new Grid(header, num, rows, -1);
    }

    private static String csv(CostFitReport r) {
        StringBuilder out = new StringBuilder(4096);
        List<String> header = new ArrayList<>();
        for (Parameter p : r.parameters()) {
            header.add(p.label() + "_ns");
        }
        header.add("objective");
        Point first = r.points().get(0);
        for (RowValue v : first.fitRows()) {
            String k = "b" + v.benchmark() + "_" + snake(v.quantity());
            header.add(k + "_delta");
            header.add(k + "_ratio");
        }
        header.add("b3_emulated_guest_pct");
        for (RowValue v : first.heldOut()) {
            String k = "heldout_b" + v.benchmark() + "_" + snake(v.quantity());
            header.add(k + "_delta");
            header.add(k + "_ratio");
        }
        header.add("livelocked");
        header.add("failed");
        out.append(String.join(",", header)).append('\n');
        for (Point p : r.points()) {
            List<String> row = new ArrayList<>();
            for (long v : p.valuesNs()) {
                row.add(Long.toString(v));
            }
            row.add(machine(p.objective()));
            for (RowValue v : p.fitRows()) {
                row.add(machine(v.simulated()));
                row.add(machine(v.ratio()));
            }
            row.add(machine(p.level().simulated()));
            for (RowValue v : p.heldOut()) {
                row.add(machine(v.simulated()));
                row.add(machine(v.ratio()));
            }
            row.add(Integer.toString(p.livelocked().size()));
            row.add(Integer.toString(p.failures().size()));
            out.append(String.join(",", row)).append('\n');
        }
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------------

    private static String values(CostFitReport r, Point p) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < r.parameters().size(); i++) {
            parts.add(r.parameters().get(i).label() + "=" + p.valuesNs().get(i));
        }
        return String.join(" ", parts);
    }

    private static String range(Parameter p) {
        return p.sourced().map(s -> s.lowNs() + "-" + s.highNs() + " ns").orElse("none");
    }

    private static String ratioCell(RowValue v) {
        if (Double.isNaN(v.ratio())) {
            return "n/a";
        }
        return fixed(v.ratio(), 2) + (v.within(TOLERANCE) ? "*" : "");
    }

    private static String delta(double value, RowValue v) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%+.2f %s", value, v.pointsDelta() ? "pp" : "%");
    }

    private static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String machine(double value) {
        return Double.isNaN(value) || Double.isInfinite(value)
                ? ""
                : Text.machine(value).toPlainString();
    }

    /** The column title of a quantity: real, sys, score, host kernel, guest. */
    private static String shortName(String quantity) {
        return switch (quantity) {
            case "real time" -> "real";
            case "system time" -> "sys";
            case "SPECint score" -> "score";
            case "pCPU time in the host kernel" -> "host kernel";
            case "pCPU time in the guest" -> "guest";
            default -> quantity;
        };
    }

    private static String snake(String quantity) {
        return shortName(quantity).replace(' ', '_');
    }

    private static String join(List<Integer> numbers) {
        return numbers.stream().map(String::valueOf).collect(Collectors.joining(" and "));
    }

    private static void line(StringBuilder out, String s) {
        out.append(Text.stripTrailing(Text.printable(s))).append('\n');
    }
}
