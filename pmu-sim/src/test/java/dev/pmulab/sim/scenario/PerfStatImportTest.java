package dev.pmulab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.hw.Events;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@code pmulab workload from-perf-stat}: perf stat -x, output to a workload block, numbers by hand. */
final class PerfStatImportTest {
    private static String resource(String name) throws IOException {
        try (InputStream in = PerfStatImportTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * perf-stat-gzip.csv, a gzip run as perf stat -x, -e task-clock,context-switches,cpu-migrations,
     * page-faults,cycles:u,instructions:u,armv8_pmuv3_0/l1d_cache_refill/,
     * armv8_pmuv3_0/ll_cache_miss_rd/,r0023,duration_time prints it: task-clock 2001.52 msec =
     * 2.00152 s of running. cycles:u 6,004,560,000 / 2.00152 = 3.0e9 per s; instructions:u
     * 9,006,840,000 / 2.00152 = 4.5e9; l1d_cache_refill 400,304,000 / 2.00152 = 2.0e8;
     * context-switches 1021 / 2.00152 = 510.1, so 510. CPUs utilized 2.00152 / 2.00566 = 0.998: one
     * thread at load 1.00 (0.998 rounds to the whole thread). The unsupported and uncounted events
     * leave the profile's rates; cpu-migrations and page-faults become comments.
     */
    @Test
    void aRealLookingPerfStatBecomesAWorkloadBlock() throws IOException {
        String yaml = PerfStatImport.workloadYaml(
                "perf-stat-gzip.csv", resource("perf-stat-gzip.csv"), WorkloadProfile.COMPRESSION);
        assertThat(yaml)
                .endsWith("workload:\n"
                        + "  profile: compression\n"
                        + "  threads: 1\n"
                        + "  rates:\n"
                        + "    \"cycles:u\": 3000000000\n"
                        + "    \"instructions:u\": 4500000000\n"
                        + "    \"armv8_pmuv3_0/l1d_cache_refill/\": 200000000\n"
                        + "  context_switches_per_second: 510\n")
                .contains("# armv8_pmuv3_0/ll_cache_miss_rd/: not supported by that PMU")
                .contains("# r0023: not counted")
                .contains("# cpu-migrations: 1 per second of running")
                .contains("# armv8_pmuv3_0/l1d_cache_refill/ ran 60 % of the time (multiplexed)");

        Workload w = PerfStatImport.validate("t", yaml, 1).vms().get(0).workload();
        assertThat(w.ratesPerSecond())
                .isEqualTo(Map.of(
                        Events.L1D_CACHE_REFILL, 200_000_000L,
                        Events.INST_RETIRED, 4_500_000_000L,
                        Events.CPU_CYCLES, 3_000_000_000L));
        assertThat(w.contextSwitchesPerSecond()).isEqualTo(OptionalLong.of(510));
    }

    /**
     * Without task-clock the elapsed time divides, as for one thread: 3e9 cycles over duration_time
     * 1.5e9 ns = 2e9 per s. Four threads' task-clock of 4000 msec over 1 s elapsed: threads 4;
     * 3000 msec over 1 s: threads 3 (2.95 and up round up), and 2500: threads 3 at load 0.83.
     */
    @Test
    void theRunningTimeIsTaskClockElseTheElapsedTime() {
        String elapsedOnly =
                "3000000000,,cycles,1500000000,100.00,,\n1500000000,ns,duration_time,1500000000,100.00,,\n";
        assertThat(PerfStatImport.workloadYaml("a.csv", elapsedOnly, WorkloadProfile.CPU_BOUND))
                .contains("    \"cycles\": 2000000000\n")
                .contains("as one thread that ran throughout");
        String footer = "3000000000,,cycles,1500000000,100.00,,\n\n  1.5 seconds time elapsed\n";
        assertThat(PerfStatImport.workloadYaml("b.csv", footer, WorkloadProfile.CPU_BOUND))
                .contains("    \"cycles\": 2000000000\n");
        String fourThreads = "4000.0,msec,task-clock,4000000000,100.00,4.000,CPUs utilized\n"
                + "12000000000,,cycles,4000000000,100.00,,\n1000000000,ns,duration_time,1000000000,100.00,,\n";
        assertThat(PerfStatImport.workloadYaml("c.csv", fourThreads, WorkloadProfile.CPU_BOUND))
                .contains("  threads: 4\n")
                .doesNotContain("  load:")
                .contains("    \"cycles\": 3000000000\n");
        String partial = "2500.0,msec,task-clock,2500000000,100.00,2.5,CPUs utilized\n"
                + "7500000000,,cycles,2500000000,100.00,,\n1000000000,ns,duration_time,1000000000,100.00,,\n";
        assertThat(PerfStatImport.workloadYaml("d.csv", partial, WorkloadProfile.CPU_BOUND))
                .contains("  threads: 3\n  load: 0.83\n");
    }

    @Test
    void badInputNamesFileLineAndColumn() {
        assertThatThrownBy(() -> PerfStatImport.workloadYaml(
                        "x.csv",
                        "1000.0,msec,task-clock,1000000000,100.00,,\n5,,cycels:u,1000000000,100.00,,\n",
                        WorkloadProfile.CPU_BOUND))
                .hasMessageStartingWith("x.csv:2:4: unknown event 'cycels' in 'cycels:u'; did you mean cycles");
        assertThatThrownBy(() -> PerfStatImport.workloadYaml(
                        "x.csv",
                        "1000.0,msec,task-clock,1000000000,100.00,,\n5,,cycles,1,100.00,,\n5,,cpu_cycles,1,100.00,,\n",
                        WorkloadProfile.CPU_BOUND))
                .hasMessageStartingWith("x.csv:3:4: cpu_cycles is event 0x0011, as cycles is already");
        assertThatThrownBy(
                        () -> PerfStatImport.workloadYaml("x.csv", "5,,cycles,1,100.00,,\n", WorkloadProfile.CPU_BOUND))
                .hasMessageStartingWith("x.csv: no time to divide the counts by");
        assertThatThrownBy(() -> PerfStatImport.workloadYaml("x.csv", "cycles 5 hello\n", WorkloadProfile.CPU_BOUND))
                .hasMessageStartingWith("x.csv:1:1: not a line of perf stat -x, output");
        assertThatThrownBy(() -> PerfStatImport.workloadYaml(
                        "x.csv", "CPU0,1000.0,msec,task-clock,1000000000,100.00,,\n", WorkloadProfile.CPU_BOUND))
                .hasMessageStartingWith("x.csv:1:1: a per-CPU or per-core line");
    }
}
