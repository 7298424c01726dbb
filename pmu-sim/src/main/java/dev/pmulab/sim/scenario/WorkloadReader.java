package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
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
    /** A VM's workload. */
    static final List<String> WORKLOAD_KEYS =
            List.of("profile", "threads", "load", "rates", "exits_per_second", "context_switches_per_second");
    /** A host task's: it runs in no VM, so it has no VM exits. */
    static final List<String> HOST_TASK_WORKLOAD_KEYS = List.of("profile", "threads", "load", "rates");

    /**
     * What runs the workload.
     *
     * @param vcpus a VM's vCPUs, 0 for a host task
     * @param exitNs what one VM exit costs the host (C2, the scenario's or the default), for a VM
     * @param refillNs the guest time lost refilling after one exit (C23), for a VM
     */
    record Runner(int vcpus, long exitNs, long refillNs) {
        static Runner hostTask() {
            return new Runner(0, 0, 0);
        }

        static Runner vm(int vcpus, long exitNs, long refillNs) {
            return new Runner(vcpus, exitNs, refillNs);
        }

        boolean isVm() {
            return vcpus > 0;
        }
    }

    /** The largest {@code context_switches_per_second}: one per 10 us of running. */
    static final long MAX_SWITCHES_PER_SECOND = 100_000;

    private final FieldReader in;

    WorkloadReader(FieldReader in) {
        this.in = requireNonNull(in, "in is null");
    }

    /**
     * The workload {@code runner} runs, or null after a problem; {@code defaultThreads} when it
     * gives none.
     */
    Workload read(Node node, String path, int defaultThreads, Runner runner) {
        if (node instanceof ScalarNode s && !s.isNull()) {
            WorkloadProfile p = profile(s, path);
            Workload w = p == null ? null : Workload.of(p, defaultThreads);
            return w != null && exitsFit(w, runner, s, path) ? w : null;
        }
        MapNode m = in.map(node, path);
        if (m == null) {
            return null;
        }
        Fields o = runner.isVm()
                ? in.fields(m, path, WORKLOAD_KEYS)
                : in.fields(
                        m,
                        path,
                        HOST_TASK_WORKLOAD_KEYS,
                        " for a host task's workload (it runs in no VM, so it has" + " no VM exits)");
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
                in.problem(
                        o.get("threads").mark(),
                        o.at("threads"),
                        "must be at most " + HostReader.MAX_HOST_CPUS * 4 + ", was " + t);
                return null;
            }
            if (runner.isVm() && t > runner.vcpus()) {
                // The engine runs the guest's threads one per vCPU; it has no guest scheduler to
                // share a vCPU between two of them.
                in.problem(
                        o.get("threads").mark(),
                        o.at("threads"),
                        "the simulator runs a guest's threads one per"
                                + " vCPU (it has no guest scheduler), so threads is at most the VM's vcpus, "
                                + runner.vcpus()
                                + "; was " + t);
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
            in.problem(
                    o.get("load").mark(),
                    o.at("load"),
                    "an idle workload has no load; choose another profile" + " for a busy one");
            return null;
        }
        Map<Integer, Long> rates = new TreeMap<>();
        Map<Integer, Entry> written = new TreeMap<>();
        if (o.has("rates")) {
            MapNode rm = in.map(o.get("rates"), o.at("rates"));
            if (rm == null) {
                return null;
            }
            readRates(rm, o.at("rates"), rates, written, runner);
        }
        OptionalLong exits = OptionalLong.empty();
        if (runner.isVm() && o.has("exits_per_second")) {
            Long e = in.atLeast(o.get("exits_per_second"), o.at("exits_per_second"), 0);
            if (e == null) {
                return null;
            }
            exits = OptionalLong.of(e);
        }
        OptionalLong switches = OptionalLong.empty();
        if (runner.isVm() && o.has("context_switches_per_second")) {
            Long cs = in.atLeast(o.get("context_switches_per_second"), o.at("context_switches_per_second"), 0);
            if (cs == null) {
                return null;
            }
            // A switch is at least a guest tick's worth of scheduler work; more than one per 10 us
            // of running is no workload a perf stat measured (hackbench does about 10 k per second).
            if (cs > MAX_SWITCHES_PER_SECOND) {
                in.problem(
                        o.get("context_switches_per_second").mark(),
                        o.at("context_switches_per_second"),
                        "at most " + MAX_SWITCHES_PER_SECOND + " context switches per second of running, was " + cs);
                return null;
            }
            switches = OptionalLong.of(cs);
        }
        if (profile == null) {
            return null;
        }
        double l = load != null ? load : profile == WorkloadProfile.IDLE ? 0.0 : 1.0;
        WorkloadProfile pf = profile;
        int th = threads;
        OptionalLong ex = exits;
        OptionalLong sw = switches;
        Workload w = in.build(m.mark(), path, () -> new Workload(pf, th, l, rates, ex, sw));
        if (w == null) {
            return null;
        }
        boolean exitsGiven = runner.isVm() && o.has("exits_per_second");
        boolean exitsOk = exitsFit(
                w,
                runner,
                exitsGiven ? o.get("exits_per_second") : o.get("profile"),
                exitsGiven ? o.at("exits_per_second") : o.at("profile"));
        return ratesFit(w, m, o.at("rates"), written) && exitsOk ? w : null;
    }

    /**
     * A VM's exits must leave the vCPU some time for its workload: the engine books at most
     * {@link WorkloadRates#MAX_EXIT_SHARE} of it as exit handling (C2 each), and at most
     * {@link WorkloadRates#MAX_EXIT_AND_REFILL_SHARE} as exit handling and the refill after each
     * exit (C23).
     */
    private boolean exitsFit(Workload w, Runner runner, Node at, String path) {
        if (!runner.isVm()) {
            return true;
        }
        long exits = WorkloadRates.exitsPerSecond(w);
        double share = exits * (double) runner.exitNs() / 1e9;
        double withRefill = exits * (double) (runner.exitNs() + runner.refillNs()) / 1e9;
        if (share <= WorkloadRates.MAX_EXIT_SHARE && withRefill <= WorkloadRates.MAX_EXIT_AND_REFILL_SHARE) {
            return true;
        }
        long most = (long) Math.min(
                WorkloadRates.MAX_EXIT_SHARE * 1e9 / Math.max(1, runner.exitNs()),
                WorkloadRates.MAX_EXIT_AND_REFILL_SHARE * 1e9 / Math.max(1, runner.exitNs() + runner.refillNs()));
        in.problem(
                at.mark(),
                path,
                exits + " VM exits per second, each " + runner.exitNs() + " ns in the host (C2,"
                        + " HVC_ROUND_TRIP) and " + runner.refillNs()
                        + " ns of refill after it (C23, EXIT_INDIRECT), would"
                        + " take " + Math.round(withRefill * 100)
                        + " % of a vCPU's time; the simulator gives exits at most "
                        + Math.round(WorkloadRates.MAX_EXIT_SHARE * 100) + " % and exits with their refill at most "
                        + Math.round(WorkloadRates.MAX_EXIT_AND_REFILL_SHARE * 100) + " %, which is " + most
                        + " exits per second at these costs");
        return false;
    }

    /**
     * Every rate the simulator will run the workload at, written or derived from the profile's
     * ratios (and the kernel profile at its clock), must fit its Q32.32 event rates: at most
     * {@link EventRates#MAX_PER_SECOND}. A rate written too high is reported where it is written;
     * one derived too high at the clock or instruction rate it comes from.
     */
    private boolean ratesFit(Workload w, MapNode workload, String ratesPath, Map<Integer, Entry> written) {
        String limit = "the simulator counts at most " + EventRates.MAX_PER_SECOND
                + " events per second (256 per ns, the range of its Q32.32 event rates)";
        boolean ok = true;
        for (Map.Entry<Integer, Entry> e : written.entrySet()) {
            long rate = w.ratesPerSecond().get(e.getKey());
            if (rate > EventRates.MAX_PER_SECOND) {
                in.problem(
                        e.getValue().value().mark(),
                        ratesPath + "." + e.getValue().key(),
                        limit + "; was " + rate);
                ok = false;
            }
        }
        if (!ok) {
            return false; // what is derived from a rate written too high says nothing more
        }
        Map<Integer, Long> user = WorkloadRates.perSecond(w);
        Map<Integer, Long> all = new TreeMap<>(WorkloadRates.kernelPerSecond(user.get(Events.CPU_CYCLES)));
        user.forEach((event, rate) -> all.merge(event, rate, Math::max));
        for (Map.Entry<Integer, Long> r : all.entrySet()) {
            if (r.getValue() <= EventRates.MAX_PER_SECOND) {
                continue;
            }
            // Per-cycle events follow the clock; the others the instruction rate, itself the clock
            // times the profile's IPC when not written. The first such event is reported.
            boolean perCycle = WorkloadRates.PER_CYCLE_EVENTS.contains(r.getKey());
            Entry source = perCycle
                    ? written.get(Events.CPU_CYCLES)
                    : written.getOrDefault(Events.INST_RETIRED, written.get(Events.CPU_CYCLES));
            String msg = String.format("event 0x%04x (%s)", r.getKey(), EventNames.armName(r.getKey()))
                    + " would count " + r.getValue() + " per second, derived from the "
                    + w.profile().configName()
                    + " profile's ratios (or the kernel's) at this clock and instruction rate; " + limit
                    + ": lower cycles or instructions";
            if (source != null) {
                in.problem(source.value().mark(), ratesPath + "." + source.key(), msg);
            } else {
                in.problem(workload.mark(), ratesPath, msg);
            }
            return false;
        }
        return true;
    }

    /**
     * {@code rates}: event (as perf spells it, {@link PerfEventSpelling}) to events per second. A
     * rate that is wrong is reported and left out; its problem fails the scenario.
     */
    private void readRates(
            MapNode rm, String path, Map<Integer, Long> rates, Map<Integer, Entry> written, Runner runner) {
        Map<Integer, String> namedAs = new TreeMap<>();
        for (Entry e : rm.entries().values()) {
            String p = path + "." + e.key();
            int number;
            try {
                PerfEventSpelling sp = PerfEventSpelling.parse(e.key());
                String wrong = countsTheWorkload(sp, runner);
                if (wrong != null) {
                    in.problem(e.keyMark(), p, "'" + e.key() + "' " + wrong);
                    continue;
                }
                number = sp.number();
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
                written.put(number, e);
            }
        }
    }

    /**
     * A rate is what the workload's own code generates while it runs (user mode; the simulator
     * derives the kernel's from the profile), so a spelling must count user mode, and count where
     * the workload runs: in a guest for a VM's, on the host for a host task's. Returns what is
     * wrong, or null.
     */
    private static String countsTheWorkload(PerfEventSpelling sp, Runner runner) {
        if (sp.excludeUser()) {
            return "does not count user mode (exclude_user): a rate is what the workload's own code"
                    + " generates, at EL0; measure it with :u, or without a modifier";
        }
        if (runner.isVm() && sp.excludeGuest()) {
            return "counts on the host only (:H, exclude_guest), so it counts nothing of a VM's workload;"
                    + " use :G or no modifier";
        }
        if (!runner.isVm() && sp.excludeHost()) {
            return "counts in guests only (:G, exclude_host), so it counts nothing of a host task's"
                    + " workload; use :H or no modifier";
        }
        return null;
    }

    private WorkloadProfile profile(ScalarNode s, String path) {
        WorkloadProfile p = WorkloadProfile.fromConfigName(s.text());
        if (p == null) {
            in.problem(
                    s.mark(),
                    path,
                    "unknown workload profile '" + s.text() + "'; known: "
                            + Arrays.stream(WorkloadProfile.values())
                                    .map(WorkloadProfile::configName)
                                    .collect(Collectors.joining(", ")));
        }
        return p;
    }
}
