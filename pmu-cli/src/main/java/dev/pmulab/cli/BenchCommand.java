package dev.pmulab.cli;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.Scenario;
import java.io.PrintWriter;
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
 * comparison on all cores. Wall-clock figures vary with the machine; they are printed, never tested.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the engine: simulated events per second and simulated-time/wall-time ratio.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Parameters(arity = "0..1", paramLabel = "SCENARIO", description = "Default: " + BuiltInScenarios.FLAGSHIP + ".")
    private String scenario;

    @Option(names = "--policies", split = ",", paramLabel = "NAME", description = "Policies to run (default: the scenario's).")
    private List<String> policies = List.of();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Scenario s = CommonOptions.scenario(scenario == null ? BuiltInScenarios.FLAGSHIP : scenario);
        Comparison c = Comparison.plan(s, common.registry(), policies, s.seed());
        out.printf(Locale.ROOT, "scenario %s: %d runs%n", s.name(), c.runs().size());
        long totalEvents = 0;
        double totalSim = 0;
        long serialStart = System.nanoTime();
        for (Comparison.PlannedRun run : c.runs()) {
            Comparison one = Comparison.plan(s, common.registry(),
                    List.of(run.labels().get(c.comparedKind()).replaceAll("\\(.*", "")), s.seed());
            long t0 = System.nanoTime();
            var outcome = one.execute(1, n -> { }).get(0);
            double wall = (System.nanoTime() - t0) / 1e9;
            long ev = outcome.result().events();
            double sim = outcome.result().simulatedNs() / 1e9;
            totalEvents += ev;
            totalSim += sim;
            out.printf(Locale.ROOT, "  %-40s %,12d events  %8.2f M events/s  %8.1fx real time  (%s)%n",
                    run.labels().get(c.comparedKind()), ev, ev / wall / 1e6, sim / wall,
                    outcome.result().ok() ? "ok" : "failed");
        }
        double serialWall = (System.nanoTime() - serialStart) / 1e9;
        long t0 = System.nanoTime();
        c.execute(Runtime.getRuntime().availableProcessors(), n -> { });
        double parallelWall = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "one at a time: %.2f s wall, %.2f M events/s%n", serialWall, totalEvents / serialWall / 1e6);
        out.printf(Locale.ROOT, "all at once on %d cores: %.2f s wall (%.2fx the one-at-a-time speed), %.1fx real time%n",
                Runtime.getRuntime().availableProcessors(), parallelWall, serialWall / parallelWall,
                totalSim / parallelWall);
        return 0;
    }
}
