package dev.pmulab.sim.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How a metric value is shown to a reader. Rounding goes through the exact decimal expansion of the
 * double ({@code new BigDecimal(double)}), never through {@code Double.toString} or
 * {@code String.format}, so the text is the same on every JDK and in every locale.
 */
public enum MetricFormat {
    /** A whole number with {@code ,} grouping: {@code 1,234,567}. */
    INTEGER(0),
    /** Two decimals with {@code ,} grouping: {@code 1,234.57}. */
    DECIMAL_2(2);

    private final int decimals;

    MetricFormat(int decimals) {
        this.decimals = decimals;
    }

    public int decimals() {
        return decimals;
    }

    /**
     * The value as displayed, rounded half-even to {@link #decimals()}. Reports compare these, so
     * two runs that look equal are a tie.
     */
    public BigDecimal round(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("cannot format " + value);
        }
        return new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN);
    }

    /** The display text, e.g. {@code 1,234} or {@code 12.50}. */
    public String format(double value) {
        return group(round(value).toPlainString());
    }

    private static String group(String plain) {
        int start = plain.startsWith("-") ? 1 : 0;
        int dot = plain.indexOf('.');
        int end = dot < 0 ? plain.length() : dot;
        StringBuilder sb = new StringBuilder(plain.length() + 8);
        sb.append(plain, 0, start);
        for (int i = start; i < end; i++) {
            if (i > start && (end - i) % 3 == 0) {
                sb.append(',');
            }
            sb.append(plain.charAt(i));
        }
        sb.append(plain, end, plain.length());
        return sb.toString();
    }
}
