package dev.pmulab.sim.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.engine.SimulatedProgress;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.plugin.SelectedPolicy;
import dev.pmulab.sim.scenario.Scenario;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run's simulated time reaches a progress display: in this JVM, and from a worker over the protocol. */
final class WorkerProgressTest {
    private static final String SCENARIO = """
            name: progress
            seed: 5
            run: {duration: 200ms}
            host:
              cpus: [{core: neoverse-n2, count: 2}]
            host_perf:
              - {name: s, mode: stat, scope: system, events: [cycles]}
            vms:
              - name: vm0
                vcpus: 2
                pmu_usage: {kind: perf-record, frequency: 1000, events: [cycles, instructions]}
                workload: cpu-bound
            """;

    private static Scenario scenario() {
        return new RunSpec.ScenarioSource("progress.yaml", SCENARIO).load();
    }

    private static List<SelectedPolicy> emulated() {
        PolicyRegistry registry = PolicyRegistry.discover(WorkerProgressTest.class.getClassLoader());
        return List.of(SelectedPolicy.select(registry, PolicyKind.ALLOCATION, "emulated", Map.of()));
    }

    @Test
    void theEngineReportsSimulatedTimeAsItGoesAndTheEndLast() {
        List<Long> reached = new ArrayList<>();
        SimulatedProgress collect = reached::add;
        RunResult r = Comparison.run(scenario(), emulated(), 5, collect);
        assertThat(r.ok()).isTrue();
        // One report per 4096 events, plus the end.
        assertThat(reached).hasSize((int) (r.events() / SimulatedProgress.EVERY_EVENTS) + 1);
        assertThat(reached).isSorted();
        assertThat(reached.get(reached.size() - 1)).isEqualTo(r.simulatedNs());
        // The same run without a listener gives the same result: progress changes nothing.
        assertThat(Comparison.run(scenario(), emulated(), 5)).isEqualTo(r);
    }

    @Test
    void aWorkerSendsProgressLinesBeforeTheResultWhenAsked() throws Exception {
        PipedOutputStream toWorker = new PipedOutputStream();
        PipedInputStream requests = new PipedInputStream(toWorker, 1 << 16);
        PipedInputStream fromWorker = new PipedInputStream(1 << 20);
        PipedOutputStream channel = new PipedOutputStream(fromWorker);
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Thread worker = new Thread(
                () -> Worker.serve(requests, channel, log, getClass().getClassLoader(), null), "worker-under-test");
        worker.setDaemon(true);
        worker.start();
        BufferedReader replies = new BufferedReader(new InputStreamReader(fromWorker, StandardCharsets.UTF_8));
        assertThat(WorkerProtocol.parseReply(replies.readLine())).isEqualTo(new WorkerProtocol.Ready(1));

        RunSpec spec = RunSpec.of(3, new RunSpec.ScenarioSource("progress.yaml", SCENARIO), 5, List.of(), emulated());
        // Every millisecond, so even a fast run sends some.
        String request = WorkerProtocol.request(spec)
                .replace("\"progress_every_ms\":" + WorkerProtocol.PROGRESS_EVERY_MS, "\"progress_every_ms\":1");
        Writer w = new OutputStreamWriter(toWorker, StandardCharsets.UTF_8);
        w.write(request + "\n");
        w.flush();

        List<Long> progress = new ArrayList<>();
        WorkerProtocol.Reply reply;
        while ((reply = WorkerProtocol.parseReply(replies.readLine())) instanceof WorkerProtocol.Progress p) {
            assertThat(p.id()).isEqualTo(3);
            progress.add(p.simulatedNs());
        }
        WorkerProtocol.Result result = (WorkerProtocol.Result) reply;
        assertThat(result.result().ok()).isTrue();
        assertThat(progress).isNotEmpty().isSorted();
        assertThat(progress.get(progress.size() - 1))
                .isLessThanOrEqualTo(result.result().simulatedNs());
        // Progress lines change nothing in the result.
        assertThat(result.result()).isEqualTo(Comparison.run(scenario(), emulated(), 5));
        toWorker.close();
        worker.join(10_000);
    }
}
