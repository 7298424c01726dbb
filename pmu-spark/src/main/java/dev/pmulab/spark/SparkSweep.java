package dev.pmulab.spark;

import dev.pmulab.sim.plugin.PluginException;
import dev.pmulab.sim.scenario.ScenarioException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code spark-submit --class dev.pmulab.spark.SparkSweep pmu-spark.jar SWEEP --out DIR}: a sweep's
 * points as a Spark job, writing what {@code pmulab sweep SWEEP --out DIR} writes (docs/sweeps.md).
 * The master and every other Spark setting come from spark-submit.
 *
 * <p>Exit status, as {@code pmulab sweep}'s: 0 every run finished; 1 a run failed (its rows say
 * why), or a point could not be run at all (each is named, nothing is written); 2 bad input.
 */
public final class SparkSweep {
    static final String USAGE = "usage: spark-submit --class " + SparkSweep.class.getName()
            + " pmu-spark.jar SWEEP --out DIR [--plugin-path DIR]...";

    /** The plugin directory used when no --plugin-path is given and it exists, as pmulab's. */
    static final Path DEFAULT_PLUGIN_DIR = Path.of("plugins");

    private SparkSweep() {}

    /**
     * The command line.
     *
     * @param sweep a sweep file or a built-in study's name
     * @param out the output directory
     * @param pluginPaths the plugin directories: the --plugin-path options, or ./plugins when none
     *     is given and it exists
     */
    record Args(String sweep, Path out, List<Path> pluginPaths) {
        static Args parse(List<String> args) {
            String sweep = null;
            Path out = null;
            List<Path> plugins = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("--out") || a.equals("--plugin-path")) {
                    if (i + 1 == args.size()) {
                        throw new IllegalArgumentException(a + " needs a directory");
                    }
                    Path p = Path.of(args.get(++i));
                    if (a.equals("--out")) {
                        out = p;
                    } else {
                        plugins.add(p);
                    }
                } else if (a.startsWith("-")) {
                    throw new IllegalArgumentException("unknown option " + a);
                } else if (sweep == null) {
                    sweep = a;
                } else {
                    throw new IllegalArgumentException("one sweep only; got " + sweep + " and " + a);
                }
            }
            if (sweep == null) {
                throw new IllegalArgumentException("no sweep file or built-in study given");
            }
            if (out == null) {
                throw new IllegalArgumentException("--out DIR is required");
            }
            if (out.toString().isBlank()) {
                throw new IllegalArgumentException("--out is an empty path");
            }
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
            }
            if (plugins.isEmpty() && Files.isDirectory(DEFAULT_PLUGIN_DIR)) {
                plugins.add(DEFAULT_PLUGIN_DIR);
            }
            return new Args(sweep, out, plugins);
        }
    }

    public static void main(String[] args) {
        int status = run(args, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Parses {@code args}, starts Spark with spark-submit's settings and runs the job. */
    static int run(String[] args, PrintStream err) {
        Args parsed;
        try {
            parsed = Args.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            err.println("pmulab-spark: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        SparkConf conf = new SparkConf().setAppName("pmulab sweep " + parsed.sweep());
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            return run(spark, new CoreSweepOps(parsed.pluginPaths()), parsed.sweep(), parsed.out(), err);
        }
    }

    /**
     * Runs the job and reports on {@code err}, as {@code pmulab sweep} does; returns the exit
     * status.
     */
    static <P extends Serializable, R extends Serializable> int run(
            JavaSparkContext spark, SweepOps<P, R> ops, String sweep, Path out, PrintStream err) {
        SparkSweepJob.Result<R> result;
        try {
            long t0 = System.nanoTime();
            result = new SparkSweepJob<>(spark, ops).run(sweep, out);
            err.println(String.format(
                    Locale.ROOT,
                    "pmulab-spark: ran %d points in %.1f s",
                    result.outcomes().size(),
                    (System.nanoTime() - t0) / 1e9));
        } catch (ScenarioException | PluginException | IllegalArgumentException e) {
            // Bad input names itself (file:line:column, the plugin, the option) and runs nothing.
            err.println("pmulab-spark: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            err.println("pmulab-spark: " + e.getMessage());
            return 1;
        }
        List<PointOutcome<R>> failed = result.failures();
        if (!failed.isEmpty()) {
            for (PointOutcome<R> f : failed) {
                err.println("pmulab-spark: point " + f.index() + ": " + f.failure());
            }
            err.println(String.format(
                    Locale.ROOT,
                    "pmulab-spark: %d of %d points failed; nothing written to %s",
                    failed.size(),
                    result.outcomes().size(),
                    out));
            return 1;
        }
        err.println("pmulab-spark: wrote " + out);
        if (result.pointsWithFailedRuns() > 0) {
            err.println("pmulab-spark: " + result.pointsWithFailedRuns()
                    + " points have a failed run (their rows carry the failure)");
            return 1;
        }
        return 0;
    }
}
