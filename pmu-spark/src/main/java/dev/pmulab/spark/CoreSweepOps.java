package dev.pmulab.spark;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.plugin.PluginException;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.sweep.PointResult;
import dev.pmulab.sim.sweep.PointRunner;
import dev.pmulab.sim.sweep.SweepOutput;
import dev.pmulab.sim.sweep.SweepPlan;
import dev.pmulab.sim.sweep.SweepPoint;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sweep core of {@code pmulab sweep} (dev.pmulab.sim.sweep) behind {@link SweepOps}: plans
 * with {@link SweepPlan}, runs a point with {@link PointRunner} in the executor's JVM, writes with
 * {@link SweepOutput#writeAll}, so the files are those of a complete local sweep.
 *
 * <p>Policies are found as {@code pmulab} finds them: on the class path (the built-ins in
 * pmu-spark.jar, and jars given to spark-submit with {@code --jars}), and in the plugin
 * directories, which every executor must see at the same path (the default, ./plugins, is the
 * working directory's: spark-submit's {@code --archives plugins.zip#plugins} puts it there on YARN
 * and Kubernetes). The directories are part of the sweep's hash, as they are locally.
 */
final class CoreSweepOps implements SweepOps<CoreSweepOps.Point, PointResult> {
    private static final long serialVersionUID = 1L;

    /** One runner per executor JVM and class loader: it keeps the policy registries it discovered. */
    private static final Map<ClassLoader, PointRunner> RUNNERS = new ConcurrentHashMap<>();

    /** A planned point and the hash of its plan, which its result carries. */
    record Point(SweepPoint point, String specHash) implements Serializable {
        private static final long serialVersionUID = 1L;

        Point {
            requireNonNull(point, "point is null");
            requireNonNull(specHash, "specHash is null");
        }
    }

    // Stream.toList() gives an unmodifiable list, which is serializable; javac 21 on cannot tell
    // from the declared type, and would warn.
    @SuppressWarnings("serial")
    private final List<String> pluginDirectories;

    /** @param pluginDirectories the plugin directories, as given (checked on the driver by {@link #plan}) */
    CoreSweepOps(List<Path> pluginDirectories) {
        this.pluginDirectories = pluginDirectories.stream().map(Path::toString).toList();
    }

    /**
     * The loader policies are found in: the task's context class loader, which holds pmu-spark.jar
     * and every jar given with {@code --jars} (on the driver and on each executor).
     */
    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : CoreSweepOps.class.getClassLoader();
    }

    @Override
    public Planned<Point, PointResult> plan(String sweep) {
        List<Path> dirs = pluginDirectories.stream().map(Path::of).toList();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new PluginException("--plugin-path " + d + ": no such directory");
            }
        }
        PolicyRegistry registry = PolicyRegistry.discover(loader(), dirs);
        SweepPlan plan = SweepPlan.load(sweep, registry, dirs);
        List<Point> points =
                plan.points().stream().map(p -> new Point(p, plan.specHash())).toList();
        return new Planned<>() {
            @Override
            public List<Point> points() {
                return points;
            }

            @Override
            public int write(List<PointResult> results, Path out) {
                SweepOutput.writeAll(plan.header(), results, out);
                return (int) results.stream().filter(r -> !r.ok()).count();
            }
        };
    }

    @Override
    public PointResult run(Point p) {
        PointRunner runner = RUNNERS.computeIfAbsent(loader(), PointRunner::new);
        return runner.run(p.point(), p.specHash());
    }
}
