package dev.pmulab.sim.sweep;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonToken;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.scenario.ScenarioException;
import dev.pmulab.sim.scenario.ScenarioLoader;
import dev.pmulab.sim.scenario.ScenarioProblem;
import dev.pmulab.sim.scenario.ScenarioTree;
import dev.pmulab.sim.scenario.SourcePosition;
import dev.pmulab.sim.scenario.YamlTree;
import dev.pmulab.sim.scenario.YamlTree.Entry;
import dev.pmulab.sim.scenario.YamlTree.ListNode;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import dev.pmulab.sim.scenario.YamlTree.Mark;
import dev.pmulab.sim.scenario.YamlTree.Node;
import dev.pmulab.sim.scenario.YamlTree.ScalarNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a sweep file (docs/sweeps.md) or {@code --vary} arguments into a {@link SweepSpec},
 * strictly: every key known, every value of the right shape, each problem at
 * {@code file:line:column}. Whether a path exists in a scenario, or a value suits it, is the
 * scenario reader's to say when {@link SweepPlan} grafts the value in.
 */
public final class SweepReader {
    /** The keys of a sweep file. */
    public static final List<String> KEYS =
            List.of("name", "description", "scenarios", "policies", "seeds", "vary", "points", "report");

    private static final List<String> REPORT_KEYS = List.of("tradeoff");
    private static final List<String> TRADEOFF_KEYS = List.of("x", "y");
    private static final Pattern RANGE = Pattern.compile("(-?\\d{1,9})\\.\\.(?:(-?\\d{1,9})|N(?:-(\\d{1,3}))?)");
    private static final Pattern POLICY_SETTING =
            Pattern.compile("(\\*|[A-Za-z0-9][A-Za-z0-9_.-]*?)\\.([A-Za-z_][A-Za-z0-9_]*)");
    /** Cross products above this many points are refused: a typo in a range, not a study. */
    public static final int MAX_POINTS = 100_000;

    private final String file;
    private final List<ScenarioProblem> problems = new ArrayList<>();

    private SweepReader(String file) {
        this.file = file;
    }

    /**
     * Reads the sweep file {@code fileName} whose text is {@code text}.
     *
     * @throws ScenarioException listing every problem, each at the sweep file's line and column
     */
    public static SweepSpec read(String fileName, String text) {
        requireNonNull(fileName, "fileName is null");
        requireNonNull(text, "text is null");
        Node root = YamlTree.parseStamped(fileName, text);
        SweepReader r = new SweepReader(fileName);
        SweepSpec spec = r.readFile(root, ScenarioLoader.defaultName(fileName)); // named as a scenario is
        r.throwIfAny();
        return spec;
    }

    /**
     * A sweep from the command line: {@code vary} holds {@code PATH=VALUES} arguments, each VALUES
     * a comma-separated list ({@code 1000,4000}), a range ({@code 0..5}, {@code 0..N-1}) or a YAML
     * flow list ({@code [0,1],[2,3]}). {@code scenario=...} and {@code seed=...} set those axes;
     * without a scenario axis the sweep runs {@code defaultScenario}.
     *
     * @param policies the allocation policies to compare; empty: each scenario's own
     * @throws ScenarioException naming the argument ({@code --vary 2}) and the column in it
     */
    public static SweepSpec fromArguments(
            String name, List<String> vary, List<String> policies, String defaultScenario) {
        requireNonNull(vary, "vary is null");
        requireNonNull(policies, "policies is null");
        requireNonNull(defaultScenario, "defaultScenario is null");
        SweepReader r = new SweepReader("--vary");
        List<Axis> axes = new ArrayList<>();
        for (int i = 0; i < vary.size(); i++) {
            String arg = vary.get(i);
            String argFile = "--vary " + (i + 1);
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                r.problems.add(new ScenarioProblem(
                        argFile,
                        1,
                        1,
                        "",
                        "'" + arg + "' is not PATH=VALUES (as static-hpmn.reserved_host_counters=0..5)"));
                continue;
            }
            String path = arg.substring(0, eq).strip();
            String values = arg.substring(eq + 1);
            // The values as a YAML flow list, padded so each value's column is its column in the argument.
            String yaml = " ".repeat(eq) + "[" + values + "]";
            Node node;
            try {
                node = YamlTree.parseStamped(argFile, yaml);
            } catch (ScenarioException e) {
                r.problems.addAll(e.problems());
                continue;
            }
            Axis a = r.axis(path, new Mark(1, 1, argFile), node);
            if (a != null) {
                axes.add(a);
            }
        }
        Mark start = new Mark(1, 1, "--policies");
        SourcePosition policiesAt = new SourcePosition("--policies", 0, 0, "");
        r.checkDistinct(axes);
        if (axes.stream().noneMatch(a -> a.kind() == AxisKind.SCENARIO)) {
            axes.add(0, r.single("scenario", AxisKind.SCENARIO, defaultScenario, start));
        }
        r.throwIfAny();
        return new SweepSpec(name, "", "--vary", policies, policiesAt, axes, List.of(), Optional.empty());
    }

    private SweepSpec readFile(Node root, String defaultName) {
        if (!(root instanceof MapNode top)) {
            problem(root.mark(), "", "a sweep file is a mapping with the keys " + String.join(", ", KEYS));
            return null;
        }
        for (Entry e : top.entries().values()) {
            if (!KEYS.contains(e.key())) {
                problem(e.keyMark(), e.key(), "unknown key; a sweep file knows " + String.join(", ", KEYS));
            }
        }
        String name = string(top, "name").orElse(defaultName);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            problem(
                    at(top, "name"),
                    "name",
                    "a name is letters, digits, '-', '_' and '.', up to 64, not '" + name + "'");
        }
        String description = string(top, "description").orElse("");
        List<String> policies = new ArrayList<>();
        SourcePosition policiesAt = new SourcePosition(file, 0, 0, "policies");
        Entry pe = top.entries().get("policies");
        if (pe != null) {
            policiesAt = position(pe.value().mark(), "policies");
            if (pe.value() instanceof ListNode l && !l.items().isEmpty()) {
                for (int i = 0; i < l.items().size(); i++) {
                    Node item = l.items().get(i);
                    if (item instanceof ScalarNode s && s.token() == JsonToken.VALUE_STRING) {
                        if (policies.contains(s.text())) {
                            problem(item.mark(), "policies[" + i + "]", "'" + s.text() + "' is listed twice");
                        }
                        policies.add(s.text());
                    } else {
                        problem(
                                item.mark(),
                                "policies[" + i + "]",
                                "a policy name, not " + item.describe()
                                        + " (settings are axes: POLICY.SETTING under vary)");
                    }
                }
            } else {
                problem(
                        pe.value().mark(),
                        "policies",
                        "a list of allocation policy names, not " + pe.value().describe());
            }
        }
        List<Axis> axes = new ArrayList<>();
        Entry se = top.entries().get("scenarios");
        if (se == null) {
            problem(top.mark(), "scenarios", "a sweep names its scenarios: a built-in name, a file, or a list of them");
        } else {
            Axis a = axis("scenario", se.keyMark(), se.value());
            if (a != null) {
                axes.add(a);
            }
        }
        Entry vary = top.entries().get("vary");
        Entry points = top.entries().get("points");
        List<List<AxisValue>> listed = new ArrayList<>();
        if (vary != null && points != null) {
            problem(points.keyMark(), "points", "give vary (a cross product) or points (listed points), not both");
        } else if (vary != null) {
            if (vary.value() instanceof MapNode m) {
                for (Entry e : m.entries().values()) {
                    Axis a = axis(e.key(), e.keyMark(), e.value());
                    if (a != null) {
                        if (a.kind() == AxisKind.SCENARIO || a.kind() == AxisKind.SEED) {
                            problem(e.keyMark(), "vary." + e.key(), "set " + e.key() + "s at the top level");
                        } else {
                            axes.add(a);
                        }
                    }
                }
            } else {
                problem(
                        vary.value().mark(),
                        "vary",
                        "a mapping of PATH: values, not " + vary.value().describe());
            }
        } else if (points != null) {
            axes.addAll(listedPoints(points.value(), listed));
        }
        Entry seeds = top.entries().get("seeds");
        if (seeds != null) {
            Axis a = axis("seed", seeds.keyMark(), seeds.value());
            if (a != null) {
                axes.add(a);
            }
        }
        checkDistinct(axes);
        Optional<Tradeoff> tradeoff = report(top.entries().get("report"));
        if (!problems.isEmpty()) {
            return null;
        }
        long count = 1;
        for (Axis a : axes) {
            if (a.kind() != AxisKind.SCENARIO_VALUE && a.kind() != AxisKind.POLICY_SETTING || listed.isEmpty()) {
                count *= a.toN().isPresent() ? 32 : a.values().size();
            }
            if (count > MAX_POINTS) {
                problem(top.mark(), "vary", "the sweep has over " + MAX_POINTS + " points; split it");
                return null;
            }
        }
        return new SweepSpec(name, description, file, policies, policiesAt, axes, listed, tradeoff);
    }

    private List<Axis> listedPoints(Node node, List<List<AxisValue>> listed) {
        if (!(node instanceof ListNode l) || l.items().isEmpty()) {
            problem(node.mark(), "points", "a list of points, each a mapping of PATH: value");
            return List.of();
        }
        List<String> paths = null;
        Mark first = null;
        Map<String, Mark> marks = new LinkedHashMap<>();
        Map<String, LinkedHashSet<String>> seen = new LinkedHashMap<>();
        Map<String, List<AxisValue>> distinct = new LinkedHashMap<>();
        for (int i = 0; i < l.items().size(); i++) {
            Node item = l.items().get(i);
            String p = "points[" + i + "]";
            if (!(item instanceof MapNode m) || m.entries().isEmpty()) {
                problem(item.mark(), p, "a point is a mapping of PATH: value, not " + item.describe());
                continue;
            }
            List<String> keys = List.copyOf(m.entries().keySet());
            if (paths == null) {
                paths = keys;
                first = item.mark();
                for (Entry e : m.entries().values()) {
                    marks.put(e.key(), e.keyMark());
                }
            } else if (!Set.copyOf(keys).equals(Set.copyOf(paths))) {
                problem(
                        item.mark(),
                        p,
                        "every point sets the same paths as the first (line " + first.line() + "): "
                                + String.join(", ", paths));
                continue;
            }
            List<AxisValue> values = new ArrayList<>();
            for (String key : paths) {
                Node v = m.entries().get(key).value();
                if (v instanceof ScalarNode s && s.isNull()) {
                    problem(v.mark(), p + "." + key, "a value, not nothing");
                }
                AxisValue av = new AxisValue(text(v), v);
                values.add(av);
                if (seen.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(av.text())) {
                    distinct.computeIfAbsent(key, k -> new ArrayList<>()).add(av);
                }
            }
            listed.add(values);
        }
        List<Axis> axes = new ArrayList<>();
        if (paths == null) {
            return axes;
        }
        for (String key : paths) {
            AxisKind kind = kindOf(key, marks.get(key), "points." + key);
            if (kind == AxisKind.SCENARIO || kind == AxisKind.SEED) {
                problem(marks.get(key), "points." + key, "set " + key + "s at the top level; points set other paths");
                continue;
            }
            if (kind != null && distinct.containsKey(key)) {
                axes.add(new Axis(key, kind, distinct.get(key), Optional.empty(), position(marks.get(key), key)));
            }
        }
        return axes;
    }

    private Optional<Tradeoff> report(Entry e) {
        if (e == null) {
            return Optional.empty();
        }
        if (!(e.value() instanceof MapNode m)) {
            problem(e.value().mark(), "report", "a mapping with " + String.join(", ", REPORT_KEYS));
            return Optional.empty();
        }
        for (Entry k : m.entries().values()) {
            if (!REPORT_KEYS.contains(k.key())) {
                problem(
                        k.keyMark(),
                        "report." + k.key(),
                        "unknown key; report knows " + String.join(", ", REPORT_KEYS));
            }
        }
        Entry t = m.entries().get("tradeoff");
        if (t == null) {
            return Optional.empty();
        }
        if (!(t.value() instanceof MapNode tm)) {
            problem(t.value().mark(), "report.tradeoff", "a mapping {x: METRIC, y: METRIC}");
            return Optional.empty();
        }
        for (Entry k : tm.entries().values()) {
            if (!TRADEOFF_KEYS.contains(k.key())) {
                problem(k.keyMark(), "report.tradeoff." + k.key(), "unknown key; a trade-off has x and y");
            }
        }
        String x = metric(tm, "x");
        String y = metric(tm, "y");
        return x == null || y == null ? Optional.empty() : Optional.of(new Tradeoff(x, y));
    }

    private String metric(MapNode m, String key) {
        Entry e = m.entries().get(key);
        if (e == null) {
            problem(m.mark(), "report.tradeoff." + key, "missing: a metric key (docs/metrics.md)");
            return null;
        }
        String k = e.value() instanceof ScalarNode s ? s.text() : "";
        if (Metric.byKey(k).isEmpty()) {
            problem(
                    e.value().mark(),
                    "report.tradeoff." + key,
                    "unknown metric '" + k + "'; known: "
                            + String.join(
                                    ", ", Metric.all().stream().map(Metric::key).toList()));
            return null;
        }
        return k;
    }

    /** The axis {@code path} with the values {@code node} gives, or null after a problem. */
    private Axis axis(String path, Mark keyMark, Node node) {
        AxisKind kind = kindOf(path, keyMark, path);
        if (kind == null) {
            return null;
        }
        SourcePosition at = position(keyMark, path);
        List<AxisValue> values = new ArrayList<>();
        List<Node> items = node instanceof ListNode l ? l.items() : List.of(node);
        if (node instanceof MapNode) {
            problem(node.mark(), path, "a list of values, a range (0..5, 0..N-1) or one value, not a mapping");
            return null;
        }
        if (items.isEmpty()) {
            problem(node.mark(), path, "lists no value");
            return null;
        }
        Optional<Axis.CounterRange> toN = Optional.empty();
        for (Node item : items) {
            if (item instanceof ScalarNode s && s.token() == JsonToken.VALUE_STRING) {
                Matcher r = RANGE.matcher(s.text().strip());
                if (r.matches()) {
                    long from = Long.parseLong(r.group(1));
                    if (r.group(2) != null) {
                        if (kind != AxisKind.SEED
                                && kind != AxisKind.POLICY_SETTING
                                && kind != AxisKind.SCENARIO_VALUE) {
                            problem(item.mark(), path, "a range of numbers does not name scenarios");
                            return null;
                        }
                        long to = Long.parseLong(r.group(2));
                        if (to < from) {
                            problem(item.mark(), path, "the range " + s.text() + " ends before it starts");
                            return null;
                        }
                        if (to - from >= MAX_POINTS) {
                            problem(item.mark(), path, "the range " + s.text() + " has over " + MAX_POINTS + " values");
                            return null;
                        }
                        for (long v = from; v <= to; v++) {
                            String t = Long.toString(v);
                            values.add(new AxisValue(t, new ScalarNode(item.mark(), t, JsonToken.VALUE_NUMBER_INT)));
                        }
                    } else {
                        if (items.size() > 1 || kind == AxisKind.SCENARIO || kind == AxisKind.SEED) {
                            problem(
                                    item.mark(),
                                    path,
                                    "a range to N (the host's event counters) stands alone, "
                                            + "on a policy setting or a scenario value");
                            return null;
                        }
                        long below = r.group(3) == null ? 0 : Long.parseLong(r.group(3));
                        toN = Optional.of(new Axis.CounterRange(from, below, item.mark()));
                    }
                    continue;
                }
            }
            if (item instanceof ScalarNode s && s.isNull()) {
                problem(item.mark(), path, "a value, not nothing");
                continue;
            }
            if (kind == AxisKind.SCENARIO && !(item instanceof ScalarNode s && s.token() == JsonToken.VALUE_STRING)) {
                problem(item.mark(), path, "a scenario is a built-in name or a file, not " + item.describe());
                continue;
            }
            if (kind == AxisKind.SEED
                    && !(item instanceof ScalarNode s
                            && s.token() == JsonToken.VALUE_NUMBER_INT
                            && s.text().matches("-?\\d{1,18}"))) {
                problem(item.mark(), path, "a seed is a whole number, not " + item.describe());
                continue;
            }
            values.add(new AxisValue(text(item), item));
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (AxisValue v : values) {
            if (!distinct.add(v.text())) {
                problem(v.node().mark(), path, "the value " + v.text() + " is listed twice");
            }
        }
        if (toN.isEmpty() && values.isEmpty()) {
            return null;
        }
        return new Axis(path, kind, values, toN, at);
    }

    private Axis single(String path, AxisKind kind, String value, Mark at) {
        return new Axis(
                path,
                kind,
                List.of(new AxisValue(value, new ScalarNode(at, value, JsonToken.VALUE_STRING))),
                Optional.empty(),
                position(at, path));
    }

    /**
     * What {@code path} addresses: {@code scenario}, {@code seed}, a scenario value (its first key
     * is a scenario file's top-level key) or {@code POLICY.SETTING}; null after a problem.
     */
    AxisKind kindOf(String path, Mark at, String where) {
        if (path.equals("scenario")) {
            return AxisKind.SCENARIO;
        }
        if (path.equals("seed")) {
            return AxisKind.SEED;
        }
        try {
            ScenarioTree.checkPath(path);
        } catch (IllegalArgumentException e) {
            problem(at, where, e.getMessage());
            return null;
        }
        if (ScenarioTree.TOP_KEYS.contains(ScenarioTree.firstKey(path))) {
            return AxisKind.SCENARIO_VALUE;
        }
        if (POLICY_SETTING.matcher(path).matches()) {
            return AxisKind.POLICY_SETTING;
        }
        problem(
                at,
                where,
                "'" + path + "' is neither scenario, seed, a scenario path (starting with "
                        + String.join(", ", ScenarioTree.TOP_KEYS) + ") nor POLICY.SETTING (or *.SETTING)");
        return null;
    }

    private void checkDistinct(List<Axis> axes) {
        Set<String> paths = new LinkedHashSet<>();
        for (Axis a : axes) {
            if (!paths.add(a.path())) {
                problem(a.declaredAt(), a.path(), "the path is an axis twice");
            }
        }
    }

    private void problem(SourcePosition at, String path, String message) {
        problems.add(new ScenarioProblem(at.file(), at.line(), at.column(), path, message));
    }

    private Optional<String> string(MapNode top, String key) {
        Entry e = top.entries().get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (e.value() instanceof ScalarNode s && !s.isNull()) {
            return Optional.of(s.text());
        }
        problem(e.value().mark(), key, "a string, not " + e.value().describe());
        return Optional.empty();
    }

    private static Mark at(MapNode top, String key) {
        return top.entries().get(key).value().mark();
    }

    private void problem(Mark at, String path, String message) {
        problems.add(new ScenarioProblem(at.file() == null ? file : at.file(), at.line(), at.column(), path, message));
    }

    private SourcePosition position(Mark at, String path) {
        return new SourcePosition(at.file() == null ? file : at.file(), at.line(), at.column(), path);
    }

    private void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
    }

    /** How a column shows a value: a scalar's text, else its flow YAML. */
    static String text(Node n) {
        return n instanceof ScalarNode s ? s.text() : ScenarioTree.flow(n);
    }
}
