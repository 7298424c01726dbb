package dev.pmulab.sim.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a small tree whose every node knows the line and column it starts at, read
 * with Jackson's streaming YAML parser. Jackson's own {@code JsonNode} forgets positions, and
 * every scenario message must name one.
 *
 * <p>Scalars keep the text as written and the token Jackson typed it as (a plain {@code 0x11} is an
 * integer token whose text is still {@code 0x11}; a quoted {@code '12'} is a string), so each field
 * decides what it accepts. Aliases ({@code *name}) are refused: Jackson would hand back the alias
 * name as if it were the value.
 */
public final class YamlTree {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private YamlTree() {}

    /**
     * 1-based line and column, and the file when it is not the document's own: a value a sweep
     * grafts into a scenario tree keeps pointing at the sweep file ({@link ScenarioTree}).
     *
     * @param file null for the file being read; else the file the node was written in
     */
    public record Mark(int line, int column, String file) {
        static final Mark START = new Mark(1, 1);

        public Mark(int line, int column) {
            this(line, column, null);
        }
    }

    public sealed interface Node permits MapNode, ListNode, ScalarNode {
        Mark mark();

        /** How a message names what was found instead of what was expected. */
        String describe();
    }

    /** A key and its value; {@code keyMark} is where the key is written, which unknown-field messages point at. */
    public record Entry(String key, Mark keyMark, Node value) {}

    /** A mapping, in file order; a key written twice is a problem and keeps its first value. */
    public record MapNode(Mark mark, Map<String, Entry> entries) implements Node {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    public record ListNode(Mark mark, List<Node> items) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar: {@code token} is VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE,
     * VALUE_FALSE or VALUE_NULL.
     */
    public record ScalarNode(Mark mark, String text, JsonToken token) implements Node {
        public boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        public boolean isNumber() {
            return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
        }

        public boolean isBoolean() {
            return token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE;
        }

        @Override
        public String describe() {
            return isNull() ? "nothing" : "'" + text + "'";
        }
    }

    /**
     * Parses one document whose every mark names {@code fileName} (a sweep file, whose values are
     * grafted into scenario trees and must keep pointing at it).
     *
     * @throws ScenarioException for a syntax error, a duplicate key, an alias or an empty file
     */
    public static Node parseStamped(String fileName, String text) {
        Problems problems = new Problems(fileName);
        Node root = parse(text, problems, fileName);
        problems.throwIfAny();
        if (root == null) {
            throw new IllegalStateException(fileName + " was not parsed, yet no problem was reported");
        }
        return root;
    }

    static Node parse(String text, Problems problems) {
        return parse(text, problems, null);
    }

    /**
     * Parses one document. Syntax errors, duplicate keys and aliases are added to {@code problems};
     * returns null when there is no usable document (empty file, or a syntax error).
     */
    private static Node parse(String text, Problems problems, String stamp) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                problems.add(Mark.START, "", "the file holds no YAML document");
                return null;
            }
            Node root = read(p, first, "", problems, stamp);
            if (p.nextToken() != null) {
                problems.add(mark(p, stamp), "", "a scenario file holds one YAML document; found a second one here");
            }
            return root;
        } catch (JsonProcessingException e) {
            syntaxError(e, problems);
            return null;
        } catch (IOException e) {
            // Reading from a String: only a parse failure can get here.
            problems.add(Mark.START, "", "cannot parse: " + e.getMessage());
            return null;
        }
    }

    private static Node read(JsonParser p, JsonToken t, String path, Problems problems, String stamp)
            throws IOException {
        Mark at = mark(p, stamp);
        if (t == JsonToken.START_OBJECT) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                Mark keyMark = mark(p, stamp);
                String childPath = path.isEmpty() ? key : path + "." + key;
                Node value = read(p, p.nextToken(), childPath, problems, stamp);
                Entry first = entries.get(key);
                if (first != null) {
                    problems.add(
                            keyMark,
                            childPath,
                            "the key is written twice; the first is at line "
                                    + first.keyMark().line() + ", column "
                                    + first.keyMark().column());
                } else {
                    entries.put(key, new Entry(key, keyMark, value));
                }
            }
            return new MapNode(at, Collections.unmodifiableMap(entries));
        }
        if (t == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                items.add(read(p, t, path + "[" + items.size() + "]", problems, stamp));
            }
            return new ListNode(at, List.copyOf(items));
        }
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            problems.add(at, path, "YAML aliases (*" + p.getText() + ") are not supported; write the value out");
            return new ScalarNode(at, "", JsonToken.VALUE_NULL);
        }
        return new ScalarNode(at, p.getText(), t);
    }

    private static Mark mark(JsonParser p, String stamp) {
        JsonLocation l = p.currentTokenLocation();
        return new Mark(Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()), stamp);
    }

    /**
     * Reports a syntax error at SnakeYAML's problem mark, which points at the offending character
     * (Jackson's own location can lag behind it), with SnakeYAML's wording minus its source excerpt.
     */
    private static void syntaxError(JsonProcessingException e, Problems problems) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                StringBuilder msg = new StringBuilder("YAML syntax error: ").append(oneLine(m.getProblem()));
                if (m.getContext() != null && m.getContextMark() != null) {
                    msg.append(" (")
                            .append(oneLine(m.getContext()))
                            .append(" that starts at line ")
                            .append(m.getContextMark().getLine() + 1)
                            .append(", column ")
                            .append(m.getContextMark().getColumn() + 1)
                            .append(')');
                }
                problems.add(
                        new Mark(
                                m.getProblemMark().getLine() + 1,
                                m.getProblemMark().getColumn() + 1),
                        "",
                        msg.toString());
                return;
            }
        }
        JsonLocation l = e.getLocation();
        Mark at = l == null ? Mark.START : new Mark(Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
        problems.add(at, "", "YAML syntax error: " + oneLine(e.getOriginalMessage()));
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
