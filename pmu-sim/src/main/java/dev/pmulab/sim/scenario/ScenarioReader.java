package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.kvm.KernelCost;
import dev.pmulab.sim.scenario.FieldReader.Fields;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import dev.pmulab.sim.scenario.YamlTree.Node;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads a parsed scenario tree into {@link Scenario} records, strictly: every field is known, typed
 * and in range, or it is a problem naming its line, column and path. Reading goes on after a
 * problem with a harmless stand-in value, so one pass reports everything; no record is returned
 * if anything was wrong. It does not consult the policy registry ({@link ScenarioPolicies} does).
 *
 * <p>This class reads the top-level fields and the sections in the order {@link ReadContext}
 * states; each section has its own reader ({@link HostReader}, {@link VmReader}, ...) built on
 * {@link FieldReader}, and the rules between sections are {@link ScenarioChecks}.
 * {@link ScenarioFields} lists every key the readers accept.
 */
final class ScenarioReader {
    static final List<String> TOP_KEYS = List.of(
            "name",
            "description",
            "seed",
            "run",
            "host",
            "host_perf",
            "host_tasks",
            "vms",
            "policies",
            "admin_writes",
            "costs");

    /** The scenario's default seed. */
    static final long DEFAULT_SEED = 1;

    private final Problems problems;
    private final FieldReader in;

    ScenarioReader(Problems problems) {
        this.problems = requireNonNull(problems, "problems is null");
        this.in = new FieldReader(problems);
    }

    /** The scenario, or null when there were problems (they are in {@code problems}). */
    Scenario read(Node root, String defaultName) {
        MapNode top = in.map(root, "");
        if (top == null) {
            return null;
        }
        Fields o = in.fields(top, "", TOP_KEYS);
        String name = o.has("name") ? in.name(o.get("name"), o.at("name")) : defaultName;
        String description = o.has("description") ? in.string(o.get("description"), o.at("description")) : "";
        long seed = o.has("seed")
                ? FieldReader.orElse(in.wholeNumber(o.get("seed"), o.at("seed")), DEFAULT_SEED)
                : DEFAULT_SEED;
        ScenarioChecks checks = new ScenarioChecks(in);
        PerfEventsReader perf = new PerfEventsReader(in);
        WorkloadReader workloads = new WorkloadReader(in);

        Map<KernelCost, CostOverride> costs =
                o.has("costs") ? new CostReader(in).read(o.get("costs"), o.at("costs")) : Map.of();
        HostReader.Section host = new HostReader(in).read(o.get("host"));
        ReadContext context = ReadContext.afterHost(in, costs, host.soc());

        ProcessNames names = new ProcessNames(in);
        List<HostTask> tasks = in.readEach(o, "host_tasks", new HostTaskReader(in, context, names, workloads)::read);
        List<VmSpec> vms = in.readEach(
                o,
                "vms",
                new VmReader(in, context, names, new PmuUsageReader(in, perf, checks), workloads, checks)::read);
        context = context.afterProcesses(names.declared());

        RunReader.Section run = new RunReader(in, context, checks).read(o);
        context = context.afterRun(run.endNs());

        List<PerfSession> sessions = in.readEach(o, "host_perf", new HostPerfReader(in, context, perf, checks)::read);
        Policies policies = o.has("policies")
                ? new PolicyReader(in).read(o.get("policies"), o.at("policies"))
                : Policies.defaults();
        List<AdminWrite> writes = in.readEach(o, "admin_writes", new AdminWriteReader(in, context, checks)::read);
        if (!problems.isEmpty()) {
            return null;
        }
        List<AdminWrite> byTime = new ArrayList<>(writes);
        byTime.sort(Comparator.comparingLong(AdminWrite::atNs));
        return in.build(
                top.mark(),
                "",
                () -> new Scenario(
                        name,
                        description,
                        in.file(),
                        seed,
                        run.run(),
                        host.spec(),
                        sessions,
                        tasks,
                        vms,
                        policies,
                        byTime,
                        costs));
    }
}
