package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.pmulab.sim.scenario.YamlTree.Entry;
import dev.pmulab.sim.scenario.YamlTree.ListNode;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import dev.pmulab.sim.scenario.YamlTree.Mark;
import dev.pmulab.sim.scenario.YamlTree.Node;
import dev.pmulab.sim.scenario.YamlTree.ScalarNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scenario as its parsed YAML tree, before the scenario reader validates it, so a sweep can set
 * a value by path ({@code vms[0].pmu_usage[1].frequency}) and let the reader judge the result: an
 * unknown field or a bad value is refused with the reader's own message, at the line and column of
 * the sweep file the value came from (its nodes' marks name that file). Immutable: {@link #with}
 * returns a new tree.
 */
public final class ScenarioTree {
    /** The top-level keys of a scenario file: a sweep path starting with one addresses the scenario. */
    public static final List<String> TOP_KEYS = ScenarioReader.TOP_KEYS;

    private final String fileName;
    private final String originalText;
    private final Node root;
    private final boolean changed;

    private ScenarioTree(String fileName, String originalText, Node root, boolean changed) {
        this.fileName = fileName;
        this.originalText = originalText;
        this.root = root;
        this.changed = changed;
    }

    /**
     * Parses a scenario's text; {@code fileName} is what messages call it.
     *
     * @throws ScenarioException for a YAML syntax error, a duplicate key, an alias or an empty file
     */
    public static ScenarioTree parse(String fileName, String text) {
        requireNonNull(fileName, "fileName is null");
        requireNonNull(text, "text is null");
        Problems problems = new Problems(fileName);
        Node root = YamlTree.parse(text, problems);
        problems.throwIfAny();
        if (root == null) {
            throw new IllegalStateException(fileName + " was not parsed, yet no problem was reported");
        }
        return new ScenarioTree(fileName, text, root, false);
    }

    public String fileName() {
        return fileName;
    }

    public Node root() {
        return root;
    }

    /**
     * The scenario's text: the file as written when nothing was set, else the tree as flow YAML
     * (JSON-like), which parses back to the same tree, scalar tokens included, positions aside.
     */
    public String text() {
        if (!changed) {
            return originalText;
        }
        StringBuilder sb = new StringBuilder();
        write(root, sb);
        return sb.append('\n').toString();
    }

    /**
     * Validates the tree with the scenario reader.
     *
     * @throws ScenarioException listing every problem; a grafted value's problem names the file it came from
     */
    public Scenario load() {
        return ScenarioLoader.read(fileName, root);
    }

    /** The node at {@code path}, if the tree has one there. */
    public Optional<Node> get(String path) {
        Node n = root;
        for (Step s : Step.parse(path)) {
            if (s.key() != null) {
                if (!(n instanceof MapNode m) || !m.entries().containsKey(s.key())) {
                    return Optional.empty();
                }
                n = m.entries().get(s.key()).value();
            } else {
                if (!(n instanceof ListNode l) || s.index() >= l.items().size()) {
                    return Optional.empty();
                }
                n = l.items().get(s.index());
            }
        }
        return Optional.of(n);
    }

    /**
     * The tree with {@code value} at {@code path}. Missing mapping keys on the way are added (the
     * reader then says whether the scenario knows them); a list index must exist.
     *
     * @param where where the path is written, for a path that cannot be followed
     * @throws ScenarioException when the path runs into a scalar, indexes a non-list or runs past a list's end
     */
    public ScenarioTree with(String path, Node value, Mark where) {
        requireNonNull(value, "value is null");
        requireNonNull(where, "where is null");
        List<Step> steps = Step.parse(path);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("an empty path");
        }
        return new ScenarioTree(fileName, originalText, set(root, steps, 0, value, where, path), true);
    }

    private Node set(Node at, List<Step> steps, int i, Node value, Mark where, String path) {
        if (i == steps.size()) {
            return value;
        }
        Step s = steps.get(i);
        String sofar = Step.join(steps.subList(0, i + 1));
        if (s.key() != null) {
            if (at == null) {
                at = new MapNode(where, Map.of());
            }
            if (!(at instanceof MapNode m)) {
                throw problem(
                        where,
                        path,
                        Step.join(steps.subList(0, i)) + " is " + at.describe() + " in " + fileName
                                + ", not a mapping");
            }
            Map<String, Entry> entries = new LinkedHashMap<>(m.entries());
            Entry old = entries.get(s.key());
            Node child = set(old == null ? null : old.value(), steps, i + 1, value, where, path);
            entries.put(s.key(), new Entry(s.key(), old == null ? where : old.keyMark(), child));
            return new MapNode(m.mark(), Collections.unmodifiableMap(entries));
        }
        if (!(at instanceof ListNode l)) {
            throw problem(
                    where,
                    path,
                    sofar + ": " + Step.join(steps.subList(0, i)) + " is "
                            + (at == null ? "not written" : at.describe()) + " in " + fileName + ", not a list");
        }
        if (s.index() >= l.items().size()) {
            throw problem(
                    where,
                    path,
                    sofar + ": " + Step.join(steps.subList(0, i)) + " has "
                            + l.items().size() + " items in " + fileName);
        }
        List<Node> items = new ArrayList<>(l.items());
        items.set(s.index(), set(items.get(s.index()), steps, i + 1, value, where, path));
        return new ListNode(l.mark(), List.copyOf(items));
    }

    private static ScenarioException problem(Mark where, String path, String message) {
        return new ScenarioException(List.of(new ScenarioProblem(
                where.file() == null ? "" : where.file(), where.line(), where.column(), path, message)));
    }

    /** One step of a path: a key, or a list index. */
    private record Step(String key, int index) {
        static List<Step> parse(String path) {
            List<Step> out = new ArrayList<>();
            int i = 0;
            int n = path.length();
            while (i < n) {
                if (path.charAt(i) == '[') {
                    int close = path.indexOf(']', i);
                    if (close < 0) {
                        throw new IllegalArgumentException("'" + path + "': a '[' without its ']'");
                    }
                    String digits = path.substring(i + 1, close);
                    if (!digits.matches("\\d{1,6}")) {
                        throw new IllegalArgumentException(
                                "'" + path + "': a list index is a whole number, not '" + digits + "'");
                    }
                    out.add(new Step(null, Integer.parseInt(digits)));
                    i = close + 1;
                    if (i < n && path.charAt(i) == '.') {
                        i++;
                        if (i == n) {
                            throw new IllegalArgumentException("'" + path + "' ends with '.'");
                        }
                    }
                    continue;
                }
                int end = i;
                while (end < n && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                if (end == i) {
                    throw new IllegalArgumentException("'" + path + "' has an empty key at character " + (i + 1));
                }
                out.add(new Step(path.substring(i, end), -1));
                i = end;
                if (i < n && path.charAt(i) == '.') {
                    i++;
                    if (i == n) {
                        throw new IllegalArgumentException("'" + path + "' ends with '.'");
                    }
                }
            }
            return out;
        }

        static String join(List<Step> steps) {
            StringBuilder sb = new StringBuilder();
            for (Step s : steps) {
                if (s.key() != null) {
                    if (sb.length() > 0) {
                        sb.append('.');
                    }
                    sb.append(s.key());
                } else {
                    sb.append('[').append(s.index()).append(']');
                }
            }
            return sb.toString();
        }
    }

    /** Checks that {@code path} is a well-formed path ({@code a.b[0].c}); the message says what is wrong. */
    public static void checkPath(String path) {
        if (Step.parse(path).isEmpty()) {
            throw new IllegalArgumentException("an empty path");
        }
    }

    /** The first key of {@code path}: the top-level field it addresses. */
    public static String firstKey(String path) {
        List<Step> steps = Step.parse(path);
        return steps.isEmpty()
                ? ""
                : steps.get(0).key() == null ? "" : steps.get(0).key();
    }

    /** A node as flow YAML: strings double-quoted, other scalars as written, so each reparses to its token. */
    public static String flow(Node n) {
        StringBuilder sb = new StringBuilder();
        write(n, sb);
        return sb.toString();
    }

    private static void write(Node n, StringBuilder sb) {
        if (n instanceof MapNode m) {
            sb.append('{');
            String sep = "";
            for (Entry e : m.entries().values()) {
                sb.append(sep);
                quote(e.key(), sb);
                sb.append(": ");
                write(e.value(), sb);
                sep = ", ";
            }
            sb.append('}');
        } else if (n instanceof ListNode l) {
            sb.append('[');
            String sep = "";
            for (Node item : l.items()) {
                sb.append(sep);
                write(item, sb);
                sep = ", ";
            }
            sb.append(']');
        } else if (n instanceof ScalarNode s) {
            if (s.isNull()) {
                sb.append("null");
            } else if (s.token() == JsonToken.VALUE_STRING) {
                quote(s.text(), sb);
            } else {
                sb.append(s.text());
            }
        }
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        sb.append(JsonStringEncoder.getInstance().quoteAsString(s));
        sb.append('"');
    }
}
