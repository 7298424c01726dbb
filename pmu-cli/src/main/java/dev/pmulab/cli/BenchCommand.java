package dev.pmulab.cli;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.Scenario;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pmulab bench}: how fast the engine simulates: discrete events per second of wall time and
 * simulated time per wall time, on the flagship scenario (or another), per policy and for the whole
 * comparison on all cores, and each policy's run in CPU time, which a busy machine disturbs less than
 * wall time. Figures vary with the machine; they are printed, never tested.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure the engine: simulated events per second and simulated-time/wall-time ratio.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Parameters(arity = "0..1", paramLabel = "SCENARIO", description = "Default: " + BuiltInScenarios.FLAGSHIP + ".")
    private String scenario;

    @Option(
            names = "--policies",
            paramLabel = "POLICIES",
            description = "Policies to run, as compare's --policies takes them (default: the scenario's).")
    private List<String> policies;

    @Option(
            names = "--warmup",
            paramLabel = "N",
            defaultValue = "0",
            description = "Unmeasured runs of each policy before its measured one, so the JIT has compiled the "
                    + "hot path (default: ${DEFAULT-VALUE}; a cold run includes compilation).")
    private int warmup;

    @Option(
            names = "--repeat",
            paramLabel = "N",
            defaultValue = "1",
            description = "Measured runs of each policy; the line shows the fastest, by wall time and by CPU time "
                    + "(default: ${DEFAULT-VALUE}).")
    private int repeat;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Scenario s = CommonOptions.scenario(scenario == null ? BuiltInScenarios.FLAGSHIP : scenario);
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be 0 or more, not " + warmup);
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be 1 or more, not " + repeat);
        }
        List<String> compared = RunOptions.policyList(policies);
        Comparison c = Comparison.plan(s, common.registry(), compared, s.seed());
        out.printf(Locale.ROOT, "scenario %s: %d runs%n", s.name(), c.runs().size());
        long totalEvents = 0;
        double totalSim = 0;
        double serialWall = 0;
        for (int r = 0; r < c.runs().size(); r++) {
            Comparison.PlannedRun run = c.runs().get(r);
            // The planned run itself: two columns of one policy with different settings stay apart.
            Comparison one = c.only(r);
            for (int i = 0; i < warmup; i++) {
                one.execute(1, n -> {});
            }
            double wall = Double.MAX_VALUE;
            double cpu = Double.MAX_VALUE;
            Comparison.Outcome outcome = null;
            for (int i = 0; i < repeat; i++) {
                long c0 = processCpuNs();
                long t0 = System.nanoTime();
                outcome = one.execute(1, n -> {}).get(0);
                wall = Math.min(wall, (System.nanoTime() - t0) / 1e9);
                long c1 = processCpuNs();
                cpu = c0 < 0 || c1 < 0 ? -1 : Math.min(cpu, (c1 - c0) / 1e9);
            }
            serialWall += wall;
            long ev = outcome.result().events();
            long accesses = outcome.result().guestPmuAccesses();
            double sim = outcome.result().simulatedNs() / 1e9;
            totalEvents += ev;
            totalSim += sim;
            out.printf(
                    Locale.ROOT,
                    "  %-40s %,12d events  %8.2f M events/s  %8.1fx real time  %,12d guest PMU accesses"
                            + "  %6.2f M/s  %s  (%s)%n",
                    run.labels().get(c.comparedKind()),
                    ev,
                    ev / wall / 1e6,
                    sim / wall,
                    accesses,
                    accesses / wall / 1e6,
                    cpuColumn(cpu, accesses),
                    outcome.result().ok() ? "ok" : "failed");
        }
        long t0 = System.nanoTime();
        c.execute(Runtime.getRuntime().availableProcessors(), n -> {});
        double parallelWall = (System.nanoTime() - t0) / 1e9;
        out.printf(
                Locale.ROOT,
                "one at a time: %.2f s wall, %.2f M events/s%n",
                serialWall,
                totalEvents / serialWall / 1e6);
        out.printf(
                Locale.ROOT,
                "all at once on %d cores: %.2f s wall (%.2fx the one-at-a-time speed), %.1fx real time%n",
                Runtime.getRuntime().availableProcessors(),
                parallelWall,
                serialWall / parallelWall,
                totalSim / parallelWall);
        return 0;
    }

    /** Below this a run's CPU time is too coarse to rate: the process clock steps in 10 ms on Linux. */
    static final double SHORTEST_RATED_CPU_S = 0.1;

    /**
     * The CPU column of a policy's line: the run's CPU time and its guest PMU accesses per CPU
     * second, or why there is no rate (no CPU clock, or a run too short for the clock's steps).
     */
    static String cpuColumn(double cpuSeconds, long accesses) {
        if (cpuSeconds < 0) {
            return "CPU time n/a";
        }
        if (cpuSeconds < SHORTEST_RATED_CPU_S) {
            return String.format(Locale.ROOT, "CPU < %.1f s, not rated", SHORTEST_RATED_CPU_S);
        }
        return String.format(Locale.ROOT, "%6.2f s CPU  %6.2f M/CPU s", cpuSeconds, accesses / cpuSeconds / 1e6);
    }

    /**
     * The JVM's CPU time so far, every thread (the runs, and the JIT and collector beside them), in
     * ns; -1 where the platform's bean does not tell it.
     */
    private static long processCpuNs() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }
}
