package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as scenario files write them: a number and a unit, {@code 2s}, {@code 10ms},
 * {@code 250us}, {@code 500ns}, {@code 15.625ms}, {@code 1.5min}, {@code 1h}. The simulator's time
 * is a {@code long} of nanoseconds, so a duration must come to a whole number of them. A bare
 * number is refused: whether {@code 4} meant ms or s is exactly the mistake a unit prevents.
 */
public final class Durations {
    /** The units, in the order messages list them. */
    public static final String UNITS = "ns, us, ms, s, min, h";

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|\u00b5s|ms|s|min|h)");

    /**
     * The longest duration, 2^62 ns (about 146 years): the engine adds intervals (a tick, a
     * migration period, a session's stop) to times up to a run's end, and the sum must not leave
     * its 64-bit ns clock.
     */
    public static final long MAX_NS = 1L << 62;

    private Durations() {}

    /**
     * Nanoseconds in {@code text}.
     *
     * @throws IllegalArgumentException naming the accepted syntax, for anything else, a negative
     *     value, a fraction of a nanosecond, or more than {@link #MAX_NS}
     */
    public static long parseNs(String text) {
        requireNonNull(text, "text is null");
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "expected a duration with a unit (" + UNITS + "), such as 10ms; got '" + text + "'");
        }
        BigDecimal ns = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNs(m.group(2))));
        if (ns.compareTo(BigDecimal.valueOf(MAX_NS)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long for the simulator's clock (at most 2^62 ns,"
                    + " about 146 years, so that a time plus an interval still fits its 64-bit ns)");
        }
        try {
            return ns.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of nanoseconds");
        }
    }

    /**
     * An exact spelling of {@code ns} for messages and reports: whole hours or minutes when it is
     * one, otherwise the largest of s, ms, us that needs at most three decimals ({@code 15.625ms},
     * {@code 90s}, {@code 2s}, {@code 0s}), else ns.
     */
    public static String format(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("durations are not negative: " + ns);
        }
        if (ns == 0) {
            return "0s";
        }
        for (String u : new String[] {"h", "min"}) {
            if (ns % unitNs(u) == 0) {
                return ns / unitNs(u) + u;
            }
        }
        for (String u : new String[] {"s", "ms", "us"}) {
            long per = unitNs(u);
            if (ns >= per && ns % (per / 1000) == 0) {
                long thousandths = ns % per / (per / 1000);
                String frac = thousandths == 0 ? "" : ("." + String.format("%03d", thousandths)).replaceAll("0+$", "");
                return ns / per + frac + u;
            }
        }
        return ns + "ns";
    }

    private static long unitNs(String unit) {
        switch (unit.toLowerCase(Locale.ROOT)) {
            case "ns":
                return 1L;
            case "us":
            case "\u00b5s":
                return 1_000L;
            case "ms":
                return 1_000_000L;
            case "s":
                return 1_000_000_000L;
            case "min":
                return 60_000_000_000L;
            case "h":
                return 3_600_000_000_000L;
            default:
                throw new IllegalStateException("unit " + unit);
        }
    }
}
