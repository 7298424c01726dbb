package dev.pmulab.sim.worker;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.engine.SimulatedProgress;
import dev.pmulab.sim.plugin.SelectedPolicy;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Sends a comparison's runs to worker JVMs ({@link WorkerPool}) or runs them here, by
 * {@link Isolation}: by default a run goes to a worker when one of its policies comes from a plugin
 * jar, and built-in policies run in this JVM (docs/architecture.md, "Worker JVMs", has the
 * measurement behind that choice).
 */
public final class WorkerExecutor implements Comparison.RunExecutor {
    /** Which runs go to workers. */
    public enum Isolation {
        /** Runs with a policy from a plugin jar or directory (the default). */
        PLUGINS,
        /** Every run. */
        ALL,
        /** None: everything in this JVM, as a debugger wants it. */
        NONE;

        /** {@code plugins}, {@code all}, {@code none}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final WorkerPool pool;
    private final Isolation isolation;
    private final RunSpec.ScenarioSource scenario;
    private final List<Path> pluginPaths;
    private final ToLongFunction<Comparison.PlannedRun> budgetNs;

    /**
     * @param scenario the text the comparison's scenario was loaded from: a worker loads it again
     * @param pluginPaths the plugin directories the comparison's registry was discovered in
     * @param budgetNs each run's wall-clock budget in a worker
     */
    public WorkerExecutor(
            WorkerPool pool,
            Isolation isolation,
            RunSpec.ScenarioSource scenario,
            List<Path> pluginPaths,
            ToLongFunction<Comparison.PlannedRun> budgetNs) {
        this.pool = requireNonNull(pool, "pool is null");
        this.isolation = requireNonNull(isolation, "isolation is null");
        this.scenario = requireNonNull(scenario, "scenario is null");
        this.pluginPaths = List.copyOf(pluginPaths);
        this.budgetNs = requireNonNull(budgetNs, "budgetNs is null");
    }

    /** Whether {@code run} goes to a worker. */
    public boolean inWorker(Comparison.PlannedRun run) {
        return inWorker(isolation, run);
    }

    /** Whether {@code run} goes to a worker under {@code isolation}. */
    public static boolean inWorker(Isolation isolation, Comparison.PlannedRun run) {
        return switch (isolation) {
            case NONE -> false;
            case ALL -> true;
            case PLUGINS ->
                run.policies().stream().anyMatch(p -> p.policy().source().external());
        };
    }

    @Override
    public RunResult run(Comparison comparison, Comparison.PlannedRun run, SimulatedProgress progress) {
        if (!inWorker(run)) {
            return Comparison.IN_PROCESS.run(comparison, run, progress);
        }
        Map<PolicyKind, String> names = new EnumMap<>(PolicyKind.class);
        run.policies().forEach(p -> names.put(p.kind(), p.name()));
        List<String> plugins = run.policies().stream()
                .filter(p -> p.policy().source().external())
                .map(SelectedPolicy::name)
                .toList();
        RunSpec spec = RunSpec.of(pool.nextId(), scenario, comparison.seed(), pluginPaths, run.policies());
        return pool.run(spec, budgetNs.applyAsLong(run), names, plugins, progress);
    }
}
