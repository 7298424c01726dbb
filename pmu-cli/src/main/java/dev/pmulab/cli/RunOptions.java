package dev.pmulab.cli;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.engine.WallTimeEstimate;
import dev.pmulab.sim.plugin.SelectedPolicy;
import dev.pmulab.sim.report.ComparisonReport;
import dev.pmulab.sim.report.PolicyLabel;
import dev.pmulab.sim.report.RunReport;
import dev.pmulab.sim.scenario.Durations;
import dev.pmulab.sim.worker.LongestFirst;
import dev.pmulab.sim.worker.WorkerExecutor;
import dev.pmulab.sim.worker.WorkerLaunch;
import dev.pmulab.sim.worker.WorkerPool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * How the runs of {@code compare} and {@code run} execute: how many at once, which go to worker
 * JVMs and with what budget and heap, and whether a run estimated to take long may start.
 */
final class RunOptions {
    /** Above this estimated wall time a comparison asks before it starts. */
    static final double CONFIRM_ABOVE_SECONDS = 600;
    /** A worker's budget when none is given: this, plus ten times the run's estimate. */
    static final long BASE_BUDGET_NS = 30_000_000_000L;

    private static final Pattern HEAP = Pattern.compile("(\\d{1,7})([mMgG])");

    @Option(names = "--jobs", paramLabel = "N", description = "Runs at once (default: the number of CPUs).")
    Integer jobs;

    @Option(
            names = "--workers",
            paramLabel = "WHICH",
            defaultValue = "plugins",
            description = "Which runs go to worker JVMs: plugins (runs with a policy from a plugin jar; the default), "
                    + "all, or none (everything in this JVM, for a debugger).")
    String workers;

    @Option(
            names = "--worker-budget",
            paramLabel = "DURATION",
            description = "Wall-clock time a run may take in a worker before it is stopped and its column failed "
                    + "(default: 30s plus ten times the run's estimated time).")
    String workerBudget;

    @Option(
            names = "--worker-heap",
            paramLabel = "SIZE",
            description =
                    "A worker JVM's heap cap, such as 512m or 2g (default: " + WorkerLaunch.DEFAULT_HEAP_MIB + "m).")
    String workerHeap;

    @Option(names = "--yes", description = "Start even when the estimate says the runs take over 10 minutes.")
    boolean yes;

    /** Checks every option (exit 2 on a bad one), before anything runs. */
    void validate() {
        if (jobs != null && jobs < 1) {
            throw new IllegalArgumentException("--jobs must be 1 or more, not " + jobs);
        }
        isolation();
        budgetNs();
        heapMiB();
    }

    int parallelism() {
        return jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
    }

    WorkerExecutor.Isolation isolation() {
        for (WorkerExecutor.Isolation i : WorkerExecutor.Isolation.values()) {
            if (i.cliName().equals(workers)) {
                return i;
            }
        }
        throw new IllegalArgumentException("--workers must be plugins, all or none, not '" + workers + "'");
    }

    /** The budget the user gave, if any. */
    Optional<Long> budgetNs() {
        if (workerBudget == null) {
            return Optional.empty();
        }
        long ns;
        try {
            ns = Durations.parseNs(workerBudget);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--worker-budget: " + e.getMessage());
        }
        if (ns < 100_000_000L) {
            throw new IllegalArgumentException("--worker-budget must be at least 100ms, not " + workerBudget);
        }
        return Optional.of(ns);
    }

    long heapMiB() {
        if (workerHeap == null) {
            return WorkerLaunch.DEFAULT_HEAP_MIB;
        }
        Matcher m = HEAP.matcher(workerHeap.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "--worker-heap must be a size such as 512m or 2g, not '" + workerHeap + "'");
        }
        long mib = Long.parseLong(m.group(1)) * (m.group(2).equalsIgnoreCase("g") ? 1024 : 1);
        if (mib < 64) {
            throw new IllegalArgumentException("--worker-heap must be at least 64m, not " + workerHeap);
        }
        return mib;
    }

    /**
     * Says how long the runs will take when that is long, and asks: on a terminal, a y/N question
     * on stderr; elsewhere (a script, CI) {@code --yes} must say it. Returns false when the runs
     * must not start.
     */
    boolean confirm(String command, Comparison c, PrintWriter err) {
        WallTimeEstimate e = WallTimeEstimate.of(c.scenario());
        List<Double> walls = new ArrayList<>();
        for (Comparison.PlannedRun run : c.runs()) {
            walls.add(e.wallSeconds(direct(run)));
        }
        int lanes = Math.max(
                1,
                Math.min(
                        parallelism(),
                        Math.min(walls.size(), Runtime.getRuntime().availableProcessors())));
        double total = Math.max(
                walls.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                walls.stream().mapToDouble(Double::doubleValue).sum() / lanes);
        if (total <= CONFIRM_ABOVE_SECONDS) {
            return true;
        }
        err.println("pmulab " + command + ": " + c.runs().size() + " runs of "
                + c.scenario().name() + " would take about "
                + WallTimeEstimate.human(total) + " on " + lanes + (lanes == 1 ? " core" : " cores") + " ("
                + WallTimeEstimate.human(e.simulatedSeconds()) + " simulated each: about "
                + WallTimeEstimate.count(e.eventsPerRun()) + " engine events and "
                + WallTimeEstimate.count(e.accessesPerRun()) + " guest PMU accesses per run)");
        err.println("pmulab " + command + ": most of it: "
                + Messages.cut(e.dominant().what()));
        err.flush();
        if (yes) {
            return true;
        }
        if (!stdinIsTerminal()) {
            err.println("pmulab " + command + ": not started; pass --yes to run it anyway, or shorten run.duration");
            return false;
        }
        err.print("Run it anyway? [y/N] ");
        err.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer != null
                    && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"))) {
                return true;
            }
        } catch (IOException ex) {
            // No answer is no.
        }
        err.println("pmulab " + command + ": not started");
        return false;
    }

    /** The run's guests get direct counters: a built-in allocation policy other than emulated. */
    static boolean direct(Comparison.PlannedRun run) {
        for (SelectedPolicy p : run.policies()) {
            if (p.kind() == PolicyKind.ALLOCATION) {
                return !p.policy().source().external() && !p.name().equals("emulated");
            }
        }
        return false;
    }

    /** Linux: stdin is a terminal when fd 0 is a tty or pty; elsewhere, when Java sees a console. */
    static boolean stdinIsTerminal() {
        return Progress.isTerminal(Path.of("/proc/self/fd/0")).orElseGet(() -> System.console() != null);
    }

    /** Runs the comparison: built-in runs here, the others in worker JVMs (by {@code --workers}). */
    List<Comparison.Outcome> execute(
            String command,
            Comparison c,
            CommonOptions.ScenarioInput input,
            List<Path> pluginDirectories,
            PrintWriter err) {
        WorkerExecutor.Isolation isolation = isolation();
        Optional<Long> budget = budgetNs();
        WallTimeEstimate estimate = WallTimeEstimate.of(c.scenario());
        Map<Comparison.PlannedRun, Long> budgets = new IdentityHashMap<>();
        for (Comparison.PlannedRun run : c.runs()) {
            budgets.put(run, budget.orElse(BASE_BUDGET_NS + Math.round(10e9 * estimate.wallSeconds(direct(run)))));
        }
        try (Progress p = Progress.simulated(c.scenario().name(), c.runs().size(), c.simulatedNsPerRun())) {
            if (c.runs().stream().noneMatch(run -> WorkerExecutor.inWorker(isolation, run))) {
                return longestFirst(c, estimate, p, Comparison.IN_PROCESS);
            }
            try (WorkerPool pool = new WorkerPool(WorkerLaunch.ofThisJvm(Pmulab.class.getName(), heapMiB()), err)) {
                return longestFirst(
                        c,
                        estimate,
                        p,
                        new WorkerExecutor(pool, isolation, input.source(), pluginDirectories, budgets::get));
            }
        }
    }

    /**
     * Runs the comparison's runs through {@code executor}, {@link #parallelism} at a time, the one
     * estimated to take longest first ({@link LongestFirst}: an emulated run listed last would
     * otherwise start when the other core has nothing left to do); outcomes in plan order.
     */
    List<Comparison.Outcome> longestFirst(
            Comparison c,
            WallTimeEstimate estimate,
            Comparison.PlanProgress progress,
            Comparison.RunExecutor executor) {
        List<Double> estimates = new ArrayList<>();
        for (Comparison.PlannedRun run : c.runs()) {
            estimates.add(estimate.wallSeconds(direct(run)));
        }
        List<RunResult> results = LongestFirst.run(parallelism(), estimates, "pmulab-run", i -> {
            RunResult r = executor.run(c, c.runs().get(i), ns -> progress.simulated(i, ns));
            progress.finished(i);
            return r;
        });
        List<Comparison.Outcome> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            out.add(new Comparison.Outcome(c.runs().get(i), results.get(i)));
        }
        return out;
    }

    /** Exit 1's explanation on stderr: which columns failed and why. */
    static void reportFailures(String command, ComparisonReport report, PrintWriter err) {
        List<RunReport> failed = report.failedRuns();
        if (failed.isEmpty()) {
            return;
        }
        err.println("pmulab " + command + ": " + failed.size() + " of "
                + report.runs().size() + " runs failed:");
        for (RunReport r : failed) {
            err.println("  " + r.label(report.comparedKind()) + ": " + Messages.cut(r.error()));
        }
        err.flush();
    }

    /**
     * {@code --policies} as given (each occurrence a comma-separated list; commas inside a label's
     * parentheses belong to it), one label per column; empty when not given. Checked like a
     * scenario's {@code policies.allocation} list: at least one, none empty. A policy twice with the
     * same settings is refused when the comparison is planned.
     */
    static List<String> policyList(List<String> policies) {
        if (policies == null) {
            return List.of(); // not given
        }
        List<String> labels = new ArrayList<>();
        for (String occurrence : policies) {
            labels.addAll(PolicyLabel.splitList(occurrence));
        }
        if (labels.isEmpty() || labels.stream().allMatch(String::isEmpty)) {
            throw new IllegalArgumentException("--policies lists no policy; leave it out to compare the scenario's");
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).isEmpty()) {
                throw new IllegalArgumentException("--policies has an empty name at position " + (i + 1) + " of "
                        + labels.size() + "; separate names with one comma");
            }
        }
        return List.copyOf(labels);
    }
}
