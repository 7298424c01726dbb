package dev.pmulab.sim.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Small text helpers shared by the renderers. */
final class Text {
    /** Decimals kept in machine-readable numbers: ns to the femtosecond, far below any cost. */
    private static final int MACHINE_DECIMALS = 6;

    private Text() {}

    /**
     * A value for JSON and CSV: plain decimal, at most six decimals, no trailing zeros, no exponent
     * ({@code 12}, {@code 0.5}, {@code 4143000000}). Built from the double's exact expansion, so it
     * does not depend on the JDK's {@code Double.toString}.
     */
    static BigDecimal machine(double value) {
        BigDecimal d = new BigDecimal(value)
                .setScale(MACHINE_DECIMALS, RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
        return d.signum() == 0 ? BigDecimal.ZERO : d;
    }

    /** Control characters replaced by {@code ?}, so a plugin's message cannot drive the terminal. */
    static String printable(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, '?');
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** Splits on CR LF, LF or CR; the pieces are printable. */
    static String[] lines(String s) {
        String[] parts = s.split("\r\n|\n|\r", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = printable(parts[i]);
        }
        return parts;
    }

    static String padRight(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /** Removes trailing spaces, so the output has none. */
    static String stripTrailing(String line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        return line.substring(0, end);
    }
}
