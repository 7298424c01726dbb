package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.report.ComparisonReport;
import dev.pmulab.sim.report.RunReport;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every metric of docs/metrics.md on a small scenario whose value is derived by hand: one
 * Neoverse-N2 CPU (N = 6, PMUv3p5, no FEAT_FGT) unless said otherwise, a Linux guest ticking at
 * 250 Hz, costs set so the charged time is a sum the comment spells out.
 */
final class MetricsOnKnownScenariosTest {
    private static final String PERF_STAT = "{kind: perf-stat, events: [cycles, instructions]}";

    /**
     * Every cost 0 but a trap's C1 (1 us), of which C24 = 300 ns is the exit's world switch (guest
     * time for the host), and C12's per-event part (200 ns).
     */
    private static final String TRAP_COSTS_ONLY = "costs: {C1: 1000, C2: 0, C3: 0, C4: 0, C5: 0, C6: 0, C7: 0, C8: 0,"
            + " C9: 0, C10: 0, C11: 0, C12: {base: 0, per_unit: 200}, C13: 0, C14: 0, C16: 0, C17: 0, C18: 0,"
            + " C19: 0, C20: 0, C21: 0, C22: 0, C23: 0, C24: 300}\n";

    /** Every cost 0 but a PMU register save or restore, C7 = 10 ns. */
    private static final String SAVE_RESTORE_COSTS_ONLY = "costs: {C1: 0, C2: 0, C3: 0, C4: 0, C5: 0, C6: 0, C7: 10,"
            + " C8: 0, C9: 0, C10: 0, C11: 0, C12: {base: 0, per_unit: 0}, C13: 0, C14: 0, C16: 0, C17: 0, C18: 0,"
            + " C19: 0, C20: 0, C21: 0, C22: 0, C23: 0, C24: 0}\n";

    /** {@code vcpus} Linux vCPUs pinned on the one {@code core} CPU for 100 ms (Runs.onOneCpu). */
    private static String guest(String core, int vcpus, String usage, String more) {
        return Runs.onOneCpu(core, "linux", vcpus, usage, more);
    }

    private static MetricValues run(String yaml, String allocation) {
        ComparisonReport report = Runs.compare(yaml, List.of(allocation));
        RunReport r = report.runs().get(0);
        assertThat(r.status()).as(r.error()).isEqualTo(RunReport.Status.OK);
        return r.metrics();
    }

    private static double v(MetricValues m, Metric metric) {
        assertThat(m.get(metric)).as(metric.key()).isPresent();
        return m.get(metric).getAsDouble();
    }

    /**
     * A guest that never touches its PMU, alone and pinned on its CPU for 100 ms: nothing traps and
     * the only kernel time is its one vcpu_load's base cost C5 (300 ns), which the vcpu_load metric
     * leaves out (it is the PMU's added latency): the guest runs 100 % - 300 ns, the host kernel
     * 300 ns. Every metric about counters, puts, host events or BRBE has nothing to measure.
     */
    @Test
    void aGuestThatNeverTouchesItsPmuCostsNothing() {
        MetricValues m = run(guest("neoverse-n2", 1, "idle", "costs: {C5: 300}\n"), "emulated");

        Set<Metric> notApplicable = EnumSet.of(
                Metric.GUEST_EVENT_COVERAGE_PCT,
                Metric.GUEST_PERF_RUNNING_PCT,
                Metric.GUEST_PERF_RUNNING_MIN_PCT,
                Metric.GUEST_COUNT_ERROR_PCT,
                Metric.HOST_VCPU_PUT_NS_MEAN,
                Metric.HOST_VCPU_PUT_NS_P99,
                Metric.HOST_EVENT_COVERAGE_PCT,
                Metric.HOST_EVENT_COVERAGE_MIN_PCT,
                Metric.BRBE_BLACKOUT_NS,
                // No Linux perf user in the guest: no PMU line to predict.
                Metric.GUEST_PMIS,
                Metric.GUEST_PERF_SAMPLES,
                Metric.GUEST_PERF_THROTTLES,
                Metric.GUEST_PERF_MAX_SAMPLE_RATE);
        for (Metric metric : Metric.values()) {
            if (notApplicable.contains(metric)) {
                assertThat(m.get(metric)).as(metric.key()).isEmpty();
            } else if (metric == Metric.GUEST_WORKLOAD_NS) {
                assertThat(v(m, metric)).as(metric.key()).isEqualTo(100_000_000.0);
            } else if (metric == Metric.GUEST_RUN_PCT) {
                assertThat(v(m, metric))
                        .as(metric.key())
                        .isCloseTo(100.0 * (100_000_000 - 300) / 100_000_000, within(1e-9));
            } else if (metric == Metric.GUEST_USER_NS) {
                // The guest's clock runs from its entry after vcpu_load (C5) to the end, in user mode.
                assertThat(v(m, metric)).as(metric.key()).isEqualTo(100_000_000.0 - 300);
            } else if (metric == Metric.HOST_KERNEL_PCT || metric == Metric.HOST_SYS_PCT) {
                // vcpu_load is process context: %sys.
                assertThat(v(m, metric)).as(metric.key()).isCloseTo(100.0 * 300 / 100_000_000, within(1e-9));
            } else {
                assertThat(v(m, metric)).as(metric.key()).isZero();
            }
        }
    }

    /**
     * perf stat of cycles and instructions under the emulated vPMU: 18 trapped accesses at boot
     * (GuestModelTrapCountsTest), each C1 = 1 us (the PMUSERENR_EL0 write of armv8pmu_start has no
     * perf side); the PMCR_EL0.E write makes KVM create the two perf events, and each install
     * reschedules the vCPU's context with 1, then 2 events, 200 ns per event: 18,600 ns. Then the
     * measured task's context switches (cpu-bound: 50/s, 0.2 per tick at HZ 250, due at ticks 5,
     * 10, 15 and 20 of the 24 in 100 ms): perf_event_task_sched_out/in, 23 traps each (disable 2,
     * two stops 8, disable 2, two starts 8, enable 3), and the sched-in's PMCR_EL0.E write
     * re-enables both events with the same 200 + 400 ns of reschedules: 4 x 23,600 = 94,400 ns.
     * 110 traps, 113,000 ns, all taken from guest EL1 in process context (guest sys time). For the
     * host, each trap's world switch (C24, 300 ns of its C1) runs inside the guest-timing bracket:
     * 110 x 300 = 33,000 ns of guest time; the other 80,000 ns are handle_exit at EL2 after the
     * exit (host system time). The counters are on the hardware
     * the whole window but for the switches, which take no guest time outside the traps (coverage
     * 100 %, none stopped by the host); each sched-out reads them, and what it read equals the
     * workload's events by then: 0 % error.
     */
    @Test
    void emulatedPerfStatPaysItsTrapsAndCountsThroughout() {
        MetricValues m = run(guest("neoverse-n2", 1, PERF_STAT, TRAP_COSTS_ONLY), "emulated");

        assertThat(v(m, Metric.GUEST_PMU_TRAPS)).isEqualTo(110);
        assertThat(v(m, Metric.GUEST_PMU_TRAP_NS)).isEqualTo(113_000);
        assertThat(v(m, Metric.GUEST_SYS_NS)).isEqualTo(113_000);
        assertThat(v(m, Metric.GUEST_USER_NS)).isEqualTo(100_000_000 - 113_000);
        assertThat(v(m, Metric.GUEST_IRQ_NS)).isZero();
        assertThat(v(m, Metric.GUEST_PMU_OVERHEAD_PCT)).isCloseTo(100.0 * 113_000 / 100_000_000, within(1e-9));
        assertThat(v(m, Metric.GUEST_RUN_PCT)).isCloseTo(100.0 * (100_000_000 - 80_000) / 100_000_000, within(1e-9));
        assertThat(v(m, Metric.HOST_KERNEL_PCT)).isCloseTo(100.0 * 80_000 / 100_000_000, within(1e-9));
        assertThat(v(m, Metric.HOST_SYS_PCT)).isCloseTo(100.0 * 80_000 / 100_000_000, within(1e-9));
        assertThat(v(m, Metric.HOST_IRQ_PCT)).isZero();
        assertThat(v(m, Metric.GUEST_EVENT_COVERAGE_PCT)).isEqualTo(100.0);
        assertThat(v(m, Metric.GUEST_COUNTERS_STOPPED)).isZero();
        assertThat(v(m, Metric.GUEST_COUNT_ERROR_PCT)).isZero();
        // perf stat's counting events interrupt at half their 32-bit range, 2^31 cycles, 0.72 s at 3
        // GHz: no PMU interrupt in 100 ms, no sample, no throttle; no handler ran, so
        // perf_sample_event_took never lowered the rate from its default.
        assertThat(v(m, Metric.GUEST_PMIS)).isZero();
        assertThat(v(m, Metric.GUEST_PERF_SAMPLES)).isZero();
        assertThat(v(m, Metric.GUEST_PERF_THROTTLES)).isZero();
        assertThat(v(m, Metric.GUEST_PERF_MAX_SAMPLE_RATE)).isEqualTo(100_000);
    }

    /**
     * perf record -F 1 of instructions: at every tick the guest stops the event, reads it and
     * starts it again (GuestModelTrapCountsTest), and nothing it counts is lost, so what it read
     * equals what the workload generated by then: 0 % error.
     */
    @Test
    void aGuestThatLosesNothingHasNoCountError() {
        MetricValues m = run(
                guest("neoverse-n2", 1, "{kind: perf-record, frequency: 1, events: [instructions]}", ""), "emulated");

        assertThat(v(m, Metric.GUEST_COUNT_ERROR_PCT)).isZero();
        assertThat(v(m, Metric.GUEST_EVENT_COVERAGE_PCT)).isEqualTo(100.0);
    }

    /**
     * Two vCPUs counting with perf stat share one CPU under static-hpmn (HPMN 4 of N = 6): they
     * alternate every 4 ms scheduler tick, 25 vcpu_loads and 24 vcpu_puts in 100 ms, and each vCPU
     * waits while the other runs: half the time. With only C7 = 10 ns charged:
     * <ul>
     * <li>a vcpu_load restores 20 registers (the host's PMCR and PMUSERENR saved; the guest's PMCR,
     * PMSELR, PMUSERENR, PMOVSCLR; 4 counters and PMCCNTR, value and type each; PMINTENCLR/SET,
     * PMCNTENCLR/SET): 200 ns; but each vCPU's first load finds its state FREE and restores nothing
     * (the restore is lazy), so the mean is 23 x 200 / 25 = 184 and the p99 200;
     * <li>a vcpu_put saves 15 (5 counters, PMCR, PMSELR, PMUSERENR, the enables and overflows (3),
     * then the host's PMCR and PMUSERENR back and 2 more): 150 ns every time.
     * </ul>
     */
    @Test
    void twoVcpusOnOneCpuWaitHalfTheTimeAndPayTheirSwitches() {
        MetricValues m = run(guest("neoverse-n2", 2, PERF_STAT, SAVE_RESTORE_COSTS_ONLY), "static-hpmn");

        assertThat(v(m, Metric.VCPU_WAIT_PCT)).isCloseTo(50.0, within(0.01));
        assertThat(v(m, Metric.HOST_VCPU_LOAD_NS_MEAN)).isEqualTo(184.0);
        assertThat(v(m, Metric.HOST_VCPU_LOAD_NS_P99)).isEqualTo(200.0);
        assertThat(v(m, Metric.HOST_VCPU_PUT_NS_MEAN)).isEqualTo(150.0);
        assertThat(v(m, Metric.HOST_VCPU_PUT_NS_P99)).isEqualTo(150.0);
        assertThat(v(m, Metric.GUEST_EVENT_COVERAGE_PCT)).isEqualTo(100.0);
    }

    private static final String HOST_GROUPS = """
            host_perf:
              - name: groups
                mode: stat
                scope: system
                pinned: %s
                groups:
                  - [instructions, branches, branch-misses, l1d_cache]
                  - [l1d_cache_refill, l2d_cache, l2d_cache_refill, stall_backend]
            """;

    /**
     * perf stat of five events under sysfs-writable keeping 2 of N = 6 counters (HPMN 4): cycles
     * on PMCCNTR, the other four on counters 0 to 3. At 50 ms the administrator writes 5, HPMN
     * drops to 1 under the running guest, and counters 1 to 3 leave its range while still enabled:
     * three stopped episodes; they counted half the window, so the coverage is
     * (100 + 100 + 3 x 50) / 5 = 70 % (less the few microseconds of boot before the enables). The
     * guest sees PMCR_EL0.N change once, and the write reschedules host perf once (one CPU).
     */
    @Test
    void countersTakenFromARunningGuestStop() {
        MetricValues m = run(
                guest(
                        "neoverse-n2",
                        1,
                        "{kind: perf-stat, events: [cycles, instructions, branches, branch-misses, l1d_cache]}",
                        """
                policies:
                  allocation: [{name: sysfs-writable, settings: {reserved_host_counters: 2}}]
                admin_writes:
                  - {at: 50ms, knob: reserved_host_counters, value: 5}
                """),
                "sysfs-writable");

        assertThat(v(m, Metric.GUEST_COUNTERS_STOPPED)).isEqualTo(3);
        assertThat(v(m, Metric.GUEST_EVENT_COVERAGE_PCT)).isCloseTo(70.0, within(0.01));
        assertThat(v(m, Metric.GUEST_VISIBLE_N_CHANGES)).isEqualTo(1);
        assertThat(v(m, Metric.HOST_PERF_RESCHEDS)).isEqualTo(1);
        assertThat(v(m, Metric.ISOLATION_BREACHES)).isZero();
    }

    /**
     * A Windows vCPU moving between an A55 (CPU 0) and an A76 (CPU 1) every 40 ms, under KVM's
     * default PMU: the A55's, where the VM was created (init_cpu 0). Windows reads PMCCNTR at each
     * 15.625 ms tick: at 15.6 and 31.3 ms on the A55, counting; at 46.9 ms on the A76, where the
     * counter stopped at 40 ms (one stopped episode), but it counted from 31.3 to 40 ms, so the
     * value differs; at 62.5 ms, still on the A76, the same value as at 46.9: one stall, and
     * Windows divides by the zero delta: one crash. The crashed vCPU stops running, so the guest ran
     * 62.5 ms of 2 pCPUs x 100 ms: 31.25 %. set-pmu with the largest PMU (the A76's) pins the vCPU
     * to the A76: no migration, no stall. Five counters stop at 40 ms, not one: besides the cycle
     * counter, KVM's reset left event counters 1-4 enabled (reset_pmu_reg: 0x8000001e) with event
     * 0xc0de (reset_pmevtyper), and this guest never disables them, so their pinned perf events,
     * which count nothing, stop on the A76 too.
     */
    @Test
    void aWindowsGuestWhoseCycleCounterFreezesCrashes() {
        String yaml = """
                name: windows
                run: {duration: 100ms}
                host:
                  cpus: [{core: cortex-a55, count: 1}, {core: cortex-a76, count: 1}]
                vms:
                  - name: win0
                    vcpus: 1
                    guest_os: windows
                    placement: {cpus: [0, 1], init_cpu: 0, migrate: {every: 40ms, across_core_types: true}}
                    pmu_usage: {kind: windows-cycle-tick, tick: 15.625ms}
                    workload: cpu-bound
                """;
        Map<String, MetricValues> m = Runs.metrics(Runs.compare(yaml, List.of("default-pmu", "set-pmu")));
        MetricValues defaultPmu = m.get("default-pmu");
        MetricValues setPmu = m.get("set-pmu");

        assertThat(v(defaultPmu, Metric.GUEST_COUNTERS_STOPPED)).isEqualTo(5);
        assertThat(v(defaultPmu, Metric.GUEST_CYCLE_STALLS)).isEqualTo(1);
        assertThat(v(defaultPmu, Metric.GUEST_CRASHES)).isEqualTo(1);
        // 31.25 % less the kernel's share at loads and puts, which those four events lengthen.
        assertThat(v(defaultPmu, Metric.GUEST_RUN_PCT)).isCloseTo(31.25, within(0.02));
        assertThat(v(setPmu, Metric.GUEST_CYCLE_STALLS)).isZero();
        assertThat(v(setPmu, Metric.GUEST_CRASHES)).isZero();
        assertThat(v(setPmu, Metric.GUEST_COUNTERS_STOPPED)).isZero();
    }

    /** Twelve 4 ms rotations exactly. */
    private static String in96ms(String yaml) {
        return yaml.replace("run: {duration: 100ms}", "run: {duration: 96ms}");
    }

    /**
     * Two host groups of four on six counters: one fits at a time. Flexible, they take turns at
     * every 4 ms rotation, 12 each in 96 ms: every event covers 50 %. Pinned, the first takes its
     * four counters for good and the second goes to ERROR at its first sched-in (one leader): the
     * events that count cover 100 % (an event in ERROR is not enabled, so has no ratio).
     */
    @Test
    void hostGroupsThatDoNotFitTogetherShareOrFail() {
        MetricValues flexible =
                run(in96ms(guest("neoverse-n2", 1, "idle", String.format(HOST_GROUPS, "false"))), "emulated");
        MetricValues pinned =
                run(in96ms(guest("neoverse-n2", 1, "idle", String.format(HOST_GROUPS, "true"))), "emulated");

        assertThat(v(flexible, Metric.HOST_EVENT_COVERAGE_PCT)).isEqualTo(50.0);
        assertThat(v(flexible, Metric.HOST_EVENT_COVERAGE_MIN_PCT)).isEqualTo(50.0);
        assertThat(v(flexible, Metric.HOST_PINNED_ERRORS)).isZero();
        assertThat(v(pinned, Metric.HOST_PINNED_ERRORS)).isEqualTo(1);
        assertThat(v(pinned, Metric.HOST_EVENT_COVERAGE_PCT)).isEqualTo(100.0);
        assertThat(v(pinned, Metric.HOST_EVENT_COVERAGE_MIN_PCT)).isEqualTo(100.0);
    }

    /**
     * A guest recording branches with freeze on overflow on a Neoverse-V3 (FEAT_BRBE), sampling at
     * 1 Hz: nothing overflows in 100 ms (GuestModelTrapCountsTest), so BRBE never pauses and
     * records at every level it enabled: no blackout. Not applicable to a guest without BRBE.
     */
    @Test
    void brbeWithoutAnOverflowNeverPauses() {
        MetricValues m = run(
                guest(
                        "neoverse-v3",
                        1,
                        "{kind: brbe, frequency: 1, events: [instructions], freeze_on_overflow: true}",
                        ""),
                "static-hpmn");

        assertThat(v(m, Metric.BRBE_BLACKOUT_NS)).isZero();
    }
}
