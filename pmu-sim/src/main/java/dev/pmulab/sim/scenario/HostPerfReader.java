package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.scenario.FieldReader.Fields;
import dev.pmulab.sim.scenario.PerfEventsReader.ReadGroup;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import dev.pmulab.sim.scenario.YamlTree.Mark;
import dev.pmulab.sim.scenario.YamlTree.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code host_perf} section: perf stat and perf record sessions on the host, system-wide on
 * CPUs or following a host task or VM. Read after the run, whose end bounds their start and stop.
 */
final class HostPerfReader {
    static final List<String> SESSION_KEYS = List.of(
            "name",
            "mode",
            "scope",
            "cpus",
            "task",
            "events",
            "groups",
            "pinned",
            "frequency",
            "period",
            "exclude_guest",
            "exclude_host",
            "start",
            "stop");

    private static final String STAT_SAMPLES = "a stat session counts and does not sample; ";

    private final FieldReader in;
    private final ReadContext context;
    private final PerfEventsReader perf;
    private final ScenarioChecks checks;
    /** Session names, with where each is written: the sessions' own namespace. */
    private final Map<String, Mark> names = new LinkedHashMap<>();

    /** {@code context}: after the run. */
    HostPerfReader(FieldReader in, ReadContext context, PerfEventsReader perf, ScenarioChecks checks) {
        this.in = requireNonNull(in, "in is null");
        this.context = requireNonNull(context, "context is null");
        this.perf = requireNonNull(perf, "perf is null");
        this.checks = requireNonNull(checks, "checks is null");
        context.runEndNs();
    }

    /** One session, or null after a problem. */
    PerfSession read(MapNode m, String path) {
        Fields o = in.fields(m, path, SESSION_KEYS);
        String name = o.required("name") ? name(o) : null;
        PerfMode mode = o.required("mode")
                ? in.choice(o.get("mode"), o.at("mode"), List.of(PerfMode.STAT, PerfMode.RECORD), PerfMode::configName)
                : null;
        PerfScope scope = perf.scope(o, PerfScope.SYSTEM);
        // Where the events are opened: a system-wide session's CPUs, a task session's task.
        boolean keysFitScope = scope == PerfScope.SYSTEM
                ? absent(o, "task", "task goes with scope: task; a system-wide session counts on CPUs")
                : scope != PerfScope.TASK
                        || absent(
                                o,
                                "cpus",
                                "cpus goes with scope: system; a task session" + " follows its task wherever it runs");
        List<Integer> cpus = scope != PerfScope.SYSTEM
                ? List.of()
                : o.has("cpus")
                        ? context.cpus().read(o.get("cpus"), o.at("cpus"))
                        : context.cpus().all();
        Optional<String> task = scope != PerfScope.TASK
                ? Optional.empty()
                : o.required("task") ? task(o.get("task"), o.at("task")) : null;
        List<ReadGroup> groups = perf.eventGroups(o, true);
        if (groups != null && cpus != null && context.soc() != null) {
            checks.groupsFit(
                    groups,
                    scope,
                    scope == PerfScope.SYSTEM ? cpus : context.cpus().all(),
                    context.soc());
        }
        boolean pinned = o.flag("pinned", false);
        Optional<Sampling> sampling = sampling(o, mode);
        boolean exGuest = o.flag("exclude_guest", false);
        boolean exHost = o.flag("exclude_host", false);
        boolean countsSomething = !(exGuest && exHost);
        if (!countsSomething) {
            in.problem(
                    o.keyMark("exclude_host"),
                    o.at("exclude_host"),
                    "with both exclude_guest and exclude_host" + " the session counts nothing");
        }
        Long start = o.has("start") ? start(o.get("start"), o.at("start")) : Long.valueOf(0);
        OptionalLong stop =
                o.has("stop") ? stop(o.get("stop"), o.at("stop"), start == null ? 0 : start) : OptionalLong.empty();
        if (!keysFitScope
                || !countsSomething
                || !FieldReader.allPresent(name, mode, scope, cpus, task, groups, sampling, start, stop)) {
            return null;
        }
        return in.build(
                m.mark(),
                path,
                () -> new PerfSession(
                        name,
                        mode,
                        scope,
                        cpus,
                        task,
                        PerfEventsReader.plain(groups),
                        pinned,
                        sampling,
                        exGuest,
                        exHost,
                        start,
                        stop));
    }

    /** A session's name, spelled as a name and not used by another session. */
    private String name(Fields o) {
        String name = in.name(o.get("name"), o.at("name"));
        if (name == null) {
            return null;
        }
        Mark first = names.putIfAbsent(name, o.get("name").mark());
        if (first != null) {
            in.problem(
                    o.get("name").mark(),
                    o.at("name"),
                    "a host perf session named '" + name + "' is already defined at line " + first.line() + ", column "
                            + first.column());
            return null;
        }
        return name;
    }

    /** Whether {@code key} is absent; present, it is reported with {@code why} it does not belong here. */
    private boolean absent(Fields o, String key, String why) {
        if (o.has(key)) {
            in.problem(o.keyMark(key), o.at(key), why);
            return false;
        }
        return true;
    }

    /** A task session's host task or VM. */
    private Optional<String> task(Node node, String path) {
        String t = in.string(node, path);
        if (t == null || !checks.processExists(node, path, t, context.processes())) {
            return null;
        }
        return Optional.of(t);
    }

    /** A record session's sampling; none for a stat session, which refuses frequency and period. */
    private Optional<Sampling> sampling(Fields o, PerfMode mode) {
        if (mode == PerfMode.RECORD) {
            Sampling s = perf.sampling(o);
            return s == null ? null : Optional.of(s);
        }
        if (mode == PerfMode.STAT) {
            boolean noFrequency = absent(o, "frequency", STAT_SAMPLES + "frequency goes with mode: record");
            boolean noPeriod = absent(o, "period", STAT_SAMPLES + "period goes with mode: record");
            return noFrequency && noPeriod ? Optional.empty() : null;
        }
        return Optional.empty();
    }

    private Long start(Node node, String path) {
        Long s = in.duration(node, path);
        return s != null && checks.startsBeforeEnd(node, path, s, context.runEndNs()) ? s : null;
    }

    private OptionalLong stop(Node node, String path, long start) {
        Long s = in.duration(node, path);
        if (s == null) {
            return null;
        }
        if (s <= start) {
            in.problem(
                    node.mark(),
                    path,
                    "stops at " + Durations.format(s) + ", not after it starts (" + Durations.format(start) + ")");
            return null;
        }
        return checks.stopsByEnd(node, path, s, context.runEndNs()) ? OptionalLong.of(s) : null;
    }
}
