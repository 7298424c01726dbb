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
 * at 100 ms.
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
     * perf stat -I 10 of cycles, instructions, L1D accesses and mispredicts for 100 ms: probe and
     * reset (7), four starts (16), enabled (3): 26 at boot; then at 10, 20, ..., 90 ms the tool
     * reads the four (the read at 100 ms would come with the end of the run): 9 x 4 = 36. Under the
     * emulated vPMU every read traps (C1 + C4): 62 traps. Under static-hpmn on AmpereOne (FEAT_FGT)
     * the guest reads PMCCNTR and PMEVCNTRn untrapped: the same traps as without -I, and 36 more
     * PMU accesses.
     */
    @Test
    void perfStatIntervalReadsEveryCounterAndTrapsWhereReadsTrap() {
        String with = "{kind: perf-stat, interval: 10ms, events: [cycles, instructions, l1d_cache, br_mis_pred]}";
        String without = "{kind: perf-stat, events: [cycles, instructions, l1d_cache, br_mis_pred]}";
        assertThat(traps(run(oneCpu("neoverse-n2", with), "emulated"))).isEqualTo(62);
        assertThat(traps(run(oneCpu("neoverse-n2", without), "emulated"))).isEqualTo(26);

        RunResult partitioned = run(oneCpu("ampereone", with), "static-hpmn");
        RunResult plain = run(oneCpu("ampereone", without), "static-hpmn");
        assertThat(traps(partitioned)).isEqualTo(traps(plain));
        assertThat(partitioned.guestPmuAccesses() - plain.guestPmuAccesses()).isEqualTo(36);
    }

    /**
     * A 4-vCPU VM whose workload has one thread, its vCPUs on one CPU, perf stat of cycles,
     * instructions and L1D accesses. With -a the guest kernel opens the events on each of its four
     * CPUs: every vCPU boots for them (7 + 3 x 4 + 3 = 22 traps each, 88) and programs PMCCFILTR
     * once and two PMEVTYPERs; with the task's scope only the vCPU running the task does: 22, one
     * PMCCFILTR, two PMEVTYPERs.
     */
    @Test
    void systemScopeProgramsCountersOnEveryVcpuTaskScopeOnlyOnTheTasks() {
        String vm = "    workload: {profile: cpu-bound, threads: 1}\n";
        RunResult system = run(Runs.onOneCpu("neoverse-n2", "linux", 4,
                "{kind: perf-stat, scope: system, events: [cycles, instructions, l1d_cache]}", "")
                .replace("    workload: cpu-bound\n", vm), "emulated");
        RunResult task = run(Runs.onOneCpu("neoverse-n2", "linux", 4,
                "{kind: perf-stat, scope: task, events: [cycles, instructions, l1d_cache]}", "")
                .replace("    workload: cpu-bound\n", vm), "emulated");
        assertThat(traps(system)).isEqualTo(88);
        assertThat(system.guestTrapsByRegister().get(PmuRegister.PMCCFILTR_EL0)).isEqualTo(4);
        assertThat(system.guestTrapsByRegister().get(PmuRegister.PMEVTYPER_EL0)).isEqualTo(8);
        assertThat(traps(task)).isEqualTo(22);
        assertThat(task.guestTrapsByRegister().get(PmuRegister.PMCCFILTR_EL0)).isEqualTo(1);
        assertThat(task.guestTrapsByRegister().get(PmuRegister.PMEVTYPER_EL0)).isEqualTo(2);
    }

    /**
     * A workload at load 0.5 sleeps 5 ms in every 10 (sleeps at 5, 15, ..., 95 ms: 10; wakes at 10,
     * ..., 90 ms: 9). perf stat -- cmd of cycles and instructions: boot 18; the task's events leave
     * at each sleep (disabled 2, two stops 8, and nothing left to enable: 10) and return at each wake
     * (disabled 2, two starts 8, enabled 3: 13): 18 + 10 x 10 + 9 x 13 = 235. perf stat -a keeps
     * them on the counters through the guest's idle: 18.
     */
    @Test
    void taskScopeFollowsTheTaskThroughItsSleeps() {
        String halfLoad = "    workload: {profile: cpu-bound, load: 0.5}\n";
        RunResult task = run(Runs.onOneCpu("neoverse-n2", "linux", 1,
                "{kind: perf-stat, scope: task, events: [cycles, instructions]}", "")
                .replace("    workload: cpu-bound\n", halfLoad), "emulated");
        RunResult system = run(Runs.onOneCpu("neoverse-n2", "linux", 1,
                "{kind: perf-stat, scope: system, events: [cycles, instructions]}", "")
                .replace("    workload: cpu-bound\n", halfLoad), "emulated");
        assertThat(traps(task)).isEqualTo(235);
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
            RunResult r = run(Runs.onOneCpu("neoverse-v3", "linux", 1, "{kind: brbe, events: [cycles],"
                    + " freeze_on_overflow: " + freeze[i] + "}", host), "emulated");
            blackout[i] = r.metrics().get(Metric.BRBE_BLACKOUT_NS).orElseThrow();
        }
        assertThat(blackout[0]).isPositive();
        assertThat(blackout[1]).isZero();
    }
}
