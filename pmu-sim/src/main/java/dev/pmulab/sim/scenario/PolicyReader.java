package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonToken;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.scenario.FieldReader.Fields;
import dev.pmulab.sim.scenario.YamlTree.Entry;
import dev.pmulab.sim.scenario.YamlTree.ListNode;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import dev.pmulab.sim.scenario.YamlTree.Mark;
import dev.pmulab.sim.scenario.YamlTree.Node;
import dev.pmulab.sim.scenario.YamlTree.ScalarNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code policies} section: the allocation policies to compare, the selection and the filter
 * policy, each a name or {@code {name, settings}}. Settings keep their YAML types here; names and
 * settings are resolved against the installed policies by {@link ScenarioPolicies#select} when a
 * run is about to start, so a scenario is validated without the plugins.
 */
final class PolicyReader {
    /** The keys of {@code policies}: the extension points, in {@link PolicyKind} spelling. */
    static final List<String> KIND_KEYS = List.of("allocation", "selection", "filter");
    /** The keys of one policy written as a mapping. */
    static final List<String> POLICY_KEYS = List.of("name", "settings");

    private final FieldReader in;

    PolicyReader(FieldReader in) {
        this.in = requireNonNull(in, "in is null");
    }

    /** The policies, or null after a problem in the section's shape. */
    Policies read(Node node, String path) {
        MapNode m = in.map(node, path);
        if (m == null) {
            return null;
        }
        for (Entry e : m.entries().values()) {
            if (!KIND_KEYS.contains(e.key())) {
                in.problem(
                        e.keyMark(),
                        path + "." + e.key(),
                        "unknown policy kind '" + e.key() + "'; known: " + String.join(", ", KIND_KEYS));
            }
        }
        List<PolicyChoice> allocation = new ArrayList<>();
        Entry a = m.entries().get(PolicyKind.ALLOCATION.configName());
        if (a != null) {
            String p = path + "." + PolicyKind.ALLOCATION.configName();
            if (a.value() instanceof ListNode l) {
                allocation.addAll(allocations(l, p));
            } else {
                PolicyChoice c = choice(a.value(), p, PolicyKind.ALLOCATION);
                if (c != null) {
                    allocation.add(c);
                }
            }
        }
        Optional<PolicyChoice> selection = single(m, path, PolicyKind.SELECTION);
        Optional<PolicyChoice> filter = single(m, path, PolicyKind.FILTER);
        return new Policies(allocation, selection, filter);
    }

    /** A list of allocation policies: each once (the same name with the same settings twice is a mistake). */
    private List<PolicyChoice> allocations(ListNode l, String p) {
        if (l.items().isEmpty()) {
            in.problem(l.mark(), p, "lists no policy; leave allocation out to compare every installed one");
        }
        List<PolicyChoice> out = new ArrayList<>();
        Map<PolicyChoice, Mark> seen = new LinkedHashMap<>();
        for (int i = 0; i < l.items().size(); i++) {
            PolicyChoice c = choice(l.items().get(i), p + "[" + i + "]", PolicyKind.ALLOCATION);
            if (c == null) {
                continue;
            }
            PolicyChoice key =
                    new PolicyChoice(c.kind(), c.name(), c.rawSettings(), new SourcePosition(in.file(), 0, 0, ""));
            Mark first = seen.putIfAbsent(key, l.items().get(i).mark());
            if (first != null) {
                in.problem(
                        l.items().get(i).mark(),
                        p + "[" + i + "]",
                        c.label() + " is already listed at line " + first.line() + ", column " + first.column());
            } else {
                out.add(c);
            }
        }
        return out;
    }

    private Optional<PolicyChoice> single(MapNode policies, String path, PolicyKind kind) {
        Entry e = policies.entries().get(kind.configName());
        if (e == null) {
            return Optional.empty();
        }
        String p = path + "." + kind.configName();
        if (e.value() instanceof ListNode) {
            in.problem(
                    e.value().mark(),
                    p,
                    "only allocation may list several policies to compare; " + kind.configName() + " takes one");
            return Optional.empty();
        }
        return Optional.ofNullable(choice(e.value(), p, kind));
    }

    /** {@code name} or {@code {name: NAME, settings: {...}}}. */
    private PolicyChoice choice(Node node, String path, PolicyKind kind) {
        SourcePosition at = in.position(node, path);
        if (node instanceof ScalarNode s && !s.isNull() && s.token() == JsonToken.VALUE_STRING) {
            if (s.text().isBlank()) {
                in.problem(node.mark(), path, "expected a policy name, got nothing");
                return null;
            }
            return new PolicyChoice(kind, s.text(), Map.of(), at);
        }
        if (!(node instanceof MapNode m)) {
            in.problem(
                    node.mark(),
                    path,
                    "expected a policy name or {name: NAME, settings: {...}}, got " + node.describe());
            return null;
        }
        Fields o = in.fields(m, path, POLICY_KEYS);
        String name = o.required("name") ? in.string(o.get("name"), o.at("name")) : null;
        Map<String, Object> settings = o.has("settings") ? settings(o.get("settings"), o.at("settings")) : Map.of();
        return FieldReader.allPresent(name, settings) ? new PolicyChoice(kind, name, settings, at) : null;
    }

    /** {@code settings}: each setting's raw value, in file order; null if any is not a setting value. */
    private Map<String, Object> settings(Node node, String path) {
        MapNode sm = in.map(node, path);
        if (sm == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Entry e : sm.entries().values()) {
            out.put(e.key(), rawSetting(e.value(), path + "." + e.key()));
        }
        return out.containsValue(null) ? null : out;
    }

    /** A setting as YAML typed it: Boolean, Long (BigInteger if larger), Double, String, or a list of those. */
    private Object rawSetting(Node node, String path) {
        if (node instanceof ListNode l) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.items().size(); i++) {
                Node item = l.items().get(i);
                if (!(item instanceof ScalarNode s)) {
                    in.problem(
                            item.mark(),
                            path + "[" + i + "]",
                            "a setting's list holds scalars, not " + item.describe());
                    return null;
                }
                Object v = rawScalar(s, path + "[" + i + "]");
                if (v == null) {
                    return null;
                }
                out.add(v);
            }
            return out;
        }
        if (node instanceof ScalarNode s) {
            return rawScalar(s, path);
        }
        in.problem(node.mark(), path, "a setting is a scalar or a list of scalars, not " + node.describe());
        return null;
    }

    private Object rawScalar(ScalarNode s, String path) {
        switch (s.token()) {
            case VALUE_NULL:
                in.problem(s.mark(), path, "the setting has no value");
                return null;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NUMBER_INT: {
                BigInteger b = FieldReader.integerText(s.text());
                if (b == null) {
                    return s.text();
                }
                return b.bitLength() < 64 ? (Object) b.longValue() : b;
            }
            case VALUE_NUMBER_FLOAT:
                try {
                    return Double.valueOf(s.text().replace("_", ""));
                } catch (NumberFormatException e) {
                    return s.text();
                }
            default:
                return s.text();
        }
    }
}
