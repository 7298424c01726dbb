package dev.pmulab.sim.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuConfig;
import dev.pmulab.kvm.perf.PerfSampleLimits;
import dev.pmulab.kvm.perf.PerfSysctls;
import dev.pmulab.sim.guest.GuestPerfSession.Scope;
import dev.pmulab.sim.guest.GuestPmuModel.PerfEventTimes;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guest perf core's {@code total_time_enabled} and {@code total_time_running} per event (what
 * the guest's perf stat divides to print its multiplexing percentage), on bare metal with accesses
 * that take no time, so every time is a whole number of ticks, derived by hand.
 */
final class GuestPerfTimesTest {
    private static final long MS = 1_000_000L;
    private static final EventRates WORKLOAD = EventRates.builder()
            .perSecond(Events.CPU_CYCLES, 3_000_000_000L)
            .perSecond(Events.INST_RETIRED, 3_000_000_000L)
            .perSecond(Events.L1D_CACHE, 1_350_000_000L)
            .perSecond(Events.L1D_CACHE_REFILL, 120_000_000L)
            .perSecond(Events.BR_MIS_PRED, 18_000_000L)
            .build();

    private static Pe pe(int n) {
        return new Pe(PmuConfig.builder()
                .n(n)
                .events(0x0, 0x3, 0x4, 0x8, 0x10, 0x11, 0x16, 0x1e, 0x21, 0x24)
                .build());
    }

    private static LinuxGuestPerf.Builder perf() {
        return LinuxGuestPerf.builder(250, new PerfSampleLimits(PerfSysctls.DEFAULTS, 250))
                .longCounters(true);
    }

    private static double pct(PerfEventTimes t) {
        return 100.0 * t.runningNs() / t.enabledNs();
    }

    /**
     * Four events, none of them cycles, on one event counter: one fits, so the task context
     * rotates at every 4 ms tick (HZ 250), round robin (the group on the PMU moves to the end and
     * the next goes on). Over 400 ms, 100 intervals of 4 ms, each event is on the counter for 25 of
     * them: running 100 ms, enabled 400 ms, 25 %. perf stat would print "(25.00%)" after each.
     */
    @Test
    void fourEventsOnOneCounterRunAQuarterOfTheTimeEach() {
        Pe pe = pe(1);
        LinuxGuestPerf perf = perf().session(GuestPerfSession.stat(
                        GuestPerfSession.singles(
                                Events.INST_RETIRED, Events.L1D_CACHE, Events.L1D_CACHE_REFILL, Events.BR_MIS_PRED),
                        Scope.TASK,
                        0))
                .build();
        new GuestDriver(perf, pe, new TimedPort(pe, 0), WORKLOAD).until(400 * MS);

        List<PerfEventTimes> times = perf.perfEventTimes(400 * MS);
        assertThat(times).hasSize(4);
        for (PerfEventTimes t : times) {
            assertThat(t.session()).isZero();
            assertThat(t.enabledNs()).as("event 0x%x", t.event()).isEqualTo(400 * MS);
            assertThat(t.runningNs()).as("event 0x%x", t.event()).isEqualTo(100 * MS);
            assertThat(pct(t)).isEqualTo(25.0);
        }
    }

    /** With a counter each (six counters for the same four), nothing rotates: 100 % each. */
    @Test
    void eventsThatFitRunAllTheTimeTheyAreEnabled() {
        Pe pe = pe(6);
        LinuxGuestPerf perf = perf().session(GuestPerfSession.stat(
                        GuestPerfSession.singles(
                                Events.INST_RETIRED, Events.L1D_CACHE, Events.L1D_CACHE_REFILL, Events.BR_MIS_PRED),
                        Scope.TASK,
                        0))
                .build();
        new GuestDriver(perf, pe, new TimedPort(pe, 0), WORKLOAD).until(400 * MS);

        assertThat(perf.perfEventTimes(400 * MS))
                .extracting(PerfEventTimes::enabledNs, PerfEventTimes::runningNs)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(400 * MS, 400 * MS));
    }

    /**
     * A task's events are enabled only while the task runs here (its context's time stops at
     * perf_event_task_sched_out), a CPU context's (-a) all the time: task out from 100 to 250 ms,
     * read at 300 ms. Task event: enabled = running = 100 + 50 = 150 ms. System event (cycles on
     * PMCCNTR): 300 ms each. Both 100 %: sleeping is not multiplexing. The system session is
     * session 0, the task session 1.
     */
    @Test
    void aTaskEventIsEnabledOnlyWhileItsTaskRuns() {
        Pe pe = pe(6);
        TimedPort port = new TimedPort(pe, 0);
        LinuxGuestPerf perf = perf().session(
                        GuestPerfSession.stat(GuestPerfSession.singles(Events.CPU_CYCLES), Scope.SYSTEM, 0))
                .session(GuestPerfSession.stat(GuestPerfSession.singles(Events.INST_RETIRED), Scope.TASK, 0))
                .build();
        pe.switchContext(0, ExceptionLevel.EL1, EventRates.NONE);
        perf.boot(port);
        pe.switchContext(100 * MS, ExceptionLevel.EL1, EventRates.NONE);
        perf.taskSchedOut(port);
        pe.switchContext(250 * MS, ExceptionLevel.EL1, EventRates.NONE);
        perf.taskSchedIn(port);

        List<PerfEventTimes> times = perf.perfEventTimes(300 * MS);
        assertThat(times)
                .containsExactly(
                        new PerfEventTimes(0, Events.CPU_CYCLES, 300 * MS, 300 * MS),
                        new PerfEventTimes(1, Events.INST_RETIRED, 150 * MS, 150 * MS));
    }
}
