package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pmulab.cli.Pmulab;
import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.metrics.Breakdown;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @TempDir
    Path dir;

    private record Out(int status, String out, String err) {}

    private static Out pmulab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Pmulab.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Out(status, out.toString(), err.toString());
    }

    /**
     * {@code --by session} on the command line: the table follows the report with the guest
     * session's part; csv and json are the breakdown alone; the same bytes whether the runs ran here
     * or in worker JVMs (the breakdown crosses the worker protocol); html and --out are refused
     * before anything runs, and so is an unknown --by.
     */
    @Test
    void byOnTheCommandLine() throws IOException {
        Path file = dir.resolve("who.yaml");
        Files.writeString(file, scenario(""));

        Out table = pmulab("run", file.toString(), "--by", "session");
        assertThat(table.status()).as(table.err()).isZero();
        assertThat(table.out()).contains("By session (who paid):").contains("vm0/perf-stat#0");
        assertThat(table.out().indexOf("By session")).isGreaterThan(table.out().indexOf("guest.pmu_traps"));

        Out csv = pmulab("run", file.toString(), "--by", "vm", "--format", "csv");
        assertThat(csv.status()).as(csv.err()).isZero();
        assertThat(csv.out())
                .startsWith("scenario,seed,compared_kind,run,label,status,allocation,selection,filter,by,part,metric,"
                        + "unit,better,value,least_covered\r\n")
                .contains(",vm,vm0,guest.pmu_traps,count,lower,")
                .doesNotContain("isolation.breaches");

        Out json = pmulab("run", file.toString(), "--by", "session", "--format", "json", "--workers", "none");
        Out viaWorkers = pmulab("run", file.toString(), "--by", "session", "--format", "json", "--workers", "all");
        assertThat(json.status()).as(json.err()).isZero();
        assertThat(viaWorkers.out()).isEqualTo(json.out());
        JsonNode parts =
                new ObjectMapper().readTree(json.out()).get("runs").get(1).get("parts");
        assertThat(parts.get(0).get("name").asText()).isEqualTo("vm0/perf-stat#0");
        assertThat(parts.get(0).get("metrics").get("guest.perf_running_pct").asDouble())
                .isCloseTo(25.0, within(0.5));
        assertThat(parts.get(0).get("least_covered").asText()).contains("on vm0/vcpu0");

        assertThat(pmulab("run", file.toString(), "--by", "session", "--format", "html")
                        .status())
                .isEqualTo(Pmulab.EXIT_BAD_INPUT);
        Out bad = pmulab("run", file.toString(), "--by", "cpu");
        assertThat(bad.status()).isEqualTo(Pmulab.EXIT_BAD_INPUT);
        assertThat(bad.err()).contains("--by takes vm or session, not 'cpu'");
        assertThat(pmulab("compare", file.toString(), "--by", "vm", "--out", dir.toString())
                        .status())
                .isEqualTo(Pmulab.EXIT_BAD_INPUT);
    }

    /** {@code pmulab workload from-perf-stat}: the block on stdout, exit 0; bad input names its line, exit 2. */
    @Test
    void workloadFromPerfStat() throws IOException {
        Path stat = dir.resolve("stat.csv");
        Files.writeString(
                stat,
                "1000.00,msec,task-clock,1000000000,100.00,1.000,CPUs utilized\n"
                        + "50,,context-switches,1000000000,100.00,50.000,/sec\n"
                        + "2500000000,,cycles:u,1000000000,100.00,2.500,GHz\n"
                        + "<not supported>,,LLC-loads,0,100.00,,\n");
        Out ok = pmulab("workload", "from-perf-stat", stat.toString(), "--profile", "spec-int");
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out())
                .contains("workload:\n  profile: spec-int\n  threads: 1\n  rates:\n    \"cycles:u\": 2500000000\n"
                        + "  context_switches_per_second: 50\n")
                .contains("# LLC-loads: not supported");

        Files.writeString(
                stat, "1000.00,msec,task-clock,1000000000,100.00,,\n5,,armv8_pmuv3_0/l1d_cach_refill/,1,100.00,,\n");
        Out bad = pmulab("workload", "from-perf-stat", stat.toString());
        assertThat(bad.status()).isEqualTo(Pmulab.EXIT_BAD_INPUT);
        assertThat(bad.err())
                .contains(stat + ":2:4: unknown term 'l1d_cach_refill'")
                .contains("l1d_cache_refill");
        assertThat(pmulab("workload", "from-perf-stat", dir.resolve("none.csv").toString())
                        .status())
                .isEqualTo(Pmulab.EXIT_BAD_INPUT);
    }
}
