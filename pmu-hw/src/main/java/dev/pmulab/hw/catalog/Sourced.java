package dev.pmulab.hw.catalog;

import static java.util.Objects.requireNonNull;

/**
 * A catalog value with its provenance and a one-line source ("TRM 100798 D5.4 'Six counters'",
 * "unknown in the reference; assumed 6 ...").
 *
 * @param <T> the value's type
 * @param value the value the model uses
 * @param provenance whether it is a fact, an assumption or the user's override
 * @param source where it comes from, one line
 */
public record Sourced<T>(T value, Provenance provenance, String source) {

    public Sourced {
        requireNonNull(value, "value is null");
        requireNonNull(provenance, "provenance is null");
        requireNonNull(source, "source is null");
        if (source.isBlank() || source.contains("\n")) {
            throw new IllegalArgumentException("source must be one non-blank line, was '" + source + "'");
        }
    }

    public static <T> Sourced<T> known(T value, String source) {
        return new Sourced<>(value, Provenance.KNOWN, source);
    }

    public static <T> Sourced<T> archImplied(T value, String source) {
        return new Sourced<>(value, Provenance.ARCH_IMPLIED, source);
    }

    public static <T> Sourced<T> assumed(T value, String source) {
        return new Sourced<>(value, Provenance.ASSUMED, source);
    }

    /**
     * The user's value in place of this one. The source keeps what the catalog had, so a report
     * can show both; overriding an override keeps the catalog's original.
     */
    public Sourced<T> overriddenBy(T newValue, String shownOld) {
        requireNonNull(newValue, "newValue is null");
        if (provenance == Provenance.OVERRIDDEN) {
            return new Sourced<>(newValue, Provenance.OVERRIDDEN, source);
        }
        return new Sourced<>(
                newValue,
                Provenance.OVERRIDDEN,
                "catalog value " + shownOld + " (" + provenance.label() + ": " + source + ")");
    }
}
