package dev.pmulab.sim.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuConfig;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.kvm.perf.PerfSampleLimits;
import dev.pmulab.kvm.perf.PerfSysctls;
import dev.pmulab.sim.guest.GuestPerfSession.Scope;
import dev.pmulab.sim.scenario.ScenarioLoader;
import dev.pmulab.sim.scenario.VmSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fields of a VM's {@code pmu_usage}, each as the guest's perf core does it, on bare metal (a
 * PE at EL1, nothing trapping), with numbers derived by hand: several perf users on one guest CPU,
 * task and system scope, {@code perf stat -I}, {@code perf record -c}, groups, the watchdog's
 * thresh, BRBE without FZP, greedy's interval and {@code asks_for_more}.
 */
final class GuestPerfUsersTest {
    private static final int CYCLES = Events.CPU_CYCLES;
    private static final int INSTRUCTIONS = Events.INST_RETIRED;
    private static final int L1D = Events.L1D_CACHE;
    private static final int L1D_REFILL = Events.L1D_CACHE_REFILL;
    private static final int BR_MIS_PRED = Events.BR_MIS_PRED;
    /** 3 cycles, 3 instructions, 1.35 L1D accesses, 0.12 refills and 0.018 mispredicts per ns. */
    private static final EventRates WORKLOAD = EventRates.builder()
            .perSecond(CYCLES, 3_000_000_000L)
            .perSecond(INSTRUCTIONS, 3_000_000_000L)
            .perSecond(L1D, 1_350_000_000L)
            .perSecond(L1D_REFILL, 120_000_000L)
            .perSecond(BR_MIS_PRED, 18_000_000L)
            .build();

    private static final long MS = 1_000_000L;

    private static PerfSampleLimits limits() {
        return new PerfSampleLimits(PerfSysctls.DEFAULTS, 250);
    }

    private static Pe pe(int n) {
        return new Pe(PmuConfig.builder()
                .n(n)
                .events(0x0, 0x3, 0x4, 0x8, 0x10, 0x11, 0x16, 0x1e, 0x21, 0x24)
                .build());
    }

    private static LinuxGuestPerf.Builder perf() {
        return LinuxGuestPerf.builder(250, limits()).longCounters(true);
    }

    private static long count(List<String> log, String prefix) {
        return log.stream().filter(l -> l.startsWith(prefix)).count();
    }

    private static long counterReads(List<String> log) {
        return count(log, "R PMCCNTR_EL0") + count(log, "R PMEVCNTR_EL0");
    }

    /**
     * perf stat -I 10 of cycles, instructions, L1D accesses and mispredicts for 100 ms: cycles on
     * PMCCNTR, the others on counters 0-2, no multiplexing and no frequency event, so the ticks
     * (every 4 ms) touch nothing; counting events are armed at 2^31 - 1, 0.7 s of the fastest
     * (cycles, 3 per ns): no overflow. So the only counter reads are the interval's: at 10, 20, ...,
     * 100 ms, one per event on a counter, 10 x 4 = 40. Without -I: none.
     */
    @Test
    void perfStatIntervalReadsEveryEventOnACounterAtEachInterval() {
        int[] events = {CYCLES, INSTRUCTIONS, L1D, BR_MIS_PRED};
        for (long interval : new long[] {10 * MS, 0}) {
            Pe pe = pe(6);
            TimedPort port = new TimedPort(pe, 0);
            LinuxGuestPerf perf = perf().session(
                            GuestPerfSession.stat(GuestPerfSession.singles(events), Scope.TASK, interval))
                    .build();
            assertThat(perf.timerPeriodNs()).isEqualTo(interval);
            new GuestDriver(perf, pe, port, WORKLOAD).until(100 * MS);
            long expected = interval == 0 ? 0 : 40;
            assertThat(counterReads(port.log)).as("-I %d", interval).isEqualTo(expected);
            assertThat(perf.intervalReads()).isEqualTo(expected);
        }
    }

    /**
     * perf stat -a puts its events in every CPU's context, so a vCPU that runs none of the
     * workload's threads still programs them (cycles on PMCCNTR, two on counters 0 and 1) and boots
     * for them; perf stat -- cmd puts them in the task's context, which is on no counter of such a
     * vCPU.
     */
    @Test
    void systemScopeProgramsEveryVcpuTaskScopeOnlyWhereTheTaskRuns() {
        int[] events = {CYCLES, INSTRUCTIONS, L1D};
        long[] used = new long[3];
        boolean[] boots = new boolean[3];
        Object[][] cases = {{Scope.SYSTEM, false}, {Scope.TASK, false}, {Scope.TASK, true}};
        for (int i = 0; i < cases.length; i++) {
            Pe pe = pe(6);
            LinuxGuestPerf perf = perf().runsTask((Boolean) cases[i][1])
                    .session(GuestPerfSession.stat(GuestPerfSession.singles(events), (Scope) cases[i][0], 0))
                    .build();
            boots[i] = perf.bootsWithoutTask();
            pe.switchContext(0, ExceptionLevel.EL1, EventRates.NONE);
            perf.boot(new BareMetalPort(pe));
            used[i] = perf.countersInUse();
        }
        assertThat(used).containsExactly(0x8000_0003L, 0L, 0x8000_0003L);
        assertThat(boots).containsExactly(true, false, false);
    }

    /**
     * A task session's events leave the PMU when the task sleeps (perf_event_task_sched_out: the
     * PMU stopped, each event disabled, its interrupt off, its overflow flag cleared and its counter
     * read, the PMU started again for what stays) and come back when it runs
     * (perf_event_task_sched_in). The -a session's cycles stay on PMCCNTR throughout.
     */
    @Test
    void theTaskContextLeavesAndReturnsWithItsTask() {
        Pe pe = pe(6);
        TimedPort port = new TimedPort(pe, 0);
        LinuxGuestPerf perf = perf().session(GuestPerfSession.stat(GuestPerfSession.singles(CYCLES), Scope.SYSTEM, 0))
                .session(GuestPerfSession.stat(GuestPerfSession.singles(INSTRUCTIONS, L1D), Scope.TASK, 0))
                .build();
        pe.switchContext(0, ExceptionLevel.EL1, EventRates.NONE);
        perf.boot(port);
        assertThat(perf.countersInUse()).isEqualTo(0x8000_0003L);
        assertThat(perf.followsTask()).isTrue();

        port.log.clear();
        perf.taskSchedOut(port);
        assertThat(perf.countersInUse()).isEqualTo(0x8000_0000L);
        assertThat(perf.taskScheduledIn()).isFalse();
        assertThat(port.log)
                .containsExactly(
                        "R PMCR_EL0",
                        "W PMCR_EL0 c0",
                        "W PMCNTENCLR_EL0 1",
                        "W PMINTENCLR_EL1 1",
                        "W PMOVSCLR_EL0 1",
                        "R PMEVCNTR_EL00",
                        "W PMCNTENCLR_EL0 2",
                        "W PMINTENCLR_EL1 2",
                        "W PMOVSCLR_EL0 2",
                        "R PMEVCNTR_EL01",
                        "W PMUSERENR_EL0 0",
                        "R PMCR_EL0",
                        "W PMCR_EL0 c1");

        port.log.clear();
        perf.taskSchedIn(port);
        assertThat(perf.countersInUse()).isEqualTo(0x8000_0003L);
        assertThat(port.log)
                .containsExactly(
                        "R PMCR_EL0",
                        "W PMCR_EL0 c0",
                        "W PMEVCNTR_EL00 ffffffff80000001",
                        "W PMEVTYPER_EL00 8",
                        "W PMINTENSET_EL1 1",
                        "W PMCNTENSET_EL0 1",
                        "W PMEVCNTR_EL01 ffffffff80000001",
                        "W PMEVTYPER_EL01 4",
                        "W PMINTENSET_EL1 2",
                        "W PMCNTENSET_EL0 2",
                        "W PMUSERENR_EL0 0",
                        "R PMCR_EL0",
                        "W PMCR_EL0 c1");
    }

    /**
     * Three perf users on a 4-counter guest, scheduled in ctx_sched_in's order: the NMI watchdog
     * (CPU context, pinned) takes PMCCNTR; perf stat -a's cycles, instructions and L1D accesses (CPU
     * context, flexible) take counters 0, 1, 2 (cycles cannot have PMCCNTR); perf record -- cmd's
     * mispredicts (task context, flexible) take counter 3 and its L1D refills find none: the task
     * context multiplexes. At the tick only the task context rotates (perf_rotate_context): its
     * mispredicts come off, the refills go on counter 3, and the CPU context's counters are not
     * touched.
     */
    @Test
    void severalPerfUsersShareTheCountersPinnedFirstThenCpuThenTask() {
        Pe pe = pe(4);
        TimedPort port = new TimedPort(pe, 0);
        LinuxGuestPerf perf = perf().watchdog(LinuxGuestPerf.watchdogPeriod(10))
                .session(GuestPerfSession.stat(GuestPerfSession.singles(CYCLES, INSTRUCTIONS, L1D), Scope.SYSTEM, 0))
                .session(GuestPerfSession.recordPeriod(
                        GuestPerfSession.singles(BR_MIS_PRED, L1D_REFILL), Scope.TASK, 1_000_000_000L))
                .build();
        pe.switchContext(0, ExceptionLevel.EL1, EventRates.NONE);
        perf.boot(port);
        assertThat(perf.countersInUse()).isEqualTo(0x8000_000fL);
        assertThat(pe.read(PmuRegister.PMEVTYPER_EL0, 0).value() & 0xffff).isEqualTo(CYCLES);
        assertThat(pe.read(PmuRegister.PMEVTYPER_EL0, 3).value() & 0xffff).isEqualTo(BR_MIS_PRED);
        assertThat(perf.multiplexing()).isTrue();

        port.log.clear();
        pe.switchContext(4 * MS, ExceptionLevel.EL1, EventRates.NONE);
        perf.tick(port);
        assertThat(pe.read(PmuRegister.PMEVTYPER_EL0, 3).value() & 0xffff).isEqualTo(L1D_REFILL);
        assertThat(perf.countersInUse()).isEqualTo(0x8000_000fL);
        assertThat(port.log)
                .noneMatch(
                        l -> l.matches("W (PMEVTYPER_EL0[012]|PMEVCNTR_EL0[012]|PMCCNTR_EL0|" + "PMCCFILTR_EL0) .*"));
        assertThat(port.log).contains("W PMEVTYPER_EL03 3");
    }

    /**
     * A group goes on the PMU with all its members or not at all: on 2 counters, instructions
     * (alone) takes counter 0, then the group {L1D, mispredicts} gets counter 1 for L1D and none for
     * its second member, so L1D comes off again (group_error) and the context multiplexes. The tick
     * rotates instructions to the end: the group takes counters 0 and 1, instructions waits.
     */
    @Test
    void aGroupGoesOnWholeOrNotAtAll() {
        Pe pe = pe(2);
        TimedPort port = new TimedPort(pe, 0);
        LinuxGuestPerf perf = perf().session(
                        GuestPerfSession.stat(List.of(List.of(INSTRUCTIONS), List.of(L1D, BR_MIS_PRED)), Scope.TASK, 0))
                .build();
        pe.switchContext(0, ExceptionLevel.EL1, EventRates.NONE);
        perf.boot(port);
        assertThat(perf.countersInUse()).isEqualTo(0x1L);
        assertThat(port.log).containsSubsequence("W PMEVTYPER_EL01 4", "W PMCNTENCLR_EL0 2", "R PMEVCNTR_EL01");
        pe.switchContext(4 * MS, ExceptionLevel.EL1, EventRates.NONE);
        perf.tick(port);
        assertThat(perf.countersInUse()).isEqualTo(0x3L);
        assertThat(pe.read(PmuRegister.PMEVTYPER_EL0, 0).value() & 0xffff).isEqualTo(L1D);
        assertThat(pe.read(PmuRegister.PMEVTYPER_EL0, 1).value() & 0xffff).isEqualTo(BR_MIS_PRED);
    }

    /**
     * arm_pmu's validate_group at perf_event_open, on a 2-counter guest: a group of three events
     * without cycles cannot fit. perf stat leaves out the member that fails (it shows "not
     * supported") and counts the other two together; perf record cannot open it and exits, so
     * nothing of it is on the PMU, while the guest's other perf users are.
     */
    @Test
    void aGroupTooBigForTheGuestPmuIsCutByPerfStatAndRefusedByPerfRecord() {
        List<List<Integer>> group = List.of(List.of(INSTRUCTIONS, L1D, BR_MIS_PRED));
        Pe pe = pe(2);
        LinuxGuestPerf stat =
                perf().session(GuestPerfSession.stat(group, Scope.TASK, 0)).build();
        pe.switchContext(0, ExceptionLevel.EL1, EventRates.NONE);
        stat.boot(new BareMetalPort(pe));
        assertThat(stat.countersInUse()).isEqualTo(0x3L);

        // The perf record exits; another perf user of the guest (perf stat -a of cycles, on
        // PMCCNTR, and a second perf record of instructions) is not affected.
        Pe pe2 = pe(2);
        LinuxGuestPerf record = perf().session(GuestPerfSession.stat(GuestPerfSession.singles(CYCLES), Scope.SYSTEM, 0))
                .session(GuestPerfSession.recordPeriod(group, Scope.TASK, 1_000_000))
                .session(GuestPerfSession.recordPeriod(GuestPerfSession.singles(INSTRUCTIONS), Scope.TASK, 1_000_000))
                .build();
        pe2.switchContext(0, ExceptionLevel.EL1, EventRates.NONE);
        record.boot(new BareMetalPort(pe2));
        assertThat(record.countersInUse()).isEqualTo(0x8000_0001L);
        assertThat(pe2.read(PmuRegister.PMEVTYPER_EL0, 0).value() & 0xffff).isEqualTo(INSTRUCTIONS);
    }

    /**
     * perf record -c 3000000 of instructions at 3 per ns: a period elapses every 1 ms, so 100 ms
     * give 100 samples (the last at 100 ms), 4 a tick, far below max_samples_per_tick (400 at
     * HZ=250); the period is never re-tuned. With -F 1000 the ticks re-tune it away from its first
     * 10^9 / 1000.
     */
    @Test
    void aFixedPeriodSamplesEveryPeriodAndIsNeverRetuned() {
        Pe pe = pe(6);
        LinuxGuestPerf fixed = perf().session(
                        GuestPerfSession.recordPeriod(GuestPerfSession.singles(INSTRUCTIONS), Scope.TASK, 3_000_000))
                .build();
        new GuestDriver(fixed, pe, new BareMetalPort(pe), WORKLOAD).until(100 * MS);
        assertThat(fixed.samples()).isEqualTo(100);
        assertThat(fixed.currentPeriod(INSTRUCTIONS)).isEqualTo(3_000_000);
        assertThat(fixed.requestedFrequency()).isZero();

        Pe pe2 = pe(6);
        LinuxGuestPerf freq = perf().session(
                        GuestPerfSession.recordFrequency(GuestPerfSession.singles(INSTRUCTIONS), Scope.TASK, 1000))
                .build();
        new GuestDriver(freq, pe2, new BareMetalPort(pe2), WORKLOAD).until(100 * MS);
        assertThat(freq.currentPeriod(INSTRUCTIONS)).isNotEqualTo(1_000_000);
    }

    /**
     * hw_nmi_get_sample_period(watchdog_thresh) on arm64 is the CPU's maximum frequency times the
     * threshold; a guest has no cpufreq, so 5 GHz (SAFE_MAX_CPU_FREQ): thresh 1 s gives 5 * 10^9
     * cycles, 10 s 5 * 10^10, ten times as long, through the scenario's nmi-watchdog thresh.
     */
    @Test
    void theWatchdogPeriodIsFiveGhzTimesThresh() {
        assertThat(LinuxGuestPerf.watchdogPeriod(1)).isEqualTo(5_000_000_000L);
        long[] periods = new long[2];
        String[] thresh = {"1s", "10s"};
        for (int i = 0; i < 2; i++) {
            VmSpec vm = ScenarioLoader.load(
                            "w.yaml",
                            "run: {duration: 1s}\nvms: [{name: v, vcpus: 1, pmu_usage: {kind:"
                                    + " nmi-watchdog, thresh: " + thresh[i] + "}}]\n")
                    .vms()
                    .get(0);
            LinuxGuestPerf perf = (LinuxGuestPerf) GuestPmuModels.forVcpu(vm, 0, true, limits());
            periods[i] = perf.watchdogSamplePeriod();
        }
        assertThat(periods).containsExactly(5_000_000_000L, 50_000_000_000L);
        assertThat(periods[1] / periods[0]).isEqualTo(10);
    }

    /**
     * perf record -b -c 3000000 of instructions on a BRBE CPU, each access 1 us of guest time with
     * nothing counting (as a trap). With FZP, each overflow pauses recording until the handler
     * writes BRBFCR_EL1.PAUSED = 0, after 10 accesses (BRBFCR read; PMOVSCLR read and write; PMCR
     * read and write; counter read and write; PMUSERENR write; PMCR read and write): 10 us per
     * sample, 100 us over 10 samples. Without FZP recording never pauses: no blackout, and the
     * handler does not write BRBFCR_EL1.
     */
    @Test
    void brbeWithoutFreezeOnOverflowRecordsThroughOverflows() {
        for (boolean fzp : new boolean[] {true, false}) {
            Pe pe = new Pe(PmuConfig.builder().n(6).brbe(true).events(0x8, 0x11).build());
            TimedPort port = new TimedPort(pe, 1000);
            BrbeGuest brbe = new BrbeGuest(
                    perf().session(GuestPerfSession.recordPeriod(
                                    GuestPerfSession.singles(INSTRUCTIONS), Scope.TASK, 3_000_000))
                            .build(),
                    fzp);
            GuestDriver d = new GuestDriver(brbe, pe, port, WORKLOAD);
            assertThat(port.log.get(0)).isEqualTo(fzp ? "W BRBCR_EL1 103" : "W BRBCR_EL1 3");
            int pmis = 0;
            while (pmis < 10) {
                if (d.step(Long.MAX_VALUE) == GuestDriver.Step.PMI) {
                    pmis++;
                }
            }
            assertThat(pe.brbeBlackoutNs()).as("FZP %s", fzp).isEqualTo(fzp ? 100_000 : 0);
            assertThat(count(port.log, "W BRBFCR_EL1")).isEqualTo(fzp ? 10 : 0);
        }
    }

    /** A port that records every access a model attempts, whether the PE takes it or not. */
    private static final class AttemptsPort implements GuestPmuPort {
        final BareMetalPort bare;
        final List<String> attempts = new ArrayList<>();

        AttemptsPort(Pe pe) {
            this.bare = new BareMetalPort(pe);
        }

        @Override
        public long read(PmuRegister reg, int index) {
            attempts.add("R " + reg + index);
            return bare.read(reg, index);
        }

        @Override
        public void write(PmuRegister reg, int index, long value) {
            attempts.add("W " + reg + index);
            bare.write(reg, index, value);
        }

        @Override
        public long now() {
            return bare.now();
        }
    }

    /**
     * The greedy guest at reprogram_every 10 ms for 100 ms on a 6-counter PMU: its timer fires at
     * 10, 20, ..., 100 ms (10 times) and each time reads PMCR_EL0 and rewrites all six PMEVTYPER and
     * PMCNTENSET; at boot it wrote them once: 6 + 10 x 6 = 66 PMEVTYPER writes. With asks_for_more it
     * also tries PMEVTYPER6 at its first interval, which is UNDEFINED (6 >= N), and never again;
     * without it, it never writes above PMCR_EL0.N.
     */
    @Test
    void greedyRewritesEveryVisibleCounterAtItsIntervalAndAsksForMoreOnlyIfTold() {
        for (boolean asks : new boolean[] {true, false}) {
            Pe pe = pe(6);
            AttemptsPort port = new AttemptsPort(pe);
            GreedyGuest greedy = new GreedyGuest(250, 10 * MS, asks);
            new GuestDriver(greedy, pe, port, WORKLOAD).until(100 * MS);
            assertThat(greedy.rewrites()).isEqualTo(10);
            assertThat(count(port.attempts, "W PMEVTYPER_EL0")).isEqualTo(asks ? 67 : 66);
            assertThat(port.attempts.contains("W PMEVTYPER_EL06")).isEqualTo(asks);
            assertThat(greedy.programmed()).isEqualTo(6);
        }
    }
}
