package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.report.ComparisonReport;
import dev.pmulab.sim.report.RunReport;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each guest model's trap count under the emulated vPMU, derived by hand from its driver's register
 * sequence: one vCPU pinned on one Neoverse-N2 CPU (N=6, PMUv3p5, no FEAT_FGT), 100 ms, every guest
 * PMU access trapped (MDCR_EL2.TPM).
 */
final class GuestModelTrapCountsTest {
    private static final String SCENARIO = """
            name: tiny
            description: one vCPU, one CPU, 100 ms
            seed: 1
            run: {duration: 100ms}
            host:
              cpus: [{core: neoverse-n2, count: 1}]
            vms:
              - name: vm0
                vcpus: 1
                guest_os: %s
                placement: {cpus: [0], pinned: true}
                pmu_usage: %s
                workload: cpu-bound
            policies:
              allocation: [emulated]
            """;

    /**
     * <ul>
     * <li>windows: boot PMINTENCLR, PMOVSCLR, PMCCFILTR and PMCNTENSET writes, PMCR read and write
     * (6); a PMCCNTR read at each 64 Hz tick, at 15.625 ms x 1..6 within 100 ms (6): 12.
     * <li>greedy: boot PMINTENCLR and PMOVSCLR (2), PMCR read (1), PMEVTYPER and PMCNTENSET for each
     * of the 6 counters (12), PMCR read and write (2); at the first tick a PMCR read (1), then
     * PMEVTYPER6 is UNDEFINED in the hardware (n >= N, decided before any trap) and it stops: 18.
     * <li>perf stat of cycles and instructions: probe PMCR, PMCEID0, PMCEID1 (3), reset PMCNTENCLR,
     * PMINTENCLR, PMOVSCLR, PMCR (4), start cycles on PMCCNTR and instructions on counter 0, each a
     * counter write, a type write, PMINTENSET, PMCNTENSET (8), enable PMCR read and write (2); no
     * multiplexing, and 64-bit counters armed at half their range never overflow in 100 ms: 17.
     * <li>idle: nothing: 0.
     * </ul>
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "windows | windows-cycle-tick | 12",
        "linux | greedy | 18",
        "linux | {kind: perf-stat, events: [cycles, instructions]} | 17",
        "linux | idle | 0",
    })
    void trapsUnderTheEmulatedVpmu(String os, String usage, long traps) {
        ComparisonReport report = Runs.compare(String.format(SCENARIO, os, usage), List.of());
        RunReport run = report.runs().get(0);
        assertThat(run.status()).as(run.error()).isEqualTo(RunReport.Status.OK);
        assertThat(run.metrics().get(Metric.GUEST_PMU_TRAPS).orElseThrow()).isEqualTo(traps);
    }
}
