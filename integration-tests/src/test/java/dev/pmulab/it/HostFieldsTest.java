package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pmulab.kvm.KernelCost;
import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.metrics.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Host fields the field-pair test found accepted and ignored, now done as the scenario format says:
 * a host perf session's {@code start} and {@code stop} (perf opens and closes its events then), a
 * host task's {@code threads}, and an administrator's write of a sysfs file the policy does not
 * have.
 */
final class HostFieldsTest {
    private static final String HOST = "run: {duration: 20ms}\nhost: {cpus: [{core: neoverse-n2, count: 2}]}\n";
    private static final String GUEST = "vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [0], pinned: true},"
            + " pmu_usage: {kind: perf-stat, events: [instructions]}}\n";
    /** Six pinned host events on CPU 0's six counters. */
    private static final String PINNED = "host_perf: [{name: s, mode: stat, cpus: [0], pinned: true, %s events:"
            + " [l1d_cache, br_mis_pred, l1d_cache_refill, l2d_cache, stall_backend, stall_frontend]}]\n";

    private static RunResult run(String yaml) {
        Comparison.Outcome o = Runs.execute(yaml + "policies: {allocation: emulated}\n", List.of())
                .get(0);
        assertThat(o.result().ok()).as("%s", o.result().failure()).isTrue();
        return o.result();
    }

    private static long occurrences(RunResult r, KernelCost cost) {
        return r.costsUsed().stream()
                .filter(u -> u.cost() == cost)
                .mapToLong(u -> u.occurrences())
                .sum();
    }

    /**
     * The guest counts instructions on an emulated counter, a task-pinned host event of its vCPU
     * thread. Host CPU-pinned events outrank it (perf-core-and-costs.md §1.1): opened with the run,
     * six of them take all six counters and the guest's event goes to ERROR at once (coverage 0);
     * opened at 10 ms, the guest's event counts for the first 10 ms of its 20: coverage 50 %. The
     * same perf_event_open calls happen either way (C9 each), only later.
     */
    @Test
    void aHostSessionOpensItsEventsAtItsStart() {
        RunResult fromZero = run(HOST + GUEST + PINNED.formatted(""));
        RunResult fromTen = run(HOST + GUEST + PINNED.formatted("start: 10ms,"));
        assertThat(fromZero.metrics().get(Metric.GUEST_EVENT_COVERAGE_PCT).orElseThrow())
                .isZero();
        assertThat(fromTen.metrics().get(Metric.GUEST_EVENT_COVERAGE_PCT).orElseThrow())
                .isCloseTo(50, within(0.5));
        assertThat(occurrences(fromTen, KernelCost.PERF_EVENT_CREATE))
                .isEqualTo(occurrences(fromZero, KernelCost.PERF_EVENT_CREATE));
    }

    /**
     * Closing the session at 10 ms releases its six events (C10 each, perf_event_release_kernel);
     * without a stop the run ends with them open. The guest's event, sent to ERROR by them, stays
     * there: ERROR is sticky until the guest re-enables it.
     */
    @Test
    void aHostSessionClosesItsEventsAtItsStop() {
        RunResult open = run(HOST + GUEST + PINNED.formatted(""));
        RunResult closed = run(HOST + GUEST + PINNED.formatted("stop: 10ms,"));
        assertThat(occurrences(closed, KernelCost.PERF_EVENT_DESTROY)
                        - occurrences(open, KernelCost.PERF_EVENT_DESTROY))
                .isEqualTo(6);
        assertThat(closed.metrics().get(Metric.GUEST_EVENT_COVERAGE_PCT).orElseThrow())
                .isZero();
    }

    /**
     * A host task's threads share its CPUs: one thread beside a vCPU on CPU 0 leaves the vCPU half
     * the CPU (it waits 1/2 of the time), two leave it a third (it waits 2/3), give or take the
     * scheduler's 4 ms tick over 100 ms.
     */
    @Test
    void aHostTasksThreadsShareItsCpus() {
        String run = "run: {duration: 100ms}\nhost: {cpus: [{core: neoverse-n2, count: 2}]}\nvms:\n  - {name: vm0,"
                + " vcpus: 1, placement: {cpus: [0], pinned: true}, pmu_usage: idle}\nhost_tasks: [{name: t, cpus: [0],"
                + " workload: {profile: cpu-bound, threads: ";
        double one = run(run + "1}}]\n").metrics().get(Metric.VCPU_WAIT_PCT).orElseThrow();
        double two = run(run + "2}}]\n").metrics().get(Metric.VCPU_WAIT_PCT).orElseThrow();
        assertThat(one).isCloseTo(50, within(3.0));
        assertThat(two).isCloseTo(200.0 / 3, within(3.0));
    }

    /**
     * Under sysfs-writable, reserved_host_counters is a file and a write to it repartitions; a write
     * to a file the policy does not create fails for the administrator and changes nothing: the run
     * is the one without the write.
     */
    @Test
    void aWriteToAFileThePolicyDoesNotHaveChangesNothing() {
        String base = HOST + "vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [0], pinned: true}, pmu_usage: {kind:"
                + " perf-stat, events: [cycles, instructions, l1d_cache, br_mis_pred]}}\n";
        String sysfs = "policies: {allocation: sysfs-writable}\n";
        RunResult none = Runs.execute(base + sysfs, List.of()).get(0).result();
        RunResult other = Runs.execute(
                        base + sysfs + "admin_writes: [{at: 5ms, knob: no_such_file, value: 2}]\n", List.of())
                .get(0)
                .result();
        RunResult knob = Runs.execute(
                        base + sysfs + "admin_writes: [{at: 5ms, knob: reserved_host_counters, value:" + " 2}]\n",
                        List.of())
                .get(0)
                .result();
        assertThat(other.ok()).isTrue();
        assertThat(other.metrics()).isEqualTo(none.metrics());
        assertThat(knob.metrics()).isNotEqualTo(none.metrics());
    }
}
