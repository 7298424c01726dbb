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
     * and tab shown as {@code ?}.
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
            for (int k = i; k < i + keep; k++) {
                char t = message.charAt(k);
                out.append(Character.isISOControl(t) ? '?' : t);
            }
            if (keep < length) {
                out.append("...[").append(length - keep).append(" more characters]");
            }
            i = end;
        }
        return out.toString();
    }
}
