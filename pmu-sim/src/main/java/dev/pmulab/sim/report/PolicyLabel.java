package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one syntax of a policy with settings, as reports print it and {@code --policies} reads it:
 * {@code name} or {@code name(key=value, key=value)}. A value is a bare word ({@code true},
 * {@code 3}, {@code 0x10}, {@code neighbour-safe}), a list {@code [1, 2]}, or a double-quoted string
 * ({@code "deny:0x10-0x1f, allow:0x11"}, backslash escaping {@code "} and {@code \}) when it is empty
 * or holds a character of the syntax. Commas inside parentheses and brackets belong to the policy,
 * so a list of policies splits at the top-level commas only ({@link #splitList}). Parsing gives raw
 * strings (and lists of them); the policy's declared types convert them, as they do a scenario's.
 */
public final class PolicyLabel {
    private static final String SPECIAL = ",()[]\"=\\";

    /** A parsed label: the policy's name and its settings as written, strings or lists of strings, in order. */
    public record Parsed(String name, Map<String, Object> rawSettings) {
        public Parsed {
            requireNonNull(name, "name is null");
            rawSettings = Collections.unmodifiableMap(new LinkedHashMap<>(rawSettings));
        }
    }

    private PolicyLabel() {}

    /** {@code name} or {@code name(k=v, ...)} with the settings in the map's order. */
    public static String format(String name, Map<String, ?> settings) {
        requireNonNull(name, "name is null");
        if (settings.isEmpty()) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name).append('(');
        String sep = "";
        for (Map.Entry<String, ?> e : settings.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(value(e.getValue()));
            sep = ", ";
        }
        return sb.append(')').toString();
    }

    /** A setting's value as a label spells it: bare, a bracketed list, or quoted when the syntax needs it. */
    public static String value(Object v) {
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(value(l.get(i)));
            }
            return sb.append(']').toString();
        }
        String s = String.valueOf(v);
        return needsQuotes(s) ? quote(s) : s;
    }

    private static boolean needsQuotes(String s) {
        if (s.isEmpty() || !s.strip().equals(s)) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (SPECIAL.indexOf(c) >= 0 || Character.isISOControl(c)) {
                return true;
            }
        }
        return false;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /**
     * Splits {@code text} at its top-level commas: {@code a(x=1, y=2),b} is {@code a(x=1, y=2)} and
     * {@code b}. Items are stripped; an empty item stays (the caller says where it is).
     *
     * @throws IllegalArgumentException for an unbalanced parenthesis, bracket or quote
     */
    public static List<String> splitList(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                depth--;
                if (depth < 0) {
                    throw new IllegalArgumentException("'" + text + "': unmatched '" + c + "' at character " + (i + 1));
                }
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (quoted || depth != 0) {
            throw new IllegalArgumentException("'" + text + "': " + (quoted ? "unterminated quote" : "unclosed '('"));
        }
        out.add(text.substring(start).strip());
        return out;
    }

    /**
     * Parses one label, {@code name} or {@code name(key=value, ...)}.
     *
     * @throws IllegalArgumentException naming the character where the syntax breaks
     */
    public static Parsed parse(String label) {
        return new Parser(label).label();
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = requireNonNull(text, "label is null");
        }

        Parsed label() {
            skipSpace();
            String name = word("a policy name");
            Map<String, Object> settings = new LinkedHashMap<>();
            skipSpace();
            if (peek('(')) {
                pos++;
                skipSpace();
                if (!peek(')')) {
                    while (true) {
                        skipSpace();
                        String key = word("a setting name");
                        skipSpace();
                        expect('=');
                        skipSpace();
                        Object v = peek('[') ? list() : scalar();
                        if (settings.put(key, v) != null) {
                            throw error("setting '" + key + "' is given twice");
                        }
                        skipSpace();
                        if (peek(',')) {
                            pos++;
                            continue;
                        }
                        break;
                    }
                }
                expect(')');
                skipSpace();
            }
            if (pos != text.length()) {
                throw error("unexpected '" + text.charAt(pos) + "'");
            }
            return new Parsed(name, settings);
        }

        private List<String> list() {
            expect('[');
            List<String> items = new ArrayList<>();
            skipSpace();
            if (peek(']')) {
                pos++;
                return items;
            }
            while (true) {
                skipSpace();
                items.add(scalar());
                skipSpace();
                if (peek(',')) {
                    pos++;
                    continue;
                }
                expect(']');
                return items;
            }
        }

        private String scalar() {
            if (!peek('"')) {
                return word("a value");
            }
            pos++;
            StringBuilder sb = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\' && pos < text.length()) {
                    c = text.charAt(pos++);
                }
                sb.append(c);
            }
            throw error("unterminated quote");
        }

        /** A run of characters outside the syntax, stripped; at least one. */
        private String word(String what) {
            int start = pos;
            while (pos < text.length()
                    && SPECIAL.indexOf(text.charAt(pos)) < 0
                    && !Character.isISOControl(text.charAt(pos))) {
                pos++;
            }
            String w = text.substring(start, pos).strip();
            if (w.isEmpty()) {
                throw error("expected " + what);
            }
            return w;
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < text.length() && text.charAt(pos) == ' ') {
                pos++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("policy '" + text + "': " + what + " at character " + (pos + 1)
                    + "; write name or name(setting=value, ...) as the report prints it");
        }
    }
}
