package dev.pmulab.cli;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.engine.SimulatedProgress;
import dev.pmulab.sim.engine.WallTimeEstimate;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.sweep.BuiltInStudies;
import dev.pmulab.sim.sweep.PointResult;
import dev.pmulab.sim.sweep.PointRunner;
import dev.pmulab.sim.sweep.ScenarioResolver;
import dev.pmulab.sim.sweep.SweepHeader;
import dev.pmulab.sim.sweep.SweepOutput;
import dev.pmulab.sim.sweep.SweepPlan;
import dev.pmulab.sim.sweep.SweepPoint;
import dev.pmulab.sim.sweep.SweepReader;
import dev.pmulab.sim.sweep.SweepSpec;
import dev.pmulab.sim.worker.LongestFirst;
import dev.pmulab.sim.worker.RunSpec;
import dev.pmulab.sim.worker.WorkerExecutor;
import dev.pmulab.sim.worker.WorkerLaunch;
import dev.pmulab.sim.worker.WorkerPool;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pmulab sweep}: a study as one command, every point on every local core (docs/sweeps.md). */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = {
            "Run a study: every point of a sweep (policy settings, scenario values,",
            "seeds), each point in a worker JVM, --jobs at once. Finished points are",
            "appended to DIR/points.jsonl, so the same command run again resumes.",
            "When every point is done: DIR/results.csv and results.jsonl (one row per",
            "point, policy and metric) and report.html. docs/sweeps.md has the format.",
            "SWEEP is a sweep file or a built-in study (" + BuiltInStudies.RESERVATION + "); or give --vary.",
            "Exit status: 0 every run finished; 1 a run failed (its rows say why);",
            "2 bad input or usage, nothing ran."
        })
final class SweepCommand implements Callable<Integer> {
    private static final Pattern SHARD = Pattern.compile("(\\d{1,6})/(\\d{1,6})");

    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Option(
            names = "--jobs",
            paramLabel = "N",
            description = "Runs at once: worker JVMs, or threads with --workers none (default: the number of CPUs).")
    private Integer jobs;

    @Option(
            names = "--workers",
            paramLabel = "WHICH",
            defaultValue = "all",
            description = "all: every point in a worker JVM (the default); none: on threads of this JVM.")
    private String workers;

    @Option(
            names = "--worker-budget",
            paramLabel = "DURATION",
            description = "Wall-clock time a run may take in a worker before it is stopped and failed "
                    + "(default: 30s plus ten times the run's estimated time).")
    private String workerBudget;

    @Option(
            names = "--worker-heap",
            paramLabel = "SIZE",
            description =
                    "A worker JVM's heap cap, such as 512m or 2g (default: " + WorkerLaunch.DEFAULT_HEAP_MIB + "m).")
    private String workerHeap;

    /** compare's parsing of the same options. */
    private final RunOptions running = new RunOptions();

    @Parameters(
            arity = "0..1",
            paramLabel = "SWEEP",
            description = "A sweep file, or a built-in study: " + BuiltInStudies.RESERVATION + ".")
    private String sweep;

    @Option(
            names = "--vary",
            paramLabel = "PATH=VALUES",
            description = "An axis (repeatable; the cross product of all): PATH is POLICY.SETTING (*.SETTING for "
                    + "every policy), a scenario path (vms[0].pmu_usage.frequency), scenario or seed; VALUES is "
                    + "v1,v2,... or a range 0..5 (0..N-1: to the host's counters). Instead of SWEEP.")
    private List<String> vary = new ArrayList<>();

    @Option(
            names = "--policies",
            split = ",",
            paramLabel = "NAME",
            description = "With --vary: the allocation policies compared at every point (default: the scenario's).")
    private List<String> policies = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", description = "With --vary: the study's name (default: sweep).")
    private String name = "sweep";

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "The output directory (default: sweep-NAME). A points log there of the same sweep is " + "resumed.")
    private Path out;

    @Option(
            names = "--shard",
            paramLabel = "I/N",
            description = "Run only the points whose index mod N is I (a job array's task); pmulab merge joins "
                    + "the shards' directories.")
    private String shard;

    @Option(names = "--fresh", description = "Discard the points log in DIR instead of resuming it.")
    private boolean fresh;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!workers.equals("all") && !workers.equals("none")) {
            throw new IllegalArgumentException("--workers must be all or none, not '" + workers + "'");
        }
        running.jobs = jobs;
        running.workers = workers;
        running.workerBudget = workerBudget;
        running.workerHeap = workerHeap;
        running.validate();
        int[] slice = shard();
        if (sweep != null && !vary.isEmpty()) {
            throw new IllegalArgumentException("give a sweep file (or a built-in study) or --vary axes, not both");
        }
        if (sweep == null && vary.isEmpty()) {
            throw new IllegalArgumentException("give a sweep file, a built-in study ("
                    + String.join(", ", BuiltInStudies.names()) + ") or --vary axes");
        }
        if (sweep != null && !policies.isEmpty()) {
            throw new IllegalArgumentException("--policies goes with --vary; a sweep file names its policies");
        }
        List<Path> pluginDirs = common.pluginDirectories();
        SweepPlan plan = sweep == null
                ? SweepPlan.of(
                        SweepReader.fromArguments(
                                name, vary, policies.stream().map(String::strip).toList(), BuiltInScenarios.FLAGSHIP),
                        common.registry(),
                        pluginDirs,
                        ScenarioResolver.relativeTo(null))
                : SweepPlan.load(sweep, common.registry(), pluginDirs);
        SweepSpec s = plan.spec();
        SweepHeader header = plan.header();
        Path dir = out != null ? out : Path.of("sweep-" + s.name());
        String shardName = slice == null ? null : slice[0] + "/" + slice[1];
        List<SweepPoint> mine = slice == null ? plan.points() : plan.shard(slice[0], slice[1]);
        if (fresh) {
            Files.deleteIfExists(dir.resolve(SweepOutput.POINTS));
        }
        SweepOutput.Opened opened = SweepOutput.Appender.open(dir, header, shardName);
        TreeMap<Integer, PointResult> done = opened.done();
        List<SweepPoint> todo =
                mine.stream().filter(p -> !done.containsKey(p.index())).toList();
        int jobs = Math.max(1, Math.min(running.parallelism(), Math.max(1, todo.size())));
        err.println("pmulab sweep: " + s.name() + " (" + header.specHash() + "): "
                + plan.points().size() + " points"
                + (slice == null ? "" : ", shard " + shardName + " has " + mine.size())
                + (done.isEmpty() ? "" : ", " + (mine.size() - todo.size()) + " done before") + ", "
                + todo.size() + " to run on " + jobs + (jobs == 1 ? " job" : " jobs") + " -> " + dir);
        err.flush();
        long t0 = System.nanoTime();
        List<PointResult> ran = run(
                todo,
                plan.specHash(),
                pluginDirs,
                opened.appender(),
                jobs,
                err,
                mine.size() - todo.size(),
                mine.size());
        opened.appender().close();
        for (PointResult r : ran) {
            done.put(r.index(), r);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        err.println(String.format(java.util.Locale.ROOT, "pmulab sweep: ran %d points in %.1f s", ran.size(), wall));
        if (slice == null) {
            SweepOutput.writeAll(header, List.copyOf(done.values()), dir);
            err.println("pmulab sweep: wrote " + dir.resolve(SweepOutput.CSV) + ", " + dir.resolve(SweepOutput.JSONL)
                    + " and " + dir.resolve(SweepOutput.HTML));
        } else {
            err.println("pmulab sweep: shard " + shardName + " done in " + dir.resolve(SweepOutput.POINTS)
                    + "; join the shards with pmulab merge DIR... --out DIR");
        }
        long failed = done.values().stream().filter(r -> !r.ok()).count();
        if (failed > 0) {
            err.println("pmulab sweep: " + failed + " points have a failed run (their rows carry the failure)");
            return Pmulab.EXIT_RUN_FAILED;
        }
        return 0;
    }

    private int[] shard() {
        if (shard == null) {
            return null;
        }
        Matcher m = SHARD.matcher(shard.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--shard is I/N, as 0/4, not '" + shard + "'");
        }
        int i = Integer.parseInt(m.group(1));
        int n = Integer.parseInt(m.group(2));
        if (n < 1 || i >= n) {
            throw new IllegalArgumentException("--shard I/N needs 0 <= I < N, not " + shard);
        }
        return new int[] {i, n};
    }

    /**
     * Runs the points' runs, {@code jobs} at a time, each point appended to the log when its last
     * run finishes. The unit of work is a run, not a point: a point's runs (one per policy) spread
     * over the jobs, and the runs estimated to take longest start first ({@link LongestFirst}), so
     * the sweep does not end with one core finishing a long point while the other idles.
     */
    private List<PointResult> run(
            List<SweepPoint> todo,
            String hash,
            List<Path> pluginDirs,
            SweepOutput.Appender log,
            int jobs,
            PrintWriter err,
            int before,
            int total)
            throws IOException {
        PointRunner runner = new PointRunner(Pmulab.class.getClassLoader());
        boolean inWorkers = running.isolation() != WorkerExecutor.Isolation.NONE;
        Optional<Long> budget = running.budgetNs();
        List<Comparison> plans = new ArrayList<>(todo.size());
        List<RunOfPoint> tasks = new ArrayList<>();
        List<Double> estimates = new ArrayList<>();
        for (int p = 0; p < todo.size(); p++) {
            Comparison c = runner.plan(todo.get(p));
            plans.add(c);
            WallTimeEstimate e = WallTimeEstimate.of(c.scenario());
            for (int r = 0; r < c.runs().size(); r++) {
                tasks.add(new RunOfPoint(p, r));
                estimates.add(e.wallSeconds(RunOptions.direct(c.runs().get(r))));
            }
        }
        RunResult[][] results = new RunResult[todo.size()][];
        AtomicIntegerArray left = new AtomicIntegerArray(todo.size());
        AtomicLongArray started = new AtomicLongArray(todo.size());
        for (int p = 0; p < todo.size(); p++) {
            results[p] = new RunResult[plans.get(p).runs().size()];
            left.set(p, plans.get(p).runs().size());
        }
        PointResult[] finished = new PointResult[todo.size()];
        AtomicInteger count = new AtomicInteger(before);
        try (WorkerPool pool = inWorkers
                ? new WorkerPool(WorkerLaunch.ofThisJvm(Pmulab.class.getName(), running.heapMiB()), err)
                : null) {
            PointRunner.Executors executors = inWorkers
                    ? (point, comparison) -> new WorkerExecutor(
                            pool,
                            WorkerExecutor.Isolation.ALL,
                            new RunSpec.ScenarioSource(point.scenarioFile(), point.scenarioText()),
                            pluginDirs,
                            run -> budget.orElseGet(() -> RunOptions.BASE_BUDGET_NS
                                    + Math.round(10e9
                                            * WallTimeEstimate.of(comparison.scenario())
                                                    .wallSeconds(RunOptions.direct(run)))))
                    : PointRunner.Executors.IN_PROCESS;
            try {
                LongestFirst.run(jobs, estimates, "pmulab-sweep", i -> {
                    int p = tasks.get(i).point();
                    int r = tasks.get(i).run();
                    SweepPoint point = todo.get(p);
                    Comparison c = plans.get(p);
                    started.compareAndSet(p, 0, System.nanoTime());
                    RunResult result =
                            executors.forPoint(point, c).run(c, c.runs().get(r), SimulatedProgress.NONE);
                    synchronized (results[p]) {
                        results[p][r] = result;
                    }
                    if (left.decrementAndGet(p) == 0) {
                        finish(point, p, c, results[p], hash, log, finished, count, total, started, err);
                    }
                    return result;
                });
            } catch (UncheckedIOException e) {
                throw e.getCause(); // the points log could not be written
            }
        }
        return List.of(finished);
    }

    /** Run {@code run} of the point at {@code point} in the list of points to run. */
    private record RunOfPoint(int point, int run) {}

    /** The point's last run finished: its result goes to the log and a line to stderr. */
    private static void finish(
            SweepPoint point,
            int p,
            Comparison c,
            RunResult[] runs,
            String hash,
            SweepOutput.Appender log,
            PointResult[] finished,
            AtomicInteger count,
            int total,
            AtomicLongArray started,
            PrintWriter err) {
        List<Comparison.Outcome> outcomes = new ArrayList<>(runs.length);
        synchronized (runs) {
            for (int r = 0; r < runs.length; r++) {
                outcomes.add(new Comparison.Outcome(c.runs().get(r), runs[r]));
            }
        }
        PointResult result = PointResult.of(point, hash, outcomes);
        try {
            log.append(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (finished) {
            finished[p] = result;
        }
        int n = count.incrementAndGet();
        synchronized (err) {
            err.println(String.format(
                    java.util.Locale.ROOT,
                    "pmulab sweep: [%d/%d] point %d %s: %.1f s%s",
                    n,
                    total,
                    point.index(),
                    describe(point),
                    (System.nanoTime() - started.get(p)) / 1e9,
                    result.ok() ? "" : " (a run failed)"));
            err.flush();
        }
    }

    private static String describe(SweepPoint p) {
        StringBuilder sb = new StringBuilder();
        p.axes()
                .forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ")
                        .append(k)
                        .append('=')
                        .append(v));
        return sb.toString();
    }
}
