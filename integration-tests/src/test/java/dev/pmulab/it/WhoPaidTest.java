package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.metrics.Breakdown;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who paid for a host reservation: the guest's own multiplexing (guest.perf_running_pct) and the
 * breakdown per VM and per session, on one Neoverse-N2 CPU (N = 6) for 100 ms, a Linux guest at
 * 250 Hz with perf stat of four events that are not cycles, task scope.
 */
final class WhoPaidTest {
    private static final String FOUR_EVENTS =
            "{kind: perf-stat, events: [instructions, l1d_cache, l1d_cache_refill, br_mis_pred]}";

    private static String scenario(String more) {
        return Runs.onOneCpu(
                "neoverse-n2",
                "linux",
                1,
                FOUR_EVENTS,
                "policies: {allocation: [emulated, {name: static-hpmn, settings: {reserved_host_counters: 5}}]}\n"
                        + more);
    }

    private static double v(MetricValues m, Metric metric) {
        assertThat(m.get(metric)).as(metric.key()).isPresent();
        return m.get(metric).getAsDouble();
    }

    /**
     * emulated: the guest reads N = 6, each event has a counter: running = enabled, 100 %.
     * static-hpmn keeping 5 counters: the guest reads N = 1, so its perf core rotates the four
     * events through one counter at every 4 ms tick. At every moment one of the four runs, and
     * all four are enabled over the same time, so the mean is 25 % (less a trap's worth of time
     * while each goes on: within 0.5). 25 intervals of 4 ms in 100 ms: the first event gets 7
     * (28 %), the other three 6 (24 %), so the min is about 24. guest.event_coverage_pct does not
     * see it: each event counted whenever the guest had it on its counter (100 %).
     */
    @Test
    void aGuestLeftOneCounterForFourEventsRunsAQuarterOfTheTime() {
        List<Comparison.Outcome> o = Runs.execute(scenario(""), List.of());
        MetricValues emulated = o.get(0).result().metrics();
        MetricValues hpmn = o.get(1).result().metrics();

        assertThat(v(emulated, Metric.GUEST_PERF_RUNNING_PCT)).isEqualTo(100.0);
        assertThat(v(emulated, Metric.GUEST_PERF_RUNNING_MIN_PCT)).isEqualTo(100.0);
        assertThat(v(hpmn, Metric.GUEST_PERF_RUNNING_PCT)).isCloseTo(25.0, within(0.5));
        assertThat(v(hpmn, Metric.GUEST_PERF_RUNNING_MIN_PCT)).isCloseTo(24.0, within(0.5));
        assertThat(v(hpmn, Metric.GUEST_EVENT_COVERAGE_PCT)).isEqualTo(100.0);

        Breakdown.Part session =
                o.get(1).result().breakdown().of(Breakdown.By.SESSION).get(0);
        assertThat(session.name()).isEqualTo("vm0/perf-stat#0");
        assertThat(v(session.metrics(), Metric.GUEST_PERF_RUNNING_PCT))
                .isEqualTo(v(hpmn, Metric.GUEST_PERF_RUNNING_PCT));
        assertThat(session.leastCovered())
                .matches("(l1d_cache|l1d_cache_refill|br_mis_pred) on vm0/vcpu0 \\(2[34]\\.\\d\\d %\\)");

        Breakdown.Part vm = o.get(1).result().breakdown().of(Breakdown.By.VM).get(0);
        assertThat(vm.name()).isEqualTo("vm0");
        assertThat(vm.metrics().get(Metric.GUEST_PMU_TRAPS)).isEqualTo(hpmn.get(Metric.GUEST_PMU_TRAPS));
        assertThat(vm.metrics().get(Metric.ISOLATION_BREACHES)).isEmpty();
    }

    /**
     * A host perf stat -a of eight events on the one CPU beside the guest: under static-hpmn the
     * host has its five counters (and PMCCNTR for cycles), so it multiplexes; --by session names
     * its least-covered event and gives the session its own coverage, the run's being the same
     * (it is the only host session).
     */
    @Test
    void theLeastCoveredHostEventIsNamed() {
        String host = "host_perf:\n  - {name: prof, mode: stat, scope: system, events: [cycles, instructions,"
                + " l1d_cache, br_mis_pred, l1d_cache_refill, l2d_cache, stall_backend, stall_frontend]}\n";
        List<Comparison.Outcome> o = Runs.execute(scenario(host), List.of());
        Comparison.Outcome hpmn = o.get(1);
        Breakdown.Part prof = hpmn.result().breakdown().of(Breakdown.By.SESSION).stream()
                .filter(p -> p.name().equals("host/prof"))
                .findFirst()
                .orElseThrow();
        assertThat(prof.metrics().get(Metric.HOST_EVENT_COVERAGE_MIN_PCT))
                .isEqualTo(hpmn.result().metrics().get(Metric.HOST_EVENT_COVERAGE_MIN_PCT));
        assertThat(v(prof.metrics(), Metric.HOST_EVENT_COVERAGE_MIN_PCT)).isLessThan(100);
        assertThat(prof.leastCovered()).matches("[a-z_0-9]+ on CPU 0 \\(\\d+\\.\\d\\d %\\)");
    }
}
