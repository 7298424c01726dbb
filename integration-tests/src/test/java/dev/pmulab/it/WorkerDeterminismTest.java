package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.cli.Pmulab;
import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.worker.RunSpec;
import dev.pmulab.sim.worker.WorkerLaunch;
import dev.pmulab.sim.worker.WorkerPool;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run is a pure function of (scenario, policies, seed), wherever it runs: in a worker JVM it
 * gives the same bytes as in this one, for a plugin policy and for the built-ins.
 */
final class WorkerDeterminismTest {
    @TempDir
    Path dir;

    private static final String SCENARIO = """
            name: determinism
            description: a plugin and the built-ins, in a worker and here
            seed: 21
            run: {duration: 40ms}
            host:
              cpus: [{core: ampereone, count: 2}]
              firmware: acpi
            host_perf:
              - {name: host-stat, mode: stat, scope: system, groups: [[instructions, branches]]}
            vms:
              - name: vm0
                vcpus: 2
                pmu_usage: {kind: perf-record, frequency: 1000, events: [cycles, instructions, branch-misses]}
                workload: cpu-bound
            """;

    private record Result(int status, String out, String err) {}

    private static Result pmulab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Pmulab.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void aPluginPolicyInAWorkerGivesTheBytesItGivesInThisJvm() throws IOException {
        Path scenario = Files.writeString(dir.resolve("determinism.yaml"), SCENARIO);
        Path plugins = ExamplePlugin.pluginDirectory();
        for (String format : List.of("csv", "json")) {
            Result inWorker = pmulab(
                    "compare",
                    scenario.toString(),
                    "--plugin-path",
                    plugins.toString(),
                    "--policies",
                    "emulated," + ExamplePlugin.POLICY,
                    "--format",
                    format);
            Result here = pmulab(
                    "compare",
                    scenario.toString(),
                    "--plugin-path",
                    plugins.toString(),
                    "--policies",
                    "emulated," + ExamplePlugin.POLICY,
                    "--format",
                    format,
                    "--workers",
                    "none");
            assertThat(inWorker.status()).as(inWorker.err()).isZero();
            assertThat(here.status()).as(here.err()).isZero();
            assertThat(inWorker.out()).contains(ExamplePlugin.POLICY).isEqualTo(here.out());
        }
    }

    @Test
    void builtInRunsInWorkersGiveTheBytesTheyGiveHere() throws IOException {
        Path scenario = Files.writeString(dir.resolve("determinism.yaml"), SCENARIO);
        Result all = pmulab(
                "compare",
                scenario.toString(),
                "--format",
                "csv",
                "--workers",
                "all",
                "--policies",
                "emulated,static-hpmn,trap-and-grow");
        Result none = pmulab(
                "compare",
                scenario.toString(),
                "--format",
                "csv",
                "--workers",
                "none",
                "--policies",
                "emulated,static-hpmn,trap-and-grow");
        assertThat(all.status()).as(all.err()).isZero();
        assertThat(all.out()).isEqualTo(none.out());
    }

    @Test
    void theResultRecordThatComesBackEqualsTheOneARunHereMakes() {
        RunSpec.ScenarioSource source = new RunSpec.ScenarioSource("determinism.yaml", SCENARIO);
        PolicyRegistry registry =
                PolicyRegistry.discover(getClass().getClassLoader(), List.of(ExamplePlugin.pluginDirectory()));
        Comparison c = Comparison.plan(source.load(), registry, List.of(ExamplePlugin.POLICY), 21);
        Comparison.PlannedRun run = c.runs().get(0);
        RunResult here = Comparison.run(source.load(), run.policies(), 21);
        Map<PolicyKind, String> names = new EnumMap<>(PolicyKind.class);
        run.policies().forEach(p -> names.put(p.kind(), p.name()));
        try (WorkerPool pool = new WorkerPool(
                WorkerLaunch.ofThisJvm(Pmulab.class.getName(), 256), new PrintWriter(new StringWriter()))) {
            RunResult there = pool.run(
                    RunSpec.of(pool.nextId(), source, 21, List.of(ExamplePlugin.pluginDirectory()), run.policies()),
                    120_000_000_000L,
                    names,
                    List.of(ExamplePlugin.POLICY));
            assertThat(there.ok())
                    .as(there.failure().map(f -> f.message()).orElse(""))
                    .isTrue();
            // Metrics bit for bit, the costs it charged, events, simulated time, traps per register, accesses.
            assertThat(there).isEqualTo(here);
            // The same worker serves a second run with the same answer.
            RunResult again = pool.run(
                    RunSpec.of(pool.nextId(), source, 21, List.of(ExamplePlugin.pluginDirectory()), run.policies()),
                    120_000_000_000L,
                    names,
                    List.of(ExamplePlugin.POLICY));
            assertThat(again).isEqualTo(here);
        }
    }
}
