package dev.pmulab.kvm.perf;

import static dev.pmulab.kvm.perf.PerfTestbed.MS;
import static dev.pmulab.kvm.perf.PerfTestbed.a76;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.RecordingCostSink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PMU interrupt, periods and frequency mode: perf-core-and-costs.md §1.8, §2. */
final class PerfOverflowTest {

    @Test
    void samplingEventIsPresetToMinusPeriodWithItsInterruptEnabled() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfEvent e = t.cpuEvent(0, a76(Events.L1D_CACHE).samplePeriod(1000).build(), 0);

        // -1000 in 32 bits, with the upper half set so a 64-bit (PMUv3p5) counter wraps with it.
        assertThat(t.hw(0).pmevcntr()[e.hwIdx()]).isEqualTo(-1000L);
        assertThat(t.hw(0).pminten()).isEqualTo(1L << e.hwIdx());
        assertThat(t.perf.nextOverflowTime(0)).isEqualTo(1000); // L1D_CACHE at 1/ns
    }

    @Test
    void countingEventInterruptsAtHalfTheCounterRange() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfEvent e = t.cpuEvent(0, a76(Events.L1D_CACHE).build(), 0);
        long half = (1L << 31) - 1;
        assertThat(t.perf.nextOverflowTime(0)).isEqualTo(half);

        assertThat(t.perf.handleIrq(0, half)).isTrue();

        assertThat(t.perf.read(e, half)).isEqualTo(half);
        assertThat(e.samples()).isZero();
        assertThat(t.perf.nextOverflowTime(0)).isEqualTo(2 * half);
        assertThat(t.costs.of(KernelCost.PMU_IRQ_HANDLING)).hasSize(1);
        assertThat(t.costs.of(KernelCost.PERF_SAMPLE_RECORD)).isEmpty();
    }

    @Test
    void handleIrqFoldsTheCountRearmsThePeriodAndWritesASample() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfEvent e = t.cpuEvent(0, a76(Events.L1D_CACHE).samplePeriod(1000).build(), 0);
        t.costs.clear();

        // The interrupt is taken 300 ns late: 1300 events counted, 300 of the next period already
        // gone, so the counter is re-armed for the 700 left and overflows again at 2000.
        assertThat(t.perf.handleIrq(0, 1300)).isTrue();

        assertThat(e.count()).isEqualTo(1300);
        assertThat(e.samples()).isEqualTo(1);
        assertThat(t.perf.nextOverflowTime(0)).isEqualTo(2000);
        assertThat(t.hw(0).pmovs()).isZero();
        assertThat(t.costs.charges())
                .containsExactly(
                        new RecordingCostSink.Charge(0, KernelCost.PERF_SAMPLE_RECORD, 0),
                        new RecordingCostSink.Charge(0, KernelCost.PMU_IRQ_HANDLING, 0));

        assertThat(t.perf.handleIrq(0, 2000)).isTrue();
        assertThat(e.samples()).isEqualTo(2);
        assertThat(t.perf.nextOverflowTime(0)).isEqualTo(3000);
    }

    @Test
    void handleIrqWithoutHostOverflowReturnsFalseAndChargesNothing() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        t.cpuEvent(0, a76(Events.L1D_CACHE).samplePeriod(1000).build(), 0);
        t.costs.clear();

        assertThat(t.perf.handleIrq(0, 999)).isFalse();
        assertThat(t.costs.charges()).isEmpty();
    }

    @Test
    void periodLongerThanHalfTheCounterIsSplitWithoutASample() {
        // A 32-bit counter is armed at most 2^31 - 1 ahead (armpmu_event_set_period): the first
        // interrupt comes at 2,147,483,647 ns with 852,516,353 of the 3e9 period left, and writes no
        // sample; the second comes when the period has run out, at exactly 3e9 ns.
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfEvent e =
                t.cpuEvent(0, a76(Events.L1D_CACHE).samplePeriod(3_000_000_000L).build(), 0);
        long half = (1L << 31) - 1;
        assertThat(t.perf.nextOverflowTime(0)).isEqualTo(half);

        t.perf.handleIrq(0, half);
        assertThat(e.samples()).isZero();
        assertThat(t.perf.nextOverflowTime(0)).isEqualTo(3_000_000_000L);

        t.perf.handleIrq(0, 3_000_000_000L);
        assertThat(e.samples()).isEqualTo(1);
        assertThat(e.count()).isEqualTo(3_000_000_000L);
    }

    @Test
    void kernelCounterOverflowCallsItsHandlerInsteadOfWritingASample() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfTask vcpu = new PerfTask(500, "vcpu0");
        List<Long> calls = new ArrayList<>();
        PerfEventAttr attr =
                a76(Events.INST_RETIRED).pinned(true).samplePeriod(5000).build();
        // Like kvm_pmu_perf_overflow: note the overflow and re-arm to the next guest wrap.
        PerfEvent guest = t.perf.createKernelCounter(
                0,
                attr,
                -1,
                vcpu,
                (event, cpu, now) -> {
                    calls.add(now);
                    t.perf.setPeriod(event, 10_000, now);
                },
                0);
        t.perf.schedIn(0, vcpu, 0);
        t.costs.clear();

        long first = t.perf.nextOverflowTime(0);
        assertThat(first).isEqualTo(2500); // INST_RETIRED at 2/ns
        t.perf.handleIrq(0, first);

        assertThat(calls).containsExactly(2500L);
        assertThat(guest.samples()).isZero();
        assertThat(guest.overflows()).isEqualTo(1);
        assertThat(t.perf.nextOverflowTime(0)).isEqualTo(2500 + 5000);
        assertThat(t.costs.charges()).containsExactly(new RecordingCostSink.Charge(0, KernelCost.PMU_IRQ_HANDLING, 0));
    }

    @Test
    void frequencyModeRetunesThePeriodAtEachInterrupt() {
        // 4000 Hz on L1D_CACHE at 1/ns. The period starts at 1 (perf_event_alloc).
        // IRQ at 1 ns: 1 event in 1 ns -> ideal period 1 * 1e9 / (1 * 4000) = 250,000;
        //   filtered: 1 + (250,000 - 1 + 7) / 8 = 1 + 31,250 = 31,251. The counter was re-armed with
        //   the old period (1), so the next IRQ is at 2 ns.
        // IRQ at 2 ns: last period 31,251 seen in 1 ns -> 31,251e9 / 4000 = 7,812,750,000;
        //   filtered: 31,251 + (7,812,750,000 - 31,251 + 7) / 8 = 31,251 + 976,589,844 = 976,621,095.
        //   The counter was re-armed with 31,251, so the next IRQ is at 2 + 31,251.
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfEvent e = t.cpuEvent(0, a76(Events.L1D_CACHE).sampleFreq(4000).build(), 0);
        assertThat(e.samplePeriod()).isEqualTo(1);

        t.perf.handleIrq(0, t.perf.nextOverflowTime(0));
        assertThat(e.samplePeriod()).isEqualTo(31_251);
        assertThat(t.perf.nextOverflowTime(0)).isEqualTo(2);

        t.perf.handleIrq(0, 2);
        assertThat(e.samplePeriod()).isEqualTo(976_621_095);
        assertThat(t.perf.nextOverflowTime(0)).isEqualTo(2 + 31_251);
        assertThat(e.samples()).isEqualTo(2);
    }

    @Test
    void frequencyModeRetunesThePeriodAtEachTick() {
        // No interrupt is handled; the tick at 4 ms sees 4,000,000 events in one tick (4 ms):
        //   ideal period 4e6 * 1e9 / (4e6 * 4000) = 250,000; filtered 1 + (249,999 + 7) / 8 = 31,251.
        //   More than 8 periods are left over (period_left went negative), so it reloads: the
        //   next interrupt is one new period after the tick.
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfEvent e = t.cpuEvent(0, a76(Events.L1D_CACHE).sampleFreq(4000).build(), 0);
        t.costs.clear();

        t.perf.perfEventTaskTick(0, 4 * MS);

        assertThat(e.count()).isEqualTo(4 * MS);
        assertThat(e.samplePeriod()).isEqualTo(31_251);
        assertThat(t.perf.nextOverflowTime(0)).isEqualTo(4 * MS + 31_251);
        assertThat(t.costs.charges()).containsExactly(new RecordingCostSink.Charge(0, KernelCost.PERIOD_RETUNE, 0));
    }

    @Test
    void aTickWithAnOverflowStillPendingCarriesTheEventsPastItIntoTheNextPeriod() {
        // As frequencyModeRetunesThePeriodAtEachInterrupt up to the IRQ at 2 ns: sample_period
        // 976,621,095, the counter armed with 31,251 at 2 ns, so it overflows at 31,253.
        // The interrupt is not handled; the tick comes at 31,258, 5 events past the overflow:
        //   stop: period_left = 31,251 - 31,256 = -5; the tick's count is all 31,258 events;
        //   period 31,258e9 / (4e6 * 4000) = 1,953; filtered:
        //   976,621,095 + (1,953 - 976,621,095 - 7) / 8 = 976,621,095 - 122,077,393 = 854,543,702;
        //   period_left -5 is not above 8 periods (perf_adjust_period compares signed values), so
        //   it stays, and set_period carries it: 854,543,702 - 5 = 854,543,697 left.
        // (Read as unsigned, -5 would have reset period_left and armed a whole period, 5 more.)
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfEvent e = t.cpuEvent(0, a76(Events.L1D_CACHE).sampleFreq(4000).build(), 0);
        t.perf.handleIrq(0, 1);
        t.perf.handleIrq(0, 2);
        assertThat(t.perf.nextOverflowTime(0)).isEqualTo(31_253);

        t.perf.perfEventTaskTick(0, 31_258);

        assertThat(e.samplePeriod()).isEqualTo(854_543_702);
        assertThat(t.perf.nextOverflowTime(0)).isEqualTo(31_258 + 854_543_697);
        assertThat(e.samples())
                .as("the pending overflow's sample is lost, as in the kernel")
                .isEqualTo(2);
    }

    @Test
    void sampleFrequencyAboveTheMaximumIsRefused() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        assertThatThrownBy(() ->
                        t.cpuEvent(0, a76(Events.L1D_CACHE).sampleFreq(100_001).build(), 0))
                .isInstanceOfSatisfying(
                        PerfEventOpenException.class,
                        ex -> assertThat(ex.errno()).isEqualTo(PerfEventOpenException.Errno.EINVAL));
    }
}
