package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.scenario.FieldReader.Fields;
import dev.pmulab.sim.scenario.YamlTree.Entry;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import dev.pmulab.sim.scenario.YamlTree.Node;
import dev.pmulab.sim.scenario.YamlTree.ScalarNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A {@code workload} (of a host task or a VM): a profile name alone, or the profile with its
 * threads, load, event rates and exit rate.
 */
final class WorkloadReader {
    static final List<String> WORKLOAD_KEYS = List.of("profile", "threads", "load", "rates", "exits_per_second");

    private final FieldReader in;

    WorkloadReader(FieldReader in) {
        this.in = requireNonNull(in, "in is null");
    }

    /** The workload, or null after a problem; {@code defaultThreads} when it gives none. */
    Workload read(Node node, String path, int defaultThreads) {
        if (node instanceof ScalarNode s && !s.isNull()) {
            WorkloadProfile p = profile(s, path);
            return p == null ? null : Workload.of(p, defaultThreads);
        }
        MapNode m = in.map(node, path);
        if (m == null) {
            return null;
        }
        Fields o = in.fields(m, path, WORKLOAD_KEYS);
        WorkloadProfile profile = null;
        if (o.required("profile")) {
            ScalarNode s = in.scalar(o.get("profile"), o.at("profile"), "a workload profile");
            profile = s == null ? null : profile(s, o.at("profile"));
        }
        int threads = defaultThreads;
        if (o.has("threads")) {
            Long t = in.atLeast(o.get("threads"), o.at("threads"), 1);
            if (t == null) {
                return null;
            }
            if (t > HostReader.MAX_HOST_CPUS * 4L) {
                in.problem(o.get("threads").mark(), o.at("threads"), "must be at most " + HostReader.MAX_HOST_CPUS * 4
                        + ", was " + t);
                return null;
            }
            threads = (int) (long) t;
        }
        Double load = null;
        if (o.has("load")) {
            load = in.fraction(o.get("load"), o.at("load"));
            if (load == null) {
                return null;
            }
        }
        if (profile == WorkloadProfile.IDLE && load != null && load > 0) {
            in.problem(o.get("load").mark(), o.at("load"), "an idle workload has no load; choose another profile"
                    + " for a busy one");
            return null;
        }
        Map<Integer, Long> rates = new TreeMap<>();
        if (o.has("rates")) {
            MapNode rm = in.map(o.get("rates"), o.at("rates"));
            if (rm == null) {
                return null;
            }
            readRates(rm, o.at("rates"), rates);
        }
        OptionalLong exits = OptionalLong.empty();
        if (o.has("exits_per_second")) {
            Long e = in.atLeast(o.get("exits_per_second"), o.at("exits_per_second"), 0);
            if (e == null) {
                return null;
            }
            exits = OptionalLong.of(e);
        }
        if (profile == null) {
            return null;
        }
        double l = load != null ? load : profile == WorkloadProfile.IDLE ? 0.0 : 1.0;
        WorkloadProfile pf = profile;
        int th = threads;
        OptionalLong ex = exits;
        return in.build(m.mark(), path, () -> new Workload(pf, th, l, rates, ex));
    }

    /**
     * {@code rates}: event (any spelling {@link EventNames} knows) to events per second. A rate that
     * is wrong is reported and left out; its problem fails the scenario.
     */
    private void readRates(MapNode rm, String path, Map<Integer, Long> rates) {
        Map<Integer, String> namedAs = new TreeMap<>();
        for (Entry e : rm.entries().values()) {
            String p = path + "." + e.key();
            int number;
            try {
                number = EventNames.number(e.key());
            } catch (IllegalArgumentException ex) {
                in.problem(e.keyMark(), p, ex.getMessage());
                continue;
            }
            Long v = in.wholeNumber(e.value(), p);
            if (v != null && v < 0) {
                in.problem(e.value().mark(), p, "a rate is at least 0 events per second, was " + v);
                continue;
            }
            String other = namedAs.putIfAbsent(number, e.key());
            if (other != null) {
                in.problem(e.keyMark(), p, String.format("sets the rate of event 0x%04x again (as %s)", number, other));
                continue;
            }
            if (v != null) {
                rates.put(number, v);
            }
        }
    }

    private WorkloadProfile profile(ScalarNode s, String path) {
        WorkloadProfile p = WorkloadProfile.fromConfigName(s.text());
        if (p == null) {
            in.problem(s.mark(), path, "unknown workload profile '" + s.text() + "'; known: "
                    + Arrays.stream(WorkloadProfile.values()).map(WorkloadProfile::configName)
                            .collect(Collectors.joining(", ")));
        }
        return p;
    }
}
