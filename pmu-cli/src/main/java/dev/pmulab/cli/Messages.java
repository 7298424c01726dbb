package dev.pmulab.cli;

/**
 * What the command prints about bad input echoes the input, and input can be hostile: a scenario
 * whose one token is a megabyte long, or escape sequences that would drive the terminal. Every
 * message goes through {@link #cut} before it reaches stderr.
 */
final class Messages {
    /** Tokens up to this long are printed whole: any name, path or value a person writes. */
    static final int MAX_TOKEN = 120;
    /** What is kept of a longer token: enough to recognise it. */
    private static final int KEPT = 60;

    private Messages() {}

    /**
     * {@code message} with each run of non-blank characters longer than {@link #MAX_TOKEN} cut to
     * its first characters and a count of the rest, and control characters other than line feed
     * and tab shown as {@code ?}. A long token keeps its end as well when that end says where: its
     * last path segment ({@code /flagship.yaml:9:45:}) or a {@code :line:column} suffix, so a
     * scenario in a deep directory is still reported at file:line:column.
     */
    static String cut(String message) {
        if (message == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(message.length(), 4096));
        int i = 0;
        int n = message.length();
        while (i < n) {
            char c = message.charAt(i);
            if (Character.isWhitespace(c)) {
                out.append(c == '\n' || c == '\t' || c == ' ' ? c : ' ');
                i++;
                continue;
            }
            int end = i;
            while (end < n && !Character.isWhitespace(message.charAt(end))) {
                end++;
            }
            int length = end - i;
            int keep = length > MAX_TOKEN ? KEPT : length;
            if (keep < length && Character.isHighSurrogate(message.charAt(i + keep - 1))) {
                keep--; // never half a character
            }
            int tail = keep < length ? locationTail(message, i + keep, end) : end;
            append(out, message, i, i + keep);
            if (keep < length) {
                out.append("...[").append(tail - (i + keep)).append(" more characters]");
                append(out, message, tail, end);
            }
            i = end;
        }
        return out.toString();
    }

    /**
     * Where the kept end of a cut token starts, at or after {@code from}: its last {@code /} when
     * what follows is at most {@link #KEPT} characters (a file name and its location), else the
     * start of a trailing {@code :line} or {@code :line:column} (with or without a final colon),
     * of at most {@link #KEPT} characters, else {@code end} (nothing kept).
     */
    private static int locationTail(String message, int from, int end) {
        int slash = message.lastIndexOf('/', end - 1);
        if (slash >= from && end - slash <= KEPT) {
            return slash;
        }
        int k = end;
        if (k > from && message.charAt(k - 1) == ':') {
            k--;
        }
        int start = end;
        for (int part = 0; part < 2; part++) {
            int digits = k;
            while (digits > from && isAsciiDigit(message.charAt(digits - 1))) {
                digits--;
            }
            if (digits == k || digits <= from || message.charAt(digits - 1) != ':') {
                break;
            }
            k = digits - 1;
            start = k;
        }
        return end - start <= KEPT ? start : end;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static void append(StringBuilder out, String message, int from, int to) {
        for (int k = from; k < to; k++) {
            char t = message.charAt(k);
            out.append(Character.isISOControl(t) ? '?' : t);
        }
    }
}
