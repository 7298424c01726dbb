package dev.pmulab.sim.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.ControlRule;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.sim.cost.CostModel;
import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.metrics.Breakdown;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.plugin.SelectedPolicy;
import dev.pmulab.sim.report.RunFailure;
import dev.pmulab.sim.scenario.Scenario;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class WorkerProtocolTest {
    private static final String SCENARIO = """
            name: protocol
            seed: 5
            run: {duration: 20ms}
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

    @Test
    void aRequestReadsBackAsTheSameSpecWithEverySettingType() throws Exception {
        RunSpec spec = new RunSpec(
                42,
                new RunSpec.ScenarioSource("dir/mine.yaml", "run: {duration: 1s}\n# \"quoted\"\n"),
                -7,
                List.of("plugins", "/opt/more plugins"),
                List.of(
                        new RunSpec.PolicySpec(
                                PolicyKind.ALLOCATION,
                                "x",
                                Map.of("n", 3L, "on", true, "mode", "loose", "cpus", List.of(1L, 2L))),
                        new RunSpec.PolicySpec(PolicyKind.FILTER, "f", Map.of())));
        String line = WorkerProtocol.request(spec);
        assertThat(line).doesNotContain("\n");
        assertThat(WorkerProtocol.parseRequest(line)).isEqualTo(spec);
    }

    @Test
    void aResultCrossesTheChannelBitForBit() throws Exception {
        MetricValues metrics = MetricValues.builder()
                .put(Metric.GUEST_PMU_TRAPS, 123_456L)
                .put(Metric.GUEST_PMU_OVERHEAD_PCT, 0.1 + 0.2) // 0.30000000000000004: no decimal rounding on the way
                .put(Metric.HOST_KERNEL_PCT, 1e-7)
                .put(Metric.GUEST_WORKLOAD_NS, (double) (1L << 53))
                .build(); // every other metric not applicable
        RunResult r = new RunResult(
                metrics,
                List.of(new CostModel.Use(
                        KernelCost.PERF_PMU_RESCHED, new CostModel.Price(1000, 200), true, 17, 23_400)),
                Optional.empty(),
                9_999,
                20_000_000,
                Map.of(PmuRegister.PMCR_EL0, 12L, PmuRegister.PMOVSCLR_EL0, 3L),
                77,
                new Breakdown(List.of(
                        new Breakdown.Part(Breakdown.By.VM, "vm0", metrics, ""),
                        new Breakdown.Part(
                                Breakdown.By.SESSION,
                                "vm0/perf-stat#0",
                                MetricValues.builder()
                                        .put(Metric.GUEST_PERF_RUNNING_PCT, 25.0)
                                        .put(Metric.GUEST_PERF_RUNNING_MIN_PCT, 24.0)
                                        .build(),
                                "l1d_cache on vm0/vcpu0 (24.00 %)"))));
        WorkerProtocol.Reply back = WorkerProtocol.parseReply(WorkerProtocol.result(3, r, false));
        assertThat(back).isEqualTo(new WorkerProtocol.Result(3, r, false));
        assertThat(((WorkerProtocol.Result) back).result().metrics().has(Metric.HOST_EVENT_COVERAGE_PCT))
                .isFalse();
    }

    @Test
    void aRealRunsResultReadsBackEqual() throws Exception {
        Scenario s = new RunSpec.ScenarioSource("protocol.yaml", SCENARIO).load();
        PolicyRegistry registry = PolicyRegistry.discover(getClass().getClassLoader());
        RunResult r = Comparison.run(
                s, List.of(SelectedPolicy.select(registry, PolicyKind.ALLOCATION, "emulated", Map.of())), 5);
        assertThat(r.ok()).as(r.failure().map(RunFailure::message).orElse("")).isTrue();
        assertThat(r.metrics().isEmpty()).isFalse();
        WorkerProtocol.Result back =
                (WorkerProtocol.Result) WorkerProtocol.parseReply(WorkerProtocol.result(1, r, true));
        assertThat(back.result()).isEqualTo(r);
        assertThat(back.result().breakdown().of(Breakdown.By.VM)).isNotEmpty();
        assertThat(back.retiring()).isTrue();
    }

    @Test
    void aFailedResultKeepsItsMessageAndHasNoMetrics() throws Exception {
        RunResult r = RunResult.failed(
                RunFailure.unblamed("policy x: called System.exit(3) in vcpu_load after 0.4 s"), List.of(), 10, 20);
        assertThat(WorkerProtocol.parseReply(WorkerProtocol.result(9, r, false)))
                .isEqualTo(new WorkerProtocol.Result(9, r, false));
        // A policy's failure crosses with its fields: policy, hook, rule and detail.
        RunResult refused = RunResult.failed(
                new RunFailure("x", "vcpu_load", ControlRule.HPMN0, "HPMN 0 asked"), List.of(), 10, 20);
        assertThat(WorkerProtocol.parseReply(WorkerProtocol.result(9, refused, false)))
                .isEqualTo(new WorkerProtocol.Result(9, refused, false));
        assertThat(WorkerProtocol.parseReply(WorkerProtocol.failure(9, "scenario x.yaml:1:1: bad")))
                .isEqualTo(new WorkerProtocol.Failure(9, "scenario x.yaml:1:1: bad"));
        assertThat(WorkerProtocol.parseReply(WorkerProtocol.ready())).isEqualTo(new WorkerProtocol.Ready(1));
    }

    @Test
    void progressIsAskedForInTheRequestAndReadBackFromTheWorker() throws Exception {
        RunSpec spec =
                new RunSpec(7, new RunSpec.ScenarioSource("s.yaml", "run: {duration: 1s}\n"), 1, List.of(), List.of());
        String line = WorkerProtocol.request(spec);
        assertThat(WorkerProtocol.parseRunRequest(line))
                .isEqualTo(new WorkerProtocol.Request(spec, WorkerProtocol.PROGRESS_EVERY_MS));
        // A request from an asking JVM that predates progress has no such field: the worker sends none.
        String old = line.replace(",\"progress_every_ms\":" + WorkerProtocol.PROGRESS_EVERY_MS, "");
        assertThat(old).doesNotContain("progress");
        assertThat(WorkerProtocol.parseRunRequest(old)).isEqualTo(new WorkerProtocol.Request(spec, 0));
        assertThat(WorkerProtocol.parseReply(WorkerProtocol.progress(7, 1_500_000_000L)))
                .isEqualTo(new WorkerProtocol.Progress(7, 1_500_000_000L));
    }

    @Test
    void whatIsNotAProtocolMessageIsRefused() {
        assertThatThrownBy(() -> WorkerProtocol.parseReply("hello from a plugin"))
                .isInstanceOf(WorkerProtocol.ProtocolException.class)
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> WorkerProtocol.parseReply("[1, 2]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> WorkerProtocol.parseReply("{\"type\": \"chat\"}"))
                .hasMessage("not a worker message: type 'chat'");
        assertThatThrownBy(() -> WorkerProtocol.parseReply(
                        "{\"type\": \"result\", \"status\": \"ok\"," + " \"metrics\": {\"no.such.metric\": 1}}"))
                .hasMessageStartingWith("a malformed result");
        assertThatThrownBy(() -> WorkerProtocol.parseRequest("{\"type\": \"run\", \"protocol\": 2}"))
                .hasMessage("protocol version 2, this worker speaks 1");
        assertThatThrownBy(() -> WorkerProtocol.parseRequest("{\"type\": \"run\", \"protocol\": 1}"))
                .hasMessage("a run request needs id, seed, scenario.file and scenario.text");
    }
}
