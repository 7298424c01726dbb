package dev.pmulab.sim.sweep;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonToken;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.hw.catalog.CpuModel;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.plugin.SelectedPolicy;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioException;
import dev.pmulab.sim.scenario.ScenarioLoader;
import dev.pmulab.sim.scenario.ScenarioPolicies;
import dev.pmulab.sim.scenario.ScenarioProblem;
import dev.pmulab.sim.scenario.ScenarioTree;
import dev.pmulab.sim.scenario.SourcePosition;
import dev.pmulab.sim.scenario.YamlTree.Entry;
import dev.pmulab.sim.scenario.YamlTree.ListNode;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import dev.pmulab.sim.scenario.YamlTree.Mark;
import dev.pmulab.sim.scenario.YamlTree.Node;
import dev.pmulab.sim.scenario.YamlTree.ScalarNode;
import dev.pmulab.sim.worker.RunSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sweep resolved into its points, in a fixed order: the scenario axis outermost, then the other
 * axes as written (the last varies fastest) or the listed points in order, the seed innermost.
 * Every point is checked while planning, so a bad path or value is refused before anything runs,
 * with the sweep file's position and the scenario reader's (or the policy's) own message.
 */
public final class SweepPlan {
    /** Bumped when what a point's hash covers, or the output's layout, changes. */
    static final int FORMAT = 1;

    private final SweepSpec spec;
    private final List<SweepPoint> points;
    private final String specHash;

    private SweepPlan(SweepSpec spec, List<SweepPoint> points) {
        this.spec = spec;
        this.points = List.copyOf(points);
        this.specHash = hash(spec, points);
    }

    /**
     * Reads the sweep file and plans it: built-in scenarios by name, scenario files relative to
     * the sweep file.
     *
     * @throws ScenarioException for any problem in the sweep or in a point's scenario or policies
     */
    public static SweepPlan load(Path sweepFile, PolicyRegistry registry, List<Path> pluginPaths) {
        String text = ScenarioLoader.readText(sweepFile);
        SweepSpec spec = SweepReader.read(sweepFile.toString(), text);
        return of(
                spec,
                registry,
                pluginPaths,
                ScenarioResolver.relativeTo(sweepFile.toAbsolutePath().getParent()));
    }

    /**
     * Plans a sweep file, or a built-in study by name ({@link BuiltInStudies}) when no such file
     * exists: what {@code pmulab sweep SWEEP} and the Spark job accept.
     *
     * @throws IllegalArgumentException when {@code given} is neither
     * @throws ScenarioException for any problem in the sweep or in a point
     */
    public static SweepPlan load(String given, PolicyRegistry registry, List<Path> pluginPaths) {
        Path file = Path.of(given);
        if (BuiltInStudies.names().contains(given) && !java.nio.file.Files.exists(file)) {
            return of(BuiltInStudies.spec(given), registry, pluginPaths, ScenarioResolver.relativeTo(null));
        }
        if (!java.nio.file.Files.exists(file) && !given.endsWith(".yaml") && !given.endsWith(".yml")) {
            throw new IllegalArgumentException("no sweep file or built-in study '" + given
                    + "'; the built-in studies are " + String.join(", ", BuiltInStudies.names()));
        }
        return load(file, registry, pluginPaths);
    }

    /**
     * Plans {@code spec}.
     *
     * @param registry the installed policies: every point's policies and settings are checked against them
     * @param pluginPaths the directories {@code registry} was discovered in (a worker discovers the same)
     * @throws ScenarioException listing every problem of every point, each once
     */
    public static SweepPlan of(
            SweepSpec spec, PolicyRegistry registry, List<Path> pluginPaths, ScenarioResolver resolver) {
        requireNonNull(spec, "spec is null");
        requireNonNull(registry, "registry is null");
        requireNonNull(resolver, "resolver is null");
        List<String> plugins = pluginPaths.stream().map(Path::toString).toList();
        LinkedHashSet<ScenarioProblem> problems = new LinkedHashSet<>();
        List<SweepPoint> points = new ArrayList<>();
        Axis scenarioAxis = spec.axes().stream()
                .filter(a -> a.kind() == AxisKind.SCENARIO)
                .findFirst()
                .orElseThrow();
        for (AxisValue sv : scenarioAxis.values()) {
            Base base;
            try {
                base = base(sv, resolver);
            } catch (ScenarioException e) {
                problems.addAll(e.problems());
                continue;
            } catch (IllegalArgumentException e) {
                Mark m = sv.node().mark();
                problems.add(new ScenarioProblem(
                        m.file() == null ? spec.file() : m.file(), m.line(), m.column(), "scenario", e.getMessage()));
                continue;
            }
            for (List<AxisValue> combination : combinations(spec, base.n())) {
                try {
                    points.add(point(spec, registry, plugins, base, combination, points.size()));
                } catch (ScenarioException e) {
                    problems.addAll(e.problems());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ScenarioException(List.copyOf(problems));
        }
        return new SweepPlan(spec, points);
    }

    /** A scenario as the sweep names it, parsed and validated as it is. */
    private record Base(AxisValue given, RunSpec.ScenarioSource source, ScenarioTree tree, Scenario scenario, int n) {}

    private static Base base(AxisValue given, ScenarioResolver resolver) {
        RunSpec.ScenarioSource source = resolver.resolve(given.text());
        ScenarioTree tree = ScenarioTree.parse(source.fileName(), source.text());
        Scenario scenario = tree.load();
        int n = Integer.MAX_VALUE;
        for (CpuModel cpu : scenario.host().soc().coreTypes()) {
            n = Math.min(n, cpu.n().value());
        }
        return new Base(given, source, tree, scenario, n);
    }

    /**
     * Every combination of the axes other than the scenario, in plan order: each a value per axis
     * of {@code spec.axes()} (null at the scenario axis).
     */
    private static List<List<AxisValue>> combinations(SweepSpec spec, int n) {
        List<Axis> axes = spec.axes();
        List<List<AxisValue>> out = new ArrayList<>();
        if (spec.listed().isEmpty()) {
            List<List<AxisValue>> choices = new ArrayList<>();
            for (Axis a : axes) {
                List<AxisValue> nulls = new ArrayList<>();
                nulls.add(null);
                choices.add(a.kind() == AxisKind.SCENARIO ? nulls : a.valuesFor(n));
            }
            product(choices, 0, new ArrayList<>(), out);
            return out;
        }
        List<Axis> listedAxes = spec.listedAxes();
        List<AxisValue> seeds = new ArrayList<>();
        seeds.add(null);
        for (Axis a : axes) {
            if (a.kind() == AxisKind.SEED) {
                seeds = a.valuesFor(n);
            }
        }
        for (List<AxisValue> listed : spec.listed()) {
            for (AxisValue seed : seeds) {
                List<AxisValue> c = new ArrayList<>();
                for (Axis a : axes) {
                    c.add(
                            switch (a.kind()) {
                                case SCENARIO -> null;
                                case SEED -> seed;
                                default -> listed.get(listedAxes.indexOf(a));
                            });
                }
                out.add(c);
            }
        }
        return out;
    }

    private static void product(
            List<List<AxisValue>> choices, int i, List<AxisValue> prefix, List<List<AxisValue>> out) {
        if (i == choices.size()) {
            out.add(new ArrayList<>(prefix));
            return;
        }
        for (AxisValue v : choices.get(i)) {
            prefix.add(v);
            product(choices, i + 1, prefix, out);
            prefix.remove(prefix.size() - 1);
        }
    }

    private static SweepPoint point(
            SweepSpec spec,
            PolicyRegistry registry,
            List<String> plugins,
            Base base,
            List<AxisValue> values,
            int index) {
        ScenarioTree tree = base.tree();
        List<Axis> axes = spec.axes();
        boolean policyAxes = axes.stream().anyMatch(a -> a.kind() == AxisKind.POLICY_SETTING);
        if (!spec.policies().isEmpty() || policyAxes) {
            tree = tree.with("policies.allocation", allocation(spec, registry, tree), mark(spec.policiesAt()));
        }
        long seed = base.scenario().seed();
        Map<String, String> shown = new LinkedHashMap<>();
        for (int i = 0; i < axes.size(); i++) {
            Axis a = axes.get(i);
            AxisValue v = values.get(i);
            if (a.kind() == AxisKind.SCENARIO) {
                shown.put(a.path(), base.scenario().name());
                continue;
            }
            shown.put(a.path(), v.text());
            switch (a.kind()) {
                case SEED -> seed = Long.parseLong(v.text());
                case SCENARIO_VALUE -> // A key the tree lacks is reported where the sweep writes the path.
                    tree = tree.with(a.path(), v.node(), mark(a.declaredAt()));
                case POLICY_SETTING -> tree = setting(tree, a, v);
                default -> throw new IllegalStateException("unhandled axis kind " + a.kind());
            }
        }
        Scenario scenario = tree.load();
        ScenarioPolicies chosen = ScenarioPolicies.select(scenario, registry);
        List<String> labels =
                chosen.allocation().stream().map(SelectedPolicy::label).toList();
        return new SweepPoint(index, shown, scenario.name(), tree.fileName(), tree.text(), labels, seed, plugins);
    }

    /**
     * The compared allocation policies as a {@code policies.allocation} list: the sweep's (each
     * with the scenario's settings when the scenario configures it), else the scenario's, else
     * every installed one.
     */
    private static Node allocation(SweepSpec spec, PolicyRegistry registry, ScenarioTree tree) {
        Mark at = mark(spec.policiesAt());
        List<Node> current = new ArrayList<>();
        Optional<Node> written = tree.get("policies.allocation");
        if (written.isPresent()) {
            if (written.get() instanceof ListNode l) {
                current.addAll(l.items());
            } else {
                current.add(written.get());
            }
        }
        List<String> names = spec.policies();
        if (names.isEmpty()) {
            if (!current.isEmpty()) {
                return new ListNode(at, current);
            }
            names = registry.namesOf(PolicyKind.ALLOCATION);
        }
        List<Node> out = new ArrayList<>();
        for (String name : names) {
            Node configured = null;
            for (Node c : current) {
                if (name.equals(nameOf(c))) {
                    configured = c;
                }
            }
            out.add(configured != null ? configured : new ScalarNode(at, name, JsonToken.VALUE_STRING));
        }
        return new ListNode(at, out);
    }

    private static String nameOf(Node policy) {
        if (policy instanceof ScalarNode s) {
            return s.text();
        }
        if (policy instanceof MapNode m && m.entries().get("name") != null) {
            return nameOf(m.entries().get("name").value());
        }
        return null;
    }

    /** Sets {@code axis}'s setting on the policy it names (or on every compared one, for {@code *}). */
    private static ScenarioTree setting(ScenarioTree tree, Axis axis, AxisValue value) {
        int dot = axis.path().lastIndexOf('.');
        String policy = axis.path().substring(0, dot);
        String setting = axis.path().substring(dot + 1);
        ListNode list = (ListNode) tree.get("policies.allocation").orElseThrow();
        List<Node> items = new ArrayList<>(list.items());
        Mark at = value.node().mark();
        boolean found = false;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String name = nameOf(items.get(i));
            names.add(name);
            if (!policy.equals("*") && !policy.equals(name)) {
                continue;
            }
            found = true;
            Map<String, Entry> entries = new LinkedHashMap<>();
            Map<String, Entry> settings = new LinkedHashMap<>();
            if (items.get(i) instanceof MapNode m) {
                entries.putAll(m.entries());
                if (m.entries().get("settings") != null
                        && m.entries().get("settings").value() instanceof MapNode s) {
                    settings.putAll(s.entries());
                }
            } else {
                entries.put("name", new Entry("name", at, items.get(i)));
            }
            settings.put(setting, new Entry(setting, at, value.node()));
            entries.put("settings", new Entry("settings", at, new MapNode(at, settings)));
            // The entry's mark is the axis value's: a setting the policy refuses is reported there.
            items.set(i, new MapNode(at, entries));
        }
        if (!found) {
            SourcePosition d = axis.declaredAt();
            throw new ScenarioException(List.of(new ScenarioProblem(
                    d.file(),
                    d.line(),
                    d.column(),
                    axis.path(),
                    "policy '" + policy + "' is not compared in this sweep; it compares " + String.join(", ", names)
                            + " (policies: names them)")));
        }
        return tree.with("policies.allocation", new ListNode(list.mark(), items), at);
    }

    private static Mark mark(SourcePosition p) {
        return new Mark(p.line(), p.column(), p.file());
    }

    /** The sweep as written. */
    public SweepSpec spec() {
        return spec;
    }

    /** Every point, in plan order (index 0, 1, ...). */
    public List<SweepPoint> points() {
        return points;
    }

    /** The points of shard {@code shard} of {@code shards} (index mod shards), in plan order. */
    public List<SweepPoint> shard(int shard, int shards) {
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("a shard is i/n with 0 <= i < n, not " + shard + "/" + shards);
        }
        return points.stream().filter(p -> p.inShard(shard, shards)).toList();
    }

    /**
     * A hash of everything that decides the results (every point's axis values, scenario text,
     * seed and policies), hex: a resumed run or a merged part must have the same.
     */
    public String specHash() {
        return specHash;
    }

    /** The header the output of this plan starts with. */
    public SweepHeader header() {
        return new SweepHeader(
                spec.name(),
                spec.description(),
                specHash,
                points.size(),
                spec.columns().stream().map(Axis::path).toList(),
                spec.tradeoff().orElse(null));
    }

    private static String hash(SweepSpec spec, List<SweepPoint> points) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        StringBuilder sb = new StringBuilder("pmulab-sweep ").append(FORMAT).append('\n');
        sb.append(spec.name()).append('\n');
        for (SweepPoint p : points) {
            sb.append(p.index())
                    .append('\t')
                    .append(p.axes())
                    .append('\t')
                    .append(p.seed())
                    .append('\t');
            sb.append(p.policies()).append('\t').append(p.pluginPaths()).append('\t');
            sb.append(p.scenarioFile()).append('\t').append(p.scenarioText()).append('\u0000');
        }
        d.update(sb.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d.digest()).substring(0, 16);
    }

    /** A point's scenario as it is: for a caller (a worker) that loads it. */
    static RunSpec.ScenarioSource source(SweepPoint p) {
        return new RunSpec.ScenarioSource(p.scenarioFile(), p.scenarioText());
    }
}
