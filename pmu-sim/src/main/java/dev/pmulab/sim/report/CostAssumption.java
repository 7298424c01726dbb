package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.Set;

/**
 * A cost-model parameter a result depends on (perf-core-and-costs.md §8): its table id
 * ({@code C4}), a name, the value the runs charged, the flag of its default ({@code measured},
 * {@code derived}, {@code estimate}), the source or reasoning of the default, and whether the
 * scenario overrode the default (then {@code valueNs} is the scenario's value).
 */
public record CostAssumption(String id, String name, long valueNs, String flag, String source, boolean overridden) {
    public static final String MEASURED = "measured";
    public static final String DERIVED = "derived";
    public static final String ESTIMATE = "estimate";

    private static final Set<String> FLAGS = Set.of(MEASURED, DERIVED, ESTIMATE);

    /** By id, numbers compared as numbers: C2 before C10. */
    public static final Comparator<CostAssumption> BY_ID =
            Comparator.comparing(CostAssumption::id, CostAssumption::compareNatural);

    public CostAssumption {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(flag, "flag is null");
        requireNonNull(source, "source is null");
        if (id.isBlank()) {
            throw new IllegalArgumentException("cost id is blank");
        }
        if (valueNs < 0) {
            throw new IllegalArgumentException("cost " + id + " is negative: " + valueNs);
        }
        if (!FLAGS.contains(flag)) {
            throw new IllegalArgumentException(
                    "cost " + id + " has flag '" + flag + "'; known: measured, derived, estimate");
        }
    }

    /** An estimate the scenario did not replace: the result leans on a number nobody measured. */
    public boolean leanedOn() {
        return ESTIMATE.equals(flag) && !overridden;
    }

    /** Compares digit runs by value and everything else by character. */
    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (isDigit(ca) && isDigit(cb)) {
                int ei = i;
                while (ei < a.length() && isDigit(a.charAt(ei))) {
                    ei++;
                }
                int ej = j;
                while (ej < b.length() && isDigit(b.charAt(ej))) {
                    ej++;
                }
                String na = stripZeros(a.substring(i, ei));
                String nb = stripZeros(b.substring(j, ej));
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        // Equal by value but spelt differently (C01, C1): fall back to plain order for a total order.
        return c != 0 ? c : a.compareTo(b);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String stripZeros(String digits) {
        int k = 0;
        while (k < digits.length() - 1 && digits.charAt(k) == '0') {
            k++;
        }
        return digits.substring(k);
    }
}
