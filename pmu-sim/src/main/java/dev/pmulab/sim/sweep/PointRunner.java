package dev.pmulab.sim.sweep;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one {@link SweepPoint} to its {@link PointResult}: loads the point's scenario text, selects
 * its policies and runs each, one after the other. Where the runs execute is the caller's choice
 * ({@link Executors}): this JVM (a Spark executor, a test), or a worker JVM each. Deterministic:
 * the same point gives the same result, bytes included, wherever it runs. Safe for use by several
 * threads at once.
 */
public final class PointRunner {
    /** Chooses where a point's runs execute. */
    @FunctionalInterface
    public interface Executors {
        /** The executor for the runs of {@code point}, planned as {@code comparison}. */
        Comparison.RunExecutor forPoint(SweepPoint point, Comparison comparison);

        /** Every run in the calling thread, in this JVM. */
        Executors IN_PROCESS = (point, comparison) -> Comparison.IN_PROCESS;
    }

    private final ClassLoader applicationLoader;
    /** The registry every point gets, or null to discover one per point's plugin paths. */
    private final PolicyRegistry preset;

    private final Map<List<String>, PolicyRegistry> registries = new ConcurrentHashMap<>();

    /**
     * @param applicationLoader the loader of pmulab's own classes: policies are discovered from it
     *     and from each point's plugin paths
     */
    public PointRunner(ClassLoader applicationLoader) {
        this(requireNonNull(applicationLoader, "applicationLoader is null"), null);
    }

    private PointRunner(ClassLoader applicationLoader, PolicyRegistry preset) {
        this.applicationLoader = applicationLoader;
        this.preset = preset;
    }

    /** A runner whose points find their policies in {@code registry} (whatever their plugin paths). */
    public static PointRunner withRegistry(PolicyRegistry registry) {
        return new PointRunner(PointRunner.class.getClassLoader(), requireNonNull(registry, "registry is null"));
    }

    /** The registry of {@code point}'s policies. */
    public PolicyRegistry registry(SweepPoint point) {
        if (preset != null) {
            return preset;
        }
        return registries.computeIfAbsent(
                point.pluginPaths(),
                p -> PolicyRegistry.discover(
                        applicationLoader, p.stream().map(Path::of).toList()));
    }

    /** The point's runs, planned (its compared policies, the seed). */
    public Comparison plan(SweepPoint point) {
        Scenario scenario = ScenarioLoader.load(point.scenarioFile(), point.scenarioText());
        return Comparison.plan(scenario, registry(point), List.of(), point.seed());
    }

    /** Runs {@code point} in this JVM, its runs one after the other. */
    public PointResult run(SweepPoint point, String specHash) {
        return run(point, specHash, Executors.IN_PROCESS);
    }

    /** Runs {@code point}, its runs one after the other through {@code executors}. */
    public PointResult run(SweepPoint point, String specHash, Executors executors) {
        requireNonNull(point, "point is null");
        requireNonNull(specHash, "specHash is null");
        Comparison c = plan(point);
        List<Comparison.Outcome> outcomes = c.execute(1, done -> {}, executors.forPoint(point, c));
        return PointResult.of(point, specHash, outcomes);
    }
}
