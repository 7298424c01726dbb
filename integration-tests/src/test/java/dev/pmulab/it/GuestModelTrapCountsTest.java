package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.PmuRegister;
import dev.pmulab.sim.engine.Comparison;
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
     * A Linux guest's armv8pmu_start writes PMUSERENR_EL0 (0: no user access) before setting
     * PMCR_EL0.E, and its armpmu_stop clears the stopped counter's overflow flag (PMOVSCLR) after
     * disabling its counter and interrupt, as arm_pmuv3.c does; so "start" below is a counter write,
     * a type write, PMINTENSET and PMCNTENSET (4), "stop" PMCNTENCLR, PMINTENCLR, PMOVSCLR and a
     * counter read (4), "enable" PMUSERENR, then PMCR read and write (3), "disable" PMCR read and
     * write (2).
     * <ul>
     * <li>windows: boot PMINTENCLR, PMOVSCLR, PMCCFILTR and PMCNTENSET writes, PMCR read and write
     * (6); a PMCCNTR read at each 64 Hz tick, at 15.625 ms x 1..6 within 100 ms (6): 12.
     * <li>greedy (reprogram_every 10 ms, asks_for_more): boot PMINTENCLR and PMOVSCLR (2), PMCR
     * read (1), PMEVTYPER and PMCNTENSET for each of the 6 counters (12), PMCR read and write (2):
     * 17; at each of its 9 intervals in the run (10, ..., 90 ms) a PMCR read and the 12 rewrites
     * (13), and at the first PMEVTYPER6, UNDEFINED in the hardware (n >= N, decided before any
     * trap), after which it asks no more: 17 + 9 x 13 = 134.
     * <li>perf stat of cycles and instructions: probe PMCR, PMCEID0, PMCEID1 (3), reset PMCNTENCLR,
     * PMINTENCLR, PMOVSCLR, PMCR (4), start cycles on PMCCNTR and instructions on counter 0 (8),
     * enable (3): 18; no multiplexing and no frequency event, so a tick touches nothing; counting
     * events are armed at 2^31 - 1 (half of a 32-bit event's range, on the 64-bit counters with
     * the upper half set), which takes 0.7 s of cycles at 3 GHz: no overflow in 100 ms.
     * <li>perf stat of 8 events on 6 counters (the guest multiplexes): probe and reset (7), six starts
     * (24), enable (3): 34; every tick rotates: disable (2), six stops (24), six starts (24), enable
     * (3): 53; 34 + 24 x 53 = 1306.
     * <li>NMI watchdog alone: probe and reset (7), the pinned cycles event started on PMCCNTR (4),
     * enable (3): 14; its period is 10 s of cycles, armed 2^31 - 1 at a time (0.7 s), and without a
     * tool or a throttled event a tick touches nothing.
     * <li>perf record -F 1 of instructions: probe and reset (7), start (4), enable (3): 14; every tick
     * re-tunes the frequency (perf_adjust_freq_unthr_events): disable (2), stop (4), start (4, the
     * counter re-armed with what is left of the period), enable (3): 13; 14 + 24 x 13 = 326. The
     * period starts at 10^9 events, the re-tune only raises it toward one second's worth and never
     * resets period_left (not above 8 periods), and fewer than 10^9 instructions retire in 100 ms:
     * no overflow.
     * <li>the watchdog beside that perf record: its start (4) at boot; ticks re-tune only the tool's
     * events, and the watchdog's CPU context is walked only to unthrottle: 326 + 4 = 330.
     * <li>brbe (perf record -b -F 1 of instructions) on a BRBE CPU: the BRBCR_EL1 write at boot is not a
     * PMU register access (TPM does not trap it, and KVM sets no BRBE fine-grained trap), and with no
     * overflow the handler never reads BRBFCR_EL1: the same 326 as perf record.
     * <li>idle: nothing: 0.
     * </ul>
     * On top of that, every Linux tool above is a task-scope session and the cpu-bound workload's
     * task is switched out and in 50 times a second (GuestKernelActivity; 0.2 per tick at HZ 250,
     * due at ticks 5, 10, 15 and 20 of the 24): 4 x perf_event_task_sched_out (disable 2, a stop
     * per event on a counter 4, enable 3 only if the watchdog keeps a counter in use) and
     * perf_event_task_sched_in (disable 2, a start per event 4, enable 3). perf stat of 2 events:
     * 4 x 23 = 92 more, 110; of 8 events (6 on counters): 4 x 55 = 220 more, 1526; perf record of
     * one event (and brbe): 4 x 15 = 60 more, 386; with the watchdog: 4 x 18 = 72 more, 402.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "windows | neoverse-n2 | windows-cycle-tick | 12",
                "linux | neoverse-n2 | greedy | 134",
                "linux | neoverse-n2 | {kind: perf-stat, events: [cycles, instructions]} | 110",
                "linux | neoverse-n2 | {kind: perf-stat, events: [instructions, branches, branch-misses, L1-dcache-loads,"
                        + " L1-dcache-load-misses, L1-icache-loads, L1-icache-load-misses, dTLB-load-misses]} | 1526",
                "linux | neoverse-n2 | nmi-watchdog | 14",
                "linux | neoverse-n2 | {kind: perf-record, frequency: 1, events: [instructions]} | 386",
                "linux | neoverse-n2 | [nmi-watchdog, {kind: perf-record, frequency: 1, events: [instructions]}] | 402",
                "linux | neoverse-v3 | {kind: brbe, frequency: 1, events: [instructions]} | 386",
                "linux | neoverse-n2 | idle | 0",
            })
    void trapsUnderTheEmulatedVpmu(String os, String core, String usage, long traps) {
        ComparisonReport report = Runs.compare(Runs.onOneCpu(core, os, 1, usage, ""), List.of("emulated"));
        RunReport run = report.runs().get(0);
        assertThat(run.status()).as(run.error()).isEqualTo(RunReport.Status.OK);
        assertThat(run.metrics().get(Metric.GUEST_PMU_TRAPS).orElseThrow()).isEqualTo(traps);
    }

    /**
     * The PMUSERENR_EL0 write of armv8pmu_start traps under the emulated vPMU (MDCR_EL2.TPM) wherever
     * the guest starts its PMU: at boot, then at each tick that re-enables it (a rotation, a
     * re-tune) or a task switch puts the tool's events back, 24 ticks and 4 switches in 100 ms: perf
     * stat without multiplexing 1 + 4; with multiplexing 1 + 24 + 4; perf record 1 + 24 re-tunes + 4.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{kind: perf-stat, events: [cycles, instructions]} | 5",
                "{kind: perf-stat, events: [instructions, branches, branch-misses, L1-dcache-loads,"
                        + " L1-dcache-load-misses, L1-icache-loads, L1-icache-load-misses, dTLB-load-misses]} | 29",
                "{kind: perf-record, frequency: 1, events: [instructions]} | 29",
            })
    void pmuserenrTrapsAtEveryPmuStart(String usage, long traps) {
        List<Comparison.Outcome> outcomes =
                Runs.execute(Runs.onOneCpu("neoverse-n2", "linux", 1, usage, ""), List.of("emulated"));
        Comparison.Outcome o = outcomes.get(0);
        assertThat(o.result().ok()).isTrue();
        assertThat(o.result().guestTrapsByRegister().get(PmuRegister.PMUSERENR_EL0))
                .isEqualTo(traps);
    }
}
