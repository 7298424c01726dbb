package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.PmuRegister;
import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.metrics.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fields of a VM's {@code pmu_usage} through the whole engine, each count derived by hand from
 * the guest driver's register sequence (GuestModelTrapCountsTest's units: "start" a counter write,
 * a type write, PMINTENSET and PMCNTENSET, 4; "stop" PMCNTENCLR, PMINTENCLR, PMOVSCLR and a counter
 * read, 4; the PMU "disabled" PMCR read and write, 2, "enabled" PMUSERENR write then PMCR read and
 * write, 3; probe and reset 7). A Linux guest ticks at 250 Hz; 100 ms runs end before anything due
 * at 100 ms. A cpu-bound workload's task is also switched out and back in 50 times a second
 * (GuestKernelActivity: 0.2 a running tick, so at ticks 5, 10, 15 and 20), which touches a
 * task-scope session's events only.
 */
final class GuestPmuUsageFieldsTest {
    private static RunResult run(String yaml, String policy) {
        Comparison.Outcome o = Runs.execute(yaml, List.of(policy)).get(0);
        assertThat(o.result().ok()).as("%s", o.result().failure()).isTrue();
        return o.result();
    }

    private static long traps(RunResult r) {
        return (long) r.metrics().get(Metric.GUEST_PMU_TRAPS).orElseThrow();
    }

    private static String oneCpu(String core, String usage) {
        return Runs.onOneCpu(core, "linux", 1, usage, "");
    }

    /**
     * perf stat -a -I 10 of cycles, instructions, L1D accesses and mispredicts for 100 ms (-a: the
     * task's switches leave its events alone): probe and reset (7), four starts (16), enabled (3):
     * 26 at boot; then at 10, 20, ..., 90 ms the tool reads the four (the read at 100 ms would come
     * with the end of the run): 9 x 4 = 36. Under the emulated vPMU every read traps (C1 + C4): 62
     * traps. Under static-hpmn on AmpereOne (FEAT_FGT) the guest reads PMCCNTR and PMEVCNTRn
     * untrapped: the same traps as without -I, and 36 more PMU accesses.
     */
    @Test
    void perfStatIntervalReadsEveryCounterAndTrapsWhereReadsTrap() {
        String with = "{kind: perf-stat, scope: system, interval: 10ms, events: [cycles, instructions, l1d_cache,"
                + " br_mis_pred]}";
        String without = "{kind: perf-stat, scope: system, events: [cycles, instructions, l1d_cache, br_mis_pred]}";
        assertThat(traps(run(oneCpu("neoverse-n2", with), "emulated"))).isEqualTo(62);
        assertThat(traps(run(oneCpu("neoverse-n2", without), "emulated"))).isEqualTo(26);

        RunResult partitioned = run(oneCpu("ampereone", with), "static-hpmn");
        RunResult plain = run(oneCpu("ampereone", without), "static-hpmn");
        assertThat(traps(partitioned)).isEqualTo(traps(plain));
        assertThat(partitioned.guestPmuAccesses() - plain.guestPmuAccesses()).isEqualTo(36);
    }

    /**
     * A 4-vCPU VM whose workload has one thread, each vCPU pinned on its own CPU, perf stat of
     * cycles, instructions and L1D accesses. With -a the guest kernel opens the events on each of
     * its four CPUs: every vCPU boots for them (7 + 3 x 4 + 3 = 22 traps each, 88) and programs
     * PMCCFILTR once and two PMEVTYPERs. With the task's scope only the vCPU running the task has
     * them: 22 at boot, one PMCCFILTR, two PMEVTYPERs; and its 4 task switches each take them off
     * (disabled 2, three stops 12, nothing left to enable) and put them back (disabled 2, three
     * starts 12, enabled 3): 4 x 31 = 124 more, 146, with 4 more PMCCFILTR and 8 more PMEVTYPER.
     */
    @Test
    void systemScopeProgramsCountersOnEveryVcpuTaskScopeOnlyOnTheTasks() {
        String vm = "run: {duration: 100ms}\nhost: {cpus: [{core: neoverse-n2, count: 4}]}\nvms:\n  - {name: vm0,"
                + " vcpus: 4, placement: {cpus: 0-3, pinned: true}, workload: {profile: cpu-bound, threads: 1},"
                + " pmu_usage: {kind: perf-stat, events: [cycles, instructions, l1d_cache], scope: ";
        RunResult system = run(vm + "system}}\n", "emulated");
        RunResult task = run(vm + "task}}\n", "emulated");
        assertThat(traps(system)).isEqualTo(88);
        assertThat(system.guestTrapsByRegister().get(PmuRegister.PMCCFILTR_EL0)).isEqualTo(4);
        assertThat(system.guestTrapsByRegister().get(PmuRegister.PMEVTYPER_EL0)).isEqualTo(8);
        assertThat(traps(task)).isEqualTo(146);
        assertThat(task.guestTrapsByRegister().get(PmuRegister.PMCCFILTR_EL0)).isEqualTo(5);
        assertThat(task.guestTrapsByRegister().get(PmuRegister.PMEVTYPER_EL0)).isEqualTo(10);
    }

    /**
     * A workload at load 0.5 sleeps 5 ms in every 10; over 60 ms it sleeps at 5, 15, ..., 55 ms (6)
     * and wakes at 10, ..., 50 ms (5; the wake at 60 ms comes with the end). Its switches to other
     * tasks come at 50 a second of its running, 0.1 a tick it runs: 8 such ticks (4, 12, 20, 24,
     * 32, 40, 44, 52 ms) make none. perf stat -- cmd of cycles and instructions: boot 18; the
     * task's events leave at each sleep (disabled 2, two stops 8, and nothing left to enable: 10)
     * and return at each wake (disabled 2, two starts 8, enabled 3: 13): 18 + 6 x 10 + 5 x 13 =
     * 143. perf stat -a keeps them on the counters through the guest's idle: 18.
     */
    @Test
    void taskScopeFollowsTheTaskThroughItsSleeps() {
        String halfLoad = "    workload: {profile: cpu-bound, load: 0.5}\n";
        RunResult task = run(
                Runs.onOneCpu(
                                "neoverse-n2",
                                "linux",
                                1,
                                "{kind: perf-stat, scope: task, events: [cycles, instructions]}",
                                "")
                        .replace("    workload: cpu-bound\n", halfLoad)
                        .replace("duration: 100ms", "duration: 60ms"),
                "emulated");
        RunResult system = run(
                Runs.onOneCpu(
                                "neoverse-n2",
                                "linux",
                                1,
                                "{kind: perf-stat, scope: system, events: [cycles, instructions]}",
                                "")
                        .replace("    workload: cpu-bound\n", halfLoad)
                        .replace("duration: 100ms", "duration: 60ms"),
                "emulated");
        assertThat(traps(task)).isEqualTo(143);
        assertThat(traps(system)).isEqualTo(18);
    }

    /**
     * The guest NMI watchdog at 2.5 * 10^11 cycles a second for 30 ms. Its period is 5 GHz x thresh
     * (hw_nmi_get_sample_period without cpufreq), armed at most 2^31 cycles at a time (8.59 ms).
     * thresh 1 s: 5 * 10^9 cycles, so interrupts at 2^31 and 2^32 cycles (8.59, 17.18 ms), at
     * 5 * 10^9 (20 ms: the period elapsed) and 2^31 later (28.59 ms): 4. thresh 10 s: one every
     * 2^31 cycles, 3. Boot 14 traps (probe and reset 7, start on PMCCNTR 4, enabled 3); each
     * interrupt 9 (PMOVSCLR read and write, PMCR read and write, PMCCNTR read and write, PMUSERENR
     * write, PMCR read and write): 50 and 41.
     */
    @Test
    void theWatchdogsThreshSetsItsPeriod() {
        String run = "run: {duration: 30ms}\nhost: {cpus: [{core: neoverse-n2, count: 1}]}\nvms:\n  - name: v\n"
                + "    vcpus: 1\n    workload: {profile: cpu-bound, rates: {cycles: 2.5e11, instructions: 1e11}}\n"
                + "    pmu_usage: {kind: nmi-watchdog, thresh: ";
        assertThat(traps(run(run + "1s}\n", "emulated"))).isEqualTo(50);
        assertThat(traps(run(run + "10s}\n", "emulated"))).isEqualTo(41);
    }

    /**
     * BRBE sampling beside host perf record on a Neoverse-V3: with BRBCR_EL1.FZP every overflow,
     * the guest's own and the host's, pauses branch recording until the guest's handler resumes
     * it, so there is blackout; without FZP nothing pauses recording: none.
     */
    @Test
    void brbeWithoutFreezeOnOverflowHasNoBlackout() {
        String host = "host_perf: [{name: rec, mode: record, events: [cycles], frequency: 4000}]\n";
        double[] blackout = new double[2];
        String[] freeze = {"true", "false"};
        for (int i = 0; i < 2; i++) {
            RunResult r = run(
                    Runs.onOneCpu(
                            "neoverse-v3",
                            "linux",
                            1,
                            "{kind: brbe, events: [cycles]," + " freeze_on_overflow: " + freeze[i] + "}",
                            host),
                    "emulated");
            blackout[i] = r.metrics().get(Metric.BRBE_BLACKOUT_NS).orElseThrow();
        }
        assertThat(blackout[0]).isPositive();
        assertThat(blackout[1]).isZero();
    }
}
