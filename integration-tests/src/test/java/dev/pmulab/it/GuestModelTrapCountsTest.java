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
 * sequence: one vCPU pinned on one CPU (Neoverse-N2: N=6, PMUv3p5, no FEAT_FGT; Neoverse-V3 for
 * BRBE), 100 ms, every guest PMU access trapped (MDCR_EL2.TPM). A Linux guest ticks at 250 Hz: 24
 * ticks, at 4, 8, ..., 96 ms (the run ends at 100 ms, before a tick there).
 */
final class GuestModelTrapCountsTest {
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
     * <li>perf stat of 8 events on 6 counters (the guest multiplexes): probe and reset (7), six starts
     * (24), enable (2): 33; every tick rotates: PMCR read and write (2), six stops of PMCNTENCLR,
     * PMINTENCLR and a counter read (18), six starts (24), PMCR read and write (2): 46; 33 + 24 x 46 = 1137.
     * <li>NMI watchdog alone: probe and reset (7), the pinned cycles event started on PMCCNTR (4),
     * enable (2): 13; its period is 10 s of cycles, and without a tool a tick touches nothing.
     * <li>perf record -F 1 of instructions: probe and reset (7), start (4), enable (2): 13; every tick
     * re-tunes the frequency (perf_adjust_freq_unthr_events): PMCR read and write (2), stop (3), start
     * (4, the counter re-armed), PMCR read and write (2): 11; 13 + 24 x 11 = 277. The first period is
     * 10^9 events and only grows toward one second's worth, so the counter never overflows in a tick.
     * <li>the watchdog beside that perf record: its start (4) at boot; ticks re-tune only the tool's
     * events: 277 + 4 = 281.
     * <li>brbe (perf record -b -F 1 of instructions) on a BRBE CPU: the BRBCR_EL1 write at boot is not a
     * PMU register access (TPM does not trap it, and KVM sets no BRBE fine-grained trap), and with no
     * overflow the handler never reads BRBFCR_EL1: the same 277 as perf record.
     * <li>idle: nothing: 0.
     * </ul>
     */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', value = {
        "windows | neoverse-n2 | windows-cycle-tick | 12",
        "linux | neoverse-n2 | greedy | 18",
        "linux | neoverse-n2 | {kind: perf-stat, events: [cycles, instructions]} | 17",
        "linux | neoverse-n2 | {kind: perf-stat, events: [instructions, branches, branch-misses, L1-dcache-loads,"
                + " L1-dcache-load-misses, L1-icache-loads, L1-icache-load-misses, dTLB-load-misses]} | 1137",
        "linux | neoverse-n2 | nmi-watchdog | 13",
        "linux | neoverse-n2 | {kind: perf-record, frequency: 1, events: [instructions]} | 277",
        "linux | neoverse-n2 | [nmi-watchdog, {kind: perf-record, frequency: 1, events: [instructions]}] | 281",
        "linux | neoverse-v3 | {kind: brbe, frequency: 1, events: [instructions]} | 277",
        "linux | neoverse-n2 | idle | 0",
    })
    void trapsUnderTheEmulatedVpmu(String os, String core, String usage, long traps) {
        ComparisonReport report = Runs.compare(Runs.onOneCpu(core, os, 1, usage, ""), List.of("emulated"));
        RunReport run = report.runs().get(0);
        assertThat(run.status()).as(run.error()).isEqualTo(RunReport.Status.OK);
        assertThat(run.metrics().get(Metric.GUEST_PMU_TRAPS).orElseThrow()).isEqualTo(traps);
    }
}
