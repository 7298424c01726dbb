package dev.pmulab.cli;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.PmuRegister;
import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.report.ReportFormat;
import dev.pmulab.sim.report.TextColumns;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code --traps}: the guests' trapped PMU accesses per register, one column per run. It answers
 * the question a trap count alone leaves open, which accesses a policy still leaves trapping
 * (PMEVTYPER and PMOVS under the partitioning series' FGT set, everything under TPM).
 */
final class TrapBreakdown {
    private TrapBreakdown() {}

    /** The breakdown goes after a table only: csv, json and html stay exactly their format. */
    static void requireTableFormat(boolean traps, String format) {
        if (traps && ReportFormat.fromCliName(format) != ReportFormat.TABLE) {
            throw new IllegalArgumentException(
                    "--traps prints a table after the report, so it needs --format=table, not " + format);
        }
    }

    static String render(Comparison comparison, List<Comparison.Outcome> outcomes) {
        requireNonNull(comparison, "comparison is null");
        requireNonNull(outcomes, "outcomes is null");
        Set<PmuRegister> registers = EnumSet.noneOf(PmuRegister.class);
        for (Comparison.Outcome o : outcomes) {
            registers.addAll(o.result().guestTrapsByRegister().keySet());
        }
        List<String> headers = new ArrayList<>();
        headers.add("register");
        for (Comparison.Outcome o : outcomes) {
            headers.add(o.run().shown().get(comparison.comparedKind()).shortLabel());
        }
        List<List<String>> rows = new ArrayList<>();
        for (PmuRegister reg : registers) {
            List<String> row = new ArrayList<>();
            row.add(reg.name());
            for (Comparison.Outcome o : outcomes) {
                row.add(cell(o, o.result().guestTrapsByRegister().getOrDefault(reg, 0L)));
            }
            rows.add(row);
        }
        List<String> total = new ArrayList<>();
        total.add("total");
        for (Comparison.Outcome o : outcomes) {
            total.add(cell(
                    o,
                    o.result().guestTrapsByRegister().values().stream()
                            .mapToLong(Long::longValue)
                            .sum()));
        }
        rows.add(total);

        return "\nGuest PMU traps by register (all vCPUs; PMEVCNTR/PMEVTYPER summed over n):\n"
                + TextColumns.render(headers, rows);
    }

    private static String cell(Comparison.Outcome o, long n) {
        return o.result().ok() ? String.format(Locale.ROOT, "%,d", n) : "failed";
    }
}
