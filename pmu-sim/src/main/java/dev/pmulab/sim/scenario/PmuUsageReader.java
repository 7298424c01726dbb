package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.catalog.SocModel;
import dev.pmulab.sim.scenario.FieldReader.Fields;
import dev.pmulab.sim.scenario.PerfEventsReader.ReadGroup;
import dev.pmulab.sim.scenario.YamlTree.Entry;
import dev.pmulab.sim.scenario.YamlTree.ListNode;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import dev.pmulab.sim.scenario.YamlTree.Mark;
import dev.pmulab.sim.scenario.YamlTree.Node;
import dev.pmulab.sim.scenario.YamlTree.ScalarNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * A VM's {@code pmu_usage}: one usage or a list, each a kind's name alone ({@code nmi-watchdog},
 * every default) or a mapping with {@code kind} and that kind's fields.
 */
final class PmuUsageReader {
    /** The keys of each kind's mapping, by kind. */
    static final Map<String, List<String>> USAGE_KEYS = Map.of(
            PmuUsage.PerfStat.KIND, List.of("kind", "events", "groups", "scope", "interval"),
            PmuUsage.PerfRecord.KIND, List.of("kind", "events", "groups", "scope", "frequency", "period"),
            PmuUsage.NmiWatchdog.KIND, List.of("kind", "thresh"),
            PmuUsage.WindowsCycleTick.KIND, List.of("kind", "tick"),
            PmuUsage.Greedy.KIND, List.of("kind", "reprogram_every", "asks_for_more"),
            PmuUsage.Brbe.KIND, List.of("kind", "events", "frequency", "period", "freeze_on_overflow"),
            PmuUsage.Idle.KIND, List.of("kind"));

    private final FieldReader in;
    private final PerfEventsReader perf;
    private final ScenarioChecks checks;

    PmuUsageReader(FieldReader in, PerfEventsReader perf, ScenarioChecks checks) {
        this.in = requireNonNull(in, "in is null");
        this.perf = requireNonNull(perf, "perf is null");
        this.checks = requireNonNull(checks, "checks is null");
    }

    /**
     * The usages of a VM whose guest runs {@code os}, with a PMU or not ({@code pmu}), placed on
     * {@code placement} (null if it could not be read) of a host with {@code soc} (null if
     * unknown); null after a problem.
     */
    List<PmuUsage> read(Node node, String path, GuestOs os, boolean pmu, Placement placement, SocModel soc) {
        Map<String, Mark> seen = new LinkedHashMap<>();
        FieldReader.ItemReader<PmuUsage> item = (n, p) -> usage(n, p, seen, os, pmu, placement, soc);
        List<PmuUsage> out;
        if (node instanceof ListNode l) {
            if (l.items().isEmpty()) {
                in.problem(node.mark(), path, "lists no usage; write idle for a guest that does not use its PMU");
                return null;
            }
            out = in.allOf(l.items(), path, item);
        } else {
            PmuUsage u = item.read(node, path);
            out = u == null ? null : List.of(u);
        }
        if (seen.containsKey(PmuUsage.Idle.KIND) && seen.size() > 1) {
            in.problem(
                    seen.get(PmuUsage.Idle.KIND),
                    path,
                    "idle means the guest never touches its PMU; it cannot" + " be combined with "
                            + others(seen, PmuUsage.Idle.KIND));
            return null;
        }
        if (out != null && out.size() > 1) {
            // Several Linux perf users share the guest's PMU through its perf core; a usage that
            // drives the PMU registers itself would fight them for every counter.
            for (PmuUsage u : out) {
                if (!u.usesGuestPerf()) {
                    in.problem(
                            seen.get(u.kind()),
                            path,
                            u.kind() + " drives the guest's PMU registers itself, not"
                                    + " through the guest kernel's perf; it cannot share the PMU with "
                                    + others(seen, u.kind()));
                    return null;
                }
            }
        }
        return out;
    }

    private static String others(Map<String, Mark> seen, String kind) {
        return seen.keySet().stream().filter(k -> !k.equals(kind)).collect(Collectors.joining(", "));
    }

    /** One usage, checked against the VM: listed once, for its guest OS, with a PMU, BRBE where needed. */
    private PmuUsage usage(
            Node item, String p, Map<String, Mark> seen, GuestOs os, boolean pmu, Placement placement, SocModel soc) {
        PmuUsage u = readOne(item, p);
        if (u == null) {
            return null;
        }
        Mark first = seen.putIfAbsent(u.kind(), item.mark());
        if (first != null) {
            in.problem(
                    item.mark(),
                    p,
                    u.kind() + " is already listed at line " + first.line() + ", column " + first.column());
            return null;
        }
        if (!u.runsOn(os)) {
            in.problem(
                    item.mark(),
                    p,
                    u.kind() + " is a " + (os == GuestOs.LINUX ? "Windows" : "Linux")
                            + " guest behaviour; this VM's guest_os is " + os.configName());
            return null;
        }
        if (!pmu && !(u instanceof PmuUsage.Idle)) {
            in.problem(item.mark(), p, "the VM has no PMU (pmu: false), so its guest cannot use one");
            return null;
        }
        if (u instanceof PmuUsage.Brbe && !checks.brbeOnEveryCpu(item, p, placement, soc)) {
            return null;
        }
        return u;
    }

    private PmuUsage readOne(Node node, String path) {
        MapNode m;
        String kind;
        if (node instanceof ScalarNode s && !s.isNull()) {
            kind = s.text();
            m = null;
        } else {
            m = in.map(node, path);
            if (m == null) {
                return null;
            }
            Entry k = m.entries().get("kind");
            if (k == null) {
                in.problem(
                        m.mark(),
                        path + ".kind",
                        "required field is missing: one of " + String.join(", ", PmuUsage.kinds()));
                return null;
            }
            kind = in.string(k.value(), path + ".kind");
            if (kind == null) {
                return null;
            }
        }
        List<String> keys = USAGE_KEYS.get(kind);
        if (keys == null) {
            Mark at = m == null ? node.mark() : m.entries().get("kind").value().mark();
            in.problem(
                    at,
                    m == null ? path : path + ".kind",
                    "unknown PMU usage kind '" + kind + "'; known: " + String.join(", ", PmuUsage.kinds()));
            return null;
        }
        Fields o = m == null ? in.bare(node.mark(), path, keys) : in.fields(m, path, keys, " for a " + kind + " usage");
        switch (kind) {
            case PmuUsage.PerfStat.KIND:
                return perfStat(o);
            case PmuUsage.PerfRecord.KIND:
                return perfRecord(o);
            case PmuUsage.NmiWatchdog.KIND: {
                // The guest's own kernel.watchdog_thresh, with the host's rules.
                Long thresh = o.has("thresh")
                        ? HostReader.watchdogThresh(
                                in,
                                o.get("thresh"),
                                o.at("thresh"),
                                " (0 turns the detector off: leave nmi-watchdog out)")
                        : Long.valueOf(PmuUsage.NmiWatchdog.DEFAULT_THRESH_NS);
                return thresh == null ? null : new PmuUsage.NmiWatchdog(thresh);
            }
            case PmuUsage.WindowsCycleTick.KIND: {
                Long tick = o.positiveDuration("tick", PmuUsage.WindowsCycleTick.DEFAULT_TICK_NS);
                return tick == null ? null : new PmuUsage.WindowsCycleTick(tick);
            }
            case PmuUsage.Greedy.KIND: {
                Long every = o.positiveDuration("reprogram_every", PmuUsage.Greedy.DEFAULT_REPROGRAM_EVERY_NS);
                if (every == null) {
                    return null;
                }
                Boolean more = o.bool("asks_for_more", true);
                return more == null ? null : new PmuUsage.Greedy(every, more);
            }
            case PmuUsage.Brbe.KIND:
                return brbe(o);
            case PmuUsage.Idle.KIND:
                return new PmuUsage.Idle();
            default:
                throw new IllegalStateException("kind " + kind + " has fields but no reader");
        }
    }

    private PmuUsage perfStat(Fields o) {
        List<ReadGroup> groups = perf.eventGroups(o, true);
        PerfScope scope = perf.scope(o, PerfScope.TASK);
        OptionalLong interval = OptionalLong.empty();
        if (o.has("interval")) {
            // perf stat -I takes an unsigned int of milliseconds and refuses less than 10
            // ("print interval must be >= 10ms", tools/perf/builtin-stat.c).
            Long i = in.wholeUnits(
                    o.get("interval"),
                    o.at("interval"),
                    1_000_000L,
                    "milliseconds",
                    PmuUsage.PerfStat.MIN_INTERVAL_MS,
                    0xffff_ffffL,
                    "perf stat -I",
                    "");
            if (i == null) {
                return null;
            }
            interval = OptionalLong.of(i);
        }
        if (groups == null || scope == null) {
            return null;
        }
        return new PmuUsage.PerfStat(PerfEventsReader.plain(groups), scope, interval);
    }

    private PmuUsage perfRecord(Fields o) {
        List<ReadGroup> groups = perf.eventGroups(o, true);
        PerfScope scope = perf.scope(o, PerfScope.TASK);
        Sampling sampling = perf.sampling(o);
        if (groups == null || scope == null || sampling == null) {
            return null;
        }
        return new PmuUsage.PerfRecord(PerfEventsReader.plain(groups), sampling, scope);
    }

    private PmuUsage brbe(Fields o) {
        List<EventRef> events = List.of(new EventRef("cycles", Events.CPU_CYCLES));
        if (o.has("events")) {
            List<ReadGroup> groups = perf.eventGroups(o, false);
            if (groups == null) {
                return null;
            }
            events = groups.stream().map(g -> g.group().leader()).toList();
        }
        Sampling sampling = perf.sampling(o);
        Boolean freeze = o.bool("freeze_on_overflow", true);
        if (sampling == null || freeze == null) {
            return null;
        }
        return new PmuUsage.Brbe(events, sampling, freeze);
    }
}
