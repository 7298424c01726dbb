package dev.pmulab.sim.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuConfig;
import dev.pmulab.hw.PmuRegister;
import org.junit.jupiter.api.Test;

/**
 * The guest drivers on bare metal: with nothing between the guest and the PMU, what the driver
 * accumulates equals the ground truth, so any error a run reports comes from the virtual PMU.
 */
final class GuestModelsTest {
    private static final int[] EVENTS = {Events.CPU_CYCLES, Events.INST_RETIRED, Events.L1D_CACHE,
        Events.L1D_CACHE_REFILL, Events.BR_MIS_PRED, Events.STALL_BACKEND, Events.BR_RETIRED, Events.L2D_CACHE};
    private static final EventRates WORKLOAD = EventRates.builder()
            .perSecond(Events.CPU_CYCLES, 3_000_000_000L).perSecond(Events.INST_RETIRED, 3_000_000_000L)
            .perSecond(Events.L1D_CACHE, 1_350_000_000L).perSecond(Events.L1D_CACHE_REFILL, 120_000_000L)
            .perSecond(Events.BR_MIS_PRED, 18_000_000L).perSecond(Events.STALL_BACKEND, 1_350_000_000L)
            .perSecond(Events.BR_RETIRED, 450_000_000L).perSecond(Events.L2D_CACHE, 130_000_000L).build();

    private static Pe pe() {
        return new Pe(PmuConfig.builder().n(6).events(0x0, 0x3, 0x4, 0x8, 0x10, 0x11, 0x16, 0x1e, 0x21, 0x24).build());
    }

    /** Runs {@code model} for {@code ticks} guest ticks of EL0 work, taking PMU interrupts when they fire. */
    private static void run(GuestPmuModel model, Pe pe, BareMetalPort port, int ticks) {
        pe.switchContext(0, ExceptionLevel.EL1, EventRates.NONE);
        model.boot(port);
        long tick = 1_000_000_000L / model.hz();
        long t = 0;
        for (int i = 0; i < ticks; i++) {
            long end = t + tick;
            pe.switchContext(t, ExceptionLevel.EL0, WORKLOAD);
            while (true) {
                long ov = pe.nextOverflowTime();
                if (ov > end) {
                    break;
                }
                model.accountExecution(ExceptionLevel.EL0, WORKLOAD, ov - t);
                pe.switchContext(ov, ExceptionLevel.EL1, EventRates.NONE);
                t = ov;
                assertThat(pe.irqAsserted()).isTrue();
                model.pmuInterrupt(port);
                assertThat(pe.irqAsserted()).as("the handler clears what it took").isFalse();
                pe.switchContext(t, ExceptionLevel.EL0, WORKLOAD);
            }
            model.accountExecution(ExceptionLevel.EL0, WORKLOAD, end - t);
            pe.switchContext(end, ExceptionLevel.EL1, EventRates.NONE);
            t = end;
            model.tick(port);
        }
    }

    @Test
    void perfStatWithMoreEventsThanCountersMultiplexesAndCountsExactly() {
        Pe pe = pe();
        BareMetalPort port = new BareMetalPort(pe);
        LinuxGuestPerf perf = new LinuxGuestPerf(LinuxGuestPerf.Mode.STAT, EVENTS, 0, 250, true, false, 3_000_000_000L);
        run(perf, pe, port, 100);
        // 8 events, 6 counters + PMCCNTR: cycles takes PMCCNTR, six take counters, one waits.
        assertThat(perf.multiplexing()).isTrue();
        assertThat(perf.eventsOnCounters()).isEqualTo(7);
        assertThat(perf.accuracy()).hasSize(EVENTS.length);
        for (GuestPmuModel.Accuracy a : perf.accuracy()) {
            // Each rotation hands a counter's fractional event to the next event: at most one per rotation.
            assertThat(Math.abs(a.measured() - a.truth())).as("event 0x%x", a.event()).isLessThanOrEqualTo(100);
            assertThat(a.truth()).isGreaterThan(1_000_000);
        }
    }

    @Test
    void perfRecordConvergesOnTheRequestedSampleRate() {
        Pe pe = pe();
        BareMetalPort port = new BareMetalPort(pe);
        LinuxGuestPerf perf = new LinuxGuestPerf(LinuxGuestPerf.Mode.RECORD, new int[] {Events.INST_RETIRED}, 1000,
                1000, true, false, 3_000_000_000L);
        run(perf, pe, port, 2000);
        // 3e9 instructions/s sampled at 1000 Hz: the low-pass filter settles near 3e6 per sample.
        assertThat(perf.currentPeriod(Events.INST_RETIRED)).isBetween(2_900_000L, 3_100_000L);
        GuestPmuModel.Accuracy a = perf.accuracy().get(0);
        assertThat(Math.abs(a.measured() - a.truth())).isLessThanOrEqualTo(2);
    }

    @Test
    void windowsGuestCountsNoStallOnRunningHardwareAndCrashesOnAFrozenCycleCounter() {
        Pe pe = pe();
        BareMetalPort port = new BareMetalPort(pe);
        WindowsCycleTickGuest windows = new WindowsCycleTickGuest(64, true);
        run(windows, pe, port, 10);
        assertThat(windows.cycleStalls()).isZero();
        assertThat(windows.crashed()).isFalse();
        // Stop the cycle counter under it (as a foreign CPU type does): the next tick divides by zero.
        pe.write(PmuRegister.PMCNTENCLR_EL0, 0, 1L << 31);
        long t = pe.now();
        pe.switchContext(t + 15_625_000, ExceptionLevel.EL1, EventRates.NONE);
        windows.tick(port);
        windows.tick(port);
        assertThat(windows.cycleStalls()).isEqualTo(1);
        assertThat(windows.crashed()).isTrue();
    }

    @Test
    void greedyGuestProgramsEveryVisibleCounterAndStopsWhenRefused() {
        Pe pe = pe();
        BareMetalPort port = new BareMetalPort(pe);
        GreedyGuest greedy = new GreedyGuest(250);
        pe.setExceptionLevel(ExceptionLevel.EL1);
        greedy.boot(port);
        assertThat(greedy.programmed()).isEqualTo(6);
        greedy.tick(port); // PMEVTYPER6 is UNDEFINED on a 6-counter PE
        greedy.tick(port);
        assertThat(greedy.programmed()).isEqualTo(6);
        assertThat(pe.read(PmuRegister.PMCNTENSET_EL0, 0).value()).isEqualTo(0x3f);
    }
}
