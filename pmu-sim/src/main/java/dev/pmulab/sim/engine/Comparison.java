package dev.pmulab.sim.engine;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.sim.cost.CostModel;
import dev.pmulab.sim.plugin.PluginException;
import dev.pmulab.sim.plugin.PolicyFailure;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.plugin.RunPolicies;
import dev.pmulab.sim.plugin.SelectedPolicy;
import dev.pmulab.sim.report.ComparisonReport;
import dev.pmulab.sim.report.CostAssumption;
import dev.pmulab.sim.report.PolicyLabel;
import dev.pmulab.sim.report.RunPolicy;
import dev.pmulab.sim.report.RunReport;
import dev.pmulab.sim.scenario.PolicyChoice;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioPolicies;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs one scenario under several policies of one kind, the other kinds fixed at the scenario's
 * choices, and gathers the side-by-side report. Runs are independent and deterministic, so they
 * run in parallel and the report is the same bytes whatever the parallelism. A policy that fails
 * (throws, or asks for what the hardware forbids) fails its own run only.
 */
public final class Comparison {
    /** The core's Guice module: what the engine offers every policy's injector besides its settings. */
    private static final Module CORE_MODULE = new AbstractModule() {
        @Override
        protected void configure() {}
    };

    /**
     * One planned run: the policies of every kind, chosen and validated, and each kind's policy as
     * the report shows it ({@link RunPolicy#none()} for a kind the run leaves empty).
     */
    public record PlannedRun(List<SelectedPolicy> policies, Map<PolicyKind, RunPolicy> shown) {
        /** Each kind's full label ({@link RunPolicy#label()}). */
        public Map<PolicyKind, String> labels() {
            Map<PolicyKind, String> out = new EnumMap<>(PolicyKind.class);
            shown.forEach((k, p) -> out.put(k, p.label()));
            return out;
        }
    }

    /** A planned run and its result, for callers that want the raw numbers (bench, tests). */
    public record Outcome(PlannedRun run, RunResult result) {}

    /**
     * Where a planned run executes: in this JVM ({@link #IN_PROCESS}), or in a worker JVM
     * ({@code dev.pmulab.sim.worker.WorkerExecutor}) that contains whatever a plugin does. Either
     * way the result is the same bytes: a run is a pure function of (scenario, policies, seed).
     */
    @FunctionalInterface
    public interface RunExecutor {
        /** Runs {@code run}, telling {@code progress} how far its simulated time has got where it can. */
        RunResult run(Comparison comparison, PlannedRun run, SimulatedProgress progress);
    }

    /** Every run in this JVM, on the comparison's threads. */
    public static final RunExecutor IN_PROCESS = (comparison, run, progress) -> comparison.runOne(run, progress);

    /**
     * How far the plan has got, for a progress display: each run's simulated time as it advances
     * (from the run's thread, see {@link SimulatedProgress}) and each run's end.
     */
    public interface PlanProgress {
        /** Run {@code index} of the plan has simulated {@code simulatedNs}. Must not allocate. */
        void simulated(int index, long simulatedNs);

        /** Run {@code index} has finished, whether it succeeded or failed. */
        void finished(int index);
    }

    private final Scenario scenario;
    private final PolicyKind kind;
    private final List<PlannedRun> runs;
    private final long seed;

    private Comparison(Scenario scenario, PolicyKind kind, List<PlannedRun> runs, long seed) {
        this.scenario = scenario;
        this.kind = kind;
        this.runs = runs;
        this.seed = seed;
    }

    /**
     * Plans the comparison: {@code compared} names policies of one kind (empty: the scenario's
     * allocation list, or every allocation policy when it names none).
     *
     * @throws PluginException for unknown names, mixed kinds, or bad settings, naming what is known
     */
    public static Comparison plan(Scenario scenario, PolicyRegistry registry, List<String> compared, long seed) {
        requireNonNull(scenario, "scenario is null");
        requireNonNull(registry, "registry is null");
        requireNonNull(compared, "compared is null");
        ScenarioPolicies chosen = ScenarioPolicies.select(scenario, registry);
        Optional<SelectedPolicy> selection = chosen.selection();
        Optional<SelectedPolicy> filter = chosen.filter();
        List<SelectedPolicy> allocations = chosen.allocation();
        PolicyKind kind = PolicyKind.ALLOCATION;
        List<SelectedPolicy> columns = new ArrayList<>();
        if (!compared.isEmpty()) {
            List<PolicyLabel.Parsed> parsed =
                    compared.stream().map(PolicyLabel::parse).toList();
            kind = kindOf(
                    registry, parsed.stream().map(PolicyLabel.Parsed::name).toList());
            for (PolicyLabel.Parsed p : parsed) {
                // A policy the scenario configures keeps its settings when compared by name; settings
                // in the label replace the scenario's one by one.
                Map<String, Object> raw = new LinkedHashMap<>(configured(scenario, kind, p.name()));
                raw.putAll(p.rawSettings());
                columns.add(SelectedPolicy.select(registry, kind, p.name(), raw));
            }
            requireDistinct(columns);
        } else {
            // The scenario's allocation list; a scenario naming none gets every installed one.
            columns.addAll(allocations);
        }
        if (columns.isEmpty()) {
            throw new PluginException("no " + kind.configName() + " policy is installed to compare");
        }
        List<PlannedRun> runs = new ArrayList<>();
        for (SelectedPolicy column : columns) {
            List<SelectedPolicy> ps = new ArrayList<>();
            Map<PolicyKind, RunPolicy> shown = new EnumMap<>(PolicyKind.class);
            ps.add(column);
            shown.put(kind, column.runPolicy());
            if (kind != PolicyKind.ALLOCATION) {
                SelectedPolicy a = scenario.policies().allocation().isEmpty()
                        ? SelectedPolicy.select(registry, PolicyKind.ALLOCATION, defaultAllocation(registry), Map.of())
                        : allocations.get(0);
                ps.add(a);
                shown.put(PolicyKind.ALLOCATION, a.runPolicy());
            }
            if (kind != PolicyKind.SELECTION) {
                selection.ifPresent(ps::add);
                shown.put(
                        PolicyKind.SELECTION,
                        selection.map(SelectedPolicy::runPolicy).orElse(RunPolicy.none()));
            }
            if (kind != PolicyKind.FILTER) {
                filter.ifPresent(ps::add);
                shown.put(
                        PolicyKind.FILTER, filter.map(SelectedPolicy::runPolicy).orElse(RunPolicy.none()));
            }
            runs.add(new PlannedRun(List.copyOf(ps), shown));
        }
        return new Comparison(scenario, kind, List.copyOf(runs), seed);
    }

    private static String defaultAllocation(PolicyRegistry registry) {
        List<String> names = registry.namesOf(PolicyKind.ALLOCATION);
        return names.contains("emulated") ? "emulated" : names.get(0);
    }

    /** The raw settings the scenario gives policy {@code name} of {@code kind}; empty when it does not name it. */
    private static Map<String, Object> configured(Scenario s, PolicyKind kind, String name) {
        List<PolicyChoice> choices = switch (kind) {
            case ALLOCATION -> s.policies().allocation();
            case SELECTION -> s.policies().selection().stream().toList();
            case FILTER -> s.policies().filter().stream().toList();
        };
        for (PolicyChoice c : choices) {
            if (c.name().equals(name)) {
                return c.rawSettings();
            }
        }
        return Map.of();
    }

    /** Two columns with the same policy and settings would be one run twice: name the second. */
    private static void requireDistinct(List<SelectedPolicy> columns) {
        for (int i = 0; i < columns.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (columns.get(j).name().equals(columns.get(i).name())
                        && columns.get(j).settings().equals(columns.get(i).settings())) {
                    throw new PluginException("--policies: '"
                            + columns.get(i).runPolicy().shortLabel()
                            + "' at position " + (i + 1) + " runs the same policy with the same settings as position "
                            + (j + 1) + "; each column is one run");
                }
            }
        }
    }

    private static PolicyKind kindOf(PolicyRegistry registry, List<String> names) {
        PolicyKind kind = null;
        for (String n : names) {
            PolicyKind k = null;
            for (var p : registry.all()) {
                if (p.name().equals(n)) {
                    k = p.kind();
                }
            }
            if (k == null) {
                List<String> known = registry.all().stream().map(p -> p.name()).toList();
                throw new PluginException("unknown policy '" + n + "'; known: " + String.join(", ", known));
            }
            if (kind != null && k != kind) {
                throw new PluginException("--policies names policies of one kind; '" + n + "' is a " + k.configName()
                        + " policy, the others are " + kind.configName() + " policies");
            }
            kind = k;
        }
        return kind;
    }

    public List<PlannedRun> runs() {
        return runs;
    }

    public PolicyKind comparedKind() {
        return kind;
    }

    /** The comparison of planned run {@code index} alone, with its settings (for timing one run). */
    public Comparison only(int index) {
        return new Comparison(scenario, kind, List.of(runs.get(index)), seed);
    }

    /** Runs every planned run in this JVM, {@code parallelism} at a time, reporting each finished run to {@code done}. */
    public List<Outcome> execute(int parallelism, IntConsumer done) {
        return execute(parallelism, done, IN_PROCESS);
    }

    /**
     * Runs every planned run through {@code executor}, {@code parallelism} at a time, reporting each
     * finished run to {@code done}; outcomes in plan order.
     */
    public List<Outcome> execute(int parallelism, IntConsumer done, RunExecutor executor) {
        requireNonNull(done, "done is null");
        return execute(
                parallelism,
                new PlanProgress() {
                    @Override
                    public void simulated(int index, long simulatedNs) {}

                    @Override
                    public void finished(int index) {
                        done.accept(1);
                    }
                },
                executor);
    }

    /**
     * Runs every planned run through {@code executor}, {@code parallelism} at a time, telling
     * {@code progress} how far each has simulated and when it finishes; outcomes in plan order.
     */
    public List<Outcome> execute(int parallelism, PlanProgress progress, RunExecutor executor) {
        requireNonNull(executor, "executor is null");
        requireNonNull(progress, "progress is null");
        List<Outcome> out = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, runs.size())), r -> {
            Thread t = new Thread(r, "pmulab-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                int index = i;
                PlannedRun run = runs.get(i);
                SimulatedProgress reached = ns -> progress.simulated(index, ns);
                futures.add(pool.submit(() -> {
                    RunResult r = executor.run(this, run, reached);
                    progress.finished(index);
                    return r;
                }));
            }
            for (int i = 0; i < runs.size(); i++) {
                out.add(new Outcome(runs.get(i), get(futures.get(i))));
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private static RunResult get(Future<RunResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        }
    }

    private RunResult runOne(PlannedRun run, SimulatedProgress progress) {
        return run(scenario, run.policies(), seed, progress);
    }

    /**
     * One run of {@code scenario} with {@code policies} (at most one of each kind) in this JVM: what
     * every executor ends in, here or in a worker.
     */
    public static RunResult run(Scenario scenario, List<SelectedPolicy> policies, long seed) {
        return run(scenario, policies, seed, SimulatedProgress.NONE);
    }

    /** {@link #run(Scenario, List, long)}, telling {@code progress} how far the simulated time has got. */
    public static RunResult run(
            Scenario scenario, List<SelectedPolicy> policies, long seed, SimulatedProgress progress) {
        String allocation = policies.stream()
                .filter(p -> p.kind() == PolicyKind.ALLOCATION)
                .map(SelectedPolicy::name)
                .findFirst()
                .orElse("emulated");
        RunPolicies rp;
        try {
            rp = RunPolicies.create(CORE_MODULE, policies, seed);
        } catch (PolicyFailure e) {
            return RunResult.failed(e.failure(), List.of(), 0, 0);
        }
        return new Simulation(scenario, rp, allocation, seed).run(progress);
    }

    /** The scenario every run of this comparison simulates. */
    public Scenario scenario() {
        return scenario;
    }

    /** The simulated time each run lasts at most (it may end sooner when its work is done). */
    public long simulatedNsPerRun() {
        return scenario.run().limitNs();
    }

    /** The seed of every run. */
    public long seed() {
        return seed;
    }

    /** Turns outcomes into the side-by-side report. */
    public ComparisonReport report(List<Outcome> outcomes) {
        List<RunReport> reports = new ArrayList<>();
        Map<KernelCost, CostModel.Use> used = new TreeMap<>();
        for (Outcome o : outcomes) {
            RunResult r = o.result();
            if (r.ok()) {
                reports.add(RunReport.ok(o.run().shown(), r.metrics()));
            } else {
                reports.add(RunReport.failed(o.run().shown(), r.failure().orElseThrow()));
            }
            for (CostModel.Use u : r.costsUsed()) {
                used.putIfAbsent(u.cost(), u);
            }
        }
        List<CostAssumption> assumptions = new ArrayList<>();
        for (CostModel.Use u : used.values()) {
            KernelCost c = u.cost();
            assumptions.add(new CostAssumption(
                    c.id(),
                    c.name().toLowerCase(java.util.Locale.ROOT),
                    u.price().baseNs(),
                    c.flag().name().toLowerCase(java.util.Locale.ROOT),
                    c.source(),
                    u.overridden()));
            if (u.price().perUnitNs() > 0) {
                assumptions.add(new CostAssumption(
                        c.id() + ".per_unit",
                        c.name().toLowerCase(java.util.Locale.ROOT) + " per unit",
                        u.price().perUnitNs(),
                        c.flag().name().toLowerCase(java.util.Locale.ROOT),
                        c.source(),
                        u.overridden()));
            }
        }
        assumptions.sort(CostAssumption.BY_ID);
        return new ComparisonReport(scenario.name(), scenario.description(), seed, kind, reports, assumptions);
    }
}
