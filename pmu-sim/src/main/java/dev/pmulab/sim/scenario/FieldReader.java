package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonToken;
import dev.pmulab.sim.scenario.YamlTree.Entry;
import dev.pmulab.sim.scenario.YamlTree.ListNode;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import dev.pmulab.sim.scenario.YamlTree.Mark;
import dev.pmulab.sim.scenario.YamlTree.Node;
import dev.pmulab.sim.scenario.YamlTree.ScalarNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Typed reading of scenario YAML: a node becomes a whole number, a fraction, a duration, a
 * boolean, a name or one of a fixed set of spellings, or the reader adds a problem at the node's
 * line and column, naming its field path, and returns null. Mappings are read through
 * {@link Fields}, which refuses every key its section does not declare. Nothing here knows what a
 * field means; the section readers do.
 *
 * <p>A null result always follows a problem added (or one already added at the same place), so a
 * reader builds its record only when every part is present ({@link #allPresent}) and goes on
 * reading the other fields either way: one pass reports everything.
 */
final class FieldReader {
    private static final String NAME_RULE = "[A-Za-z0-9][A-Za-z0-9._-]*";

    private final Problems problems;

    FieldReader(Problems problems) {
        this.problems = requireNonNull(problems, "problems is null");
    }

    /** The file as messages name it. */
    String file() {
        return problems.file();
    }

    /** Adds a problem at {@code at}. */
    void problem(Mark at, String path, String message) {
        problems.add(at, path, message);
    }

    /** Where {@code node} is written, for values a later step may still reject. */
    SourcePosition position(Node node, String path) {
        String file = node.mark().file() != null ? node.mark().file() : file();
        return new SourcePosition(file, node.mark().line(), node.mark().column(), path);
    }

    /** The fields of a mapping; every key not in {@code keys} is reported now. */
    Fields fields(MapNode node, String path, List<String> keys) {
        return new Fields(node, path, keys, "");
    }

    /**
     * The fields of a mapping whose keys depend on a choice made in it; {@code context} follows
     * the unknown key in the message ({@code " for a perf-stat usage"}).
     */
    Fields fields(MapNode node, String path, List<String> keys, String context) {
        return new Fields(node, path, keys, context);
    }

    /** No fields: a value written as a bare name ({@code pmu_usage: idle}) takes every default. */
    Fields bare(Mark mark, String path, List<String> keys) {
        return new Fields(new MapNode(mark, Map.of()), path, keys, "");
    }

    // ------------------------------------------------------------------------------------------
    // Shapes

    MapNode map(Node node, String path) {
        if (node instanceof MapNode m) {
            return m;
        }
        problem(node.mark(), path, "expected a mapping of fields, got " + node.describe());
        return null;
    }

    ListNode list(Node node, String path) {
        if (node instanceof ListNode l) {
            return l;
        }
        problem(node.mark(), path, "expected a list, got " + node.describe());
        return null;
    }

    ScalarNode scalar(Node node, String path, String what) {
        if (node instanceof ScalarNode s && !s.isNull()) {
            return s;
        }
        problem(node.mark(), path, "expected " + what + ", got " + node.describe());
        return null;
    }

    // ------------------------------------------------------------------------------------------
    // Scalars

    String string(Node node, String path) {
        ScalarNode s = scalar(node, path, "a string");
        if (s == null) {
            return null;
        }
        if (s.text().isBlank()) {
            problem(node.mark(), path, "expected a string, got nothing");
            return null;
        }
        return s.text();
    }

    /** A name of a scenario, VM, task or session: letters, digits, '.', '_' and '-'. */
    String name(Node node, String path) {
        String s = string(node, path);
        if (s != null && !s.matches(NAME_RULE)) {
            problem(
                    node.mark(),
                    path,
                    "a name is letters, digits, '.', '_' and '-', starting with a letter or" + " digit; got '" + s
                            + "'");
            return null;
        }
        return s;
    }

    /** One of {@code choices}, spelled exactly. */
    String choice(Node node, String path, List<String> choices) {
        ScalarNode s = scalar(node, path, "one of " + String.join(", ", choices));
        if (s == null) {
            return null;
        }
        if (!choices.contains(s.text())) {
            problem(node.mark(), path, "expected one of " + String.join(", ", choices) + ", got '" + s.text() + "'");
            return null;
        }
        return s.text();
    }

    /** One of {@code values}, written as {@code spelling} spells it; messages list them in the given order. */
    <E extends Enum<E>> E choice(Node node, String path, List<E> values, Function<E, String> spelling) {
        String s = choice(node, path, values.stream().map(spelling).toList());
        if (s == null) {
            return null;
        }
        return values.stream()
                .filter(v -> spelling.apply(v).equals(s))
                .findFirst()
                .orElseThrow();
    }

    Boolean bool(Node node, String path) {
        if (node instanceof ScalarNode s && s.isBoolean()) {
            return s.token() == JsonToken.VALUE_TRUE;
        }
        problem(node.mark(), path, "expected true or false, got " + node.describe());
        return null;
    }

    /**
     * A whole number, written as YAML writes numbers: {@code 42}, {@code 0x2a}, {@code 1_000},
     * or in exponent form when exact ({@code 5e9}).
     */
    Long wholeNumber(Node node, String path) {
        if (!(node instanceof ScalarNode s) || !s.isNumber()) {
            problem(node.mark(), path, "expected a whole number, got " + node.describe());
            return null;
        }
        BigInteger v = integerText(s.text());
        if (v == null) {
            problem(node.mark(), path, "expected a whole number, got '" + s.text() + "'");
            return null;
        }
        if (v.bitLength() >= 64) {
            problem(node.mark(), path, "'" + s.text() + "' is too large (at most " + Long.MAX_VALUE + ")");
            return null;
        }
        return v.longValue();
    }

    /** The integer a YAML number spells, or null when it has a fraction or is not a number. */
    static BigInteger integerText(String text) {
        String t = text.strip().replace("_", "");
        boolean negative = t.startsWith("-");
        String digits = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        try {
            BigInteger v;
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                v = new BigInteger(digits.substring(2), 16);
            } else {
                v = new BigDecimal(digits).toBigIntegerExact();
            }
            return negative ? v.negate() : v;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** A whole number of at least {@code min}. */
    Long atLeast(Node node, String path, long min) {
        Long v = wholeNumber(node, path);
        if (v != null && v < min) {
            problem(node.mark(), path, "must be at least " + min + ", was " + v);
            return null;
        }
        return v;
    }

    /** A whole number from {@code min} to {@code max}, as an int; null after a problem. */
    Integer intInRange(Node node, String path, int min, int max) {
        Long v = wholeNumber(node, path);
        if (v == null) {
            return null;
        }
        if (v < min || v > max) {
            problem(node.mark(), path, "must be " + min + ".." + max + ", was " + v);
            return null;
        }
        return (int) (long) v;
    }

    /** A number from 0 to 1. */
    Double fraction(Node node, String path) {
        if (!(node instanceof ScalarNode s) || !s.isNumber()) {
            problem(node.mark(), path, "expected a number from 0 to 1, got " + node.describe());
            return null;
        }
        double v;
        try {
            v = new BigDecimal(s.text().replace("_", "")).doubleValue();
        } catch (NumberFormatException e) {
            problem(node.mark(), path, "expected a number from 0 to 1, got '" + s.text() + "'");
            return null;
        }
        if (!(v >= 0.0 && v <= 1.0)) {
            problem(node.mark(), path, "must be from 0 to 1, was " + s.text());
            return null;
        }
        return v;
    }

    /** A duration with a unit ({@link Durations}), in ns. */
    Long duration(Node node, String path) {
        ScalarNode s = scalar(node, path, "a duration such as 10ms");
        if (s == null) {
            return null;
        }
        try {
            return Durations.parseNs(s.text());
        } catch (IllegalArgumentException e) {
            problem(node.mark(), path, e.getMessage());
            return null;
        }
    }

    Long positiveDuration(Node node, String path) {
        Long d = duration(node, path);
        if (d != null && d == 0) {
            problem(node.mark(), path, "must be longer than 0");
            return null;
        }
        return d;
    }

    /**
     * A duration that the interface it stands for takes as a whole number of {@code unit}s from
     * {@code min} to {@code max} of them (a sysctl or a sysfs file in seconds or milliseconds, a
     * tool's option in milliseconds), in ns. Anything else is refused rather than rounded, since
     * the kernel or the tool would not have taken it either.
     *
     * @param unitNs the unit in ns: 1_000_000_000 for seconds, 1_000_000 for milliseconds
     * @param unitName the unit's plural for the message: {@code seconds}
     * @param what the interface, for the message: {@code kernel.watchdog_thresh}
     * @param rangeNote said after the range when the value is outside it, empty for nothing
     */
    Long wholeUnits(
            Node node, String path, long unitNs, String unitName, long min, long max, String what, String rangeNote) {
        Long ns = positiveDuration(node, path);
        if (ns == null) {
            return null;
        }
        String range = max == Long.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
        if (ns % unitNs != 0) {
            problem(
                    node.mark(),
                    path,
                    what + " takes whole " + unitName + " (" + range + "); " + ((ScalarNode) node).text()
                            + " is not a whole number of them, and it would not be rounded");
            return null;
        }
        long units = ns / unitNs;
        if (units < min || units > max) {
            problem(
                    node.mark(),
                    path,
                    what + " takes whole " + unitName + " " + range + rangeNote + "; was " + Durations.format(ns));
            return null;
        }
        return ns;
    }

    /** CONFIG_HZ: one of {@link HostSpec#HZ_CHOICES}; {@code fallback} (after a problem) otherwise. */
    int hz(Node node, String path, int fallback) {
        Long v = wholeNumber(node, path);
        if (v == null) {
            return fallback;
        }
        if (v > Integer.MAX_VALUE || v < 0 || !HostSpec.HZ_CHOICES.contains((int) (long) v)) {
            problem(node.mark(), path, "must be one of 100, 250, 300, 1000 (the CONFIG_HZ choices), was " + v);
            return fallback;
        }
        return (int) (long) v;
    }

    // ------------------------------------------------------------------------------------------
    // Lists and records

    /** Reads one item of a list: the value, or null after a problem. */
    @FunctionalInterface
    interface ItemReader<T> {
        T read(Node node, String path);
    }

    /** Reads one mapping in a list of mappings: the value, or null after a problem. */
    @FunctionalInterface
    interface MapReader<T> {
        T read(MapNode node, String path);
    }

    /**
     * The mappings listed under {@code key}, each read by {@code reader}; an item that cannot be
     * read is left out (its problems fail the scenario anyway). Empty when the key is absent.
     */
    <T> List<T> readEach(Fields o, String key, MapReader<T> reader) {
        if (!o.has(key)) {
            return List.of();
        }
        ListNode l = list(o.get(key), o.at(key));
        if (l == null) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < l.items().size(); i++) {
            String p = o.at(key) + "[" + i + "]";
            MapNode m = map(l.items().get(i), p);
            if (m != null) {
                T t = reader.read(m, p);
                if (t != null) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /**
     * Every item of {@code items} (at {@code path[i]}) read by {@code reader}, or null when any
     * could not be: the value is whole or absent. Every item is read, so each reports its problems.
     */
    <T> List<T> allOf(List<Node> items, String path, ItemReader<T> reader) {
        List<T> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(reader.read(items.get(i), path + "[" + i + "]"));
        }
        return out.contains(null) ? null : out;
    }

    /** Whether every part of a record was read; a null part has reported its problem. */
    static boolean allPresent(Object... parts) {
        for (Object p : parts) {
            if (p == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Builds a record whose values were all checked. A record's own invariant failing here means a
     * check is missing in its reader; it is still reported against the input rather than thrown.
     */
    <T> T build(Mark at, String path, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            if (problems.isEmpty()) {
                problem(at, path, e.getMessage());
            }
            return null;
        }
    }

    static <T> T orElse(T v, T dflt) {
        return v != null ? v : dflt;
    }

    /** Names for a message: comma-separated, or {@code (none)}. */
    static String known(Collection<String> names) {
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }

    /**
     * The fields of one mapping: reports unknown keys when made, then hands out values by key. A
     * section reader may ask only for keys it declared: asking for another is a bug in the reader
     * (the key would be refused as unknown in every file), so it throws.
     */
    final class Fields {
        private final MapNode node;
        private final String path;
        private final List<String> keys;

        private Fields(MapNode node, String path, List<String> keys, String context) {
            this.node = node;
            this.path = path;
            this.keys = keys;
            for (Entry e : node.entries().values()) {
                if (!keys.contains(e.key())) {
                    problem(
                            e.keyMark(),
                            at(e.key()),
                            "unknown field '" + e.key() + "'" + context + "; known fields: " + String.join(", ", keys));
                }
            }
        }

        boolean has(String key) {
            return node.entries().containsKey(declared(key));
        }

        /** The value, or null when absent. */
        Node get(String key) {
            Entry e = node.entries().get(declared(key));
            return e == null ? null : e.value();
        }

        /** Where {@code key} (present) is written. */
        Mark keyMark(String key) {
            return node.entries().get(declared(key)).keyMark();
        }

        /** The path of {@code key}: {@code vms[0].placement.cpus}. */
        String at(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        Mark mark() {
            return node.mark();
        }

        String path() {
            return path;
        }

        /** Whether {@code key} is present; if not, reports it missing at the mapping's start. */
        boolean required(String key) {
            if (has(key)) {
                return true;
            }
            problem(node.mark(), at(key), "required field is missing");
            return false;
        }

        /** {@code key}'s boolean; {@code dflt} when absent, and also, after its problem, when it is not a boolean. */
        boolean flag(String key, boolean dflt) {
            return has(key) ? orElse(FieldReader.this.bool(get(key), at(key)), dflt) : dflt;
        }

        /** {@code key}'s boolean; {@code dflt} when absent, null (after a problem) when it is not a boolean. */
        Boolean bool(String key, boolean dflt) {
            return has(key) ? FieldReader.this.bool(get(key), at(key)) : Boolean.valueOf(dflt);
        }

        /** {@code key}'s positive duration in ns; {@code dflt} when absent, null (after a problem) when wrong. */
        Long positiveDuration(String key, long dflt) {
            return has(key) ? FieldReader.this.positiveDuration(get(key), at(key)) : Long.valueOf(dflt);
        }

        private String declared(String key) {
            if (!keys.contains(key)) {
                throw new IllegalStateException("the reader of " + (path.isEmpty() ? "the document" : path)
                        + " asks for '" + key + "', which its section does not declare; known fields: " + keys);
            }
            return key;
        }
    }
}
