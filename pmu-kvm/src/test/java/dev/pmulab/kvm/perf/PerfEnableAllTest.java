package dev.pmulab.kvm.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PerfCore#enableAll} inside a run against {@link PerfCore#enable} one by one, on the case
 * where what the flexible groups' skipped add and del leave behind is all that remains of them:
 * N=4, a host CPU group {INST_RETIRED, CPU_CYCLES sampling} on counter 0 and PMCCNTR, for 1 ms,
 * then KVM enables four guest events of the running vCPU. Resched by resched (each from the
 * enabled event, the walk being settled): the guest events take counters 0, 1, 2, 3 in turn,
 * and the group goes back on above them (INST_RETIRED on 1, 2, 3, CPU_CYCLES on PMCCNTR) after
 * the first three; after the fourth, INST_RETIRED finds no counter, so the group fails before
 * CPU_CYCLES is tried. PMCCNTR then holds what the adds of CPU_CYCLES programmed (a new period),
 * not the count the first resched's del read back, and the event keeps the new period: in
 * enableAll only ArmPmuV3.delAfterAdd stands for those adds.
 */
final class PerfEnableAllTest {
    private static final long MS = PerfTestbed.MS;

    /** One host with the group counting and four disabled guest events of the running vCPU. */
    private static final class Host {
        final PerfTestbed bed = PerfTestbed.homogeneous(1, 4, PmuVersion.P1);
        final PerfTask vcpu = new PerfTask(100, "vcpu");
        final List<PerfEvent> events = new ArrayList<>();

        Host() {
            bed.perf.contextSwitch(0, vcpu, 0);
            PerfEvent leader =
                    bed.cpuEvent(0, PerfTestbed.a76(Events.INST_RETIRED).build(), 0);
            events.add(leader);
            events.add(bed.sibling(
                    leader,
                    PerfTestbed.a76(Events.CPU_CYCLES).samplePeriod(1_000_000).build(),
                    0));
            for (int i = 0; i < 4; i++) {
                PerfEventAttr attr = PerfTestbed.a76(Events.L1D_CACHE)
                        .pinned(true)
                        .disabled(true)
                        .excludeHost(true)
                        .excludeHv(true)
                        .samplePeriod(1L << 20)
                        .build();
                events.add(bed.perf.createKernelCounter(0, attr, -1, vcpu, (e, c, t) -> {}, 0));
            }
            bed.pes.get(0).advanceTo(MS);
        }
    }

    @Test
    void enableAllLeavesTheRegistersAndDriverStateOfEnablesOneByOne() {
        Host batched = new Host();
        Host oneByOne = new Host();
        assertThat(batched.events.get(1).hwIdx()).isEqualTo(31);

        batched.bed.perf.beginPmuRun(0);
        batched.bed.perf.enableAll(0, batched.events.subList(2, 6).toArray(new PerfEvent[0]), 4, MS);
        batched.bed.perf.endPmuRun(0);
        for (int i = 2; i < 6; i++) {
            oneByOne.bed.perf.enable(0, oneByOne.events.get(i), MS);
        }

        // The first three enables left the group's sched-in on a mask; the fourth did it on the PMU.
        assertThat(batched.bed.perf.flexibleInsWithoutHw).isEqualTo(3);
        assertThat(batched.bed.perf.reschedsFrom).isEqualTo(4);
        assertThat(batched.bed.perf.reschedsFrom).isEqualTo(4);
        for (int i = 2; i < 6; i++) {
            assertThat(batched.events.get(i).hwIdx())
                    .as("guest event %d", i - 2)
                    .isEqualTo(i - 2);
        }
        assertThat(batched.events.get(0).state()).isEqualTo(PerfEventState.INACTIVE);
        assertThat(batched.events.get(1).state()).isEqualTo(PerfEventState.INACTIVE);
        // CPU_CYCLES samples every 1,000,000 and counted 3/ns for 1 ms at EL0, 3,000,000 (the
        // overflow interrupt is not taken here): the first del reads back 2,000,000 and leaves
        // period_left at -2,000,000, at least a whole period behind, so the next add starts a new
        // period of 1,000,000 and programs -1,000,000 = 0xFFF0BDC0, biased with the upper 32 bits
        // set (a 32-bit event on PMCCNTR). Only that add put it there; the del left 0x1E8480.
        assertThat(oneByOne.bed.hw(0).pmccntr()).isEqualTo(0xFFFF_FFFF_FFF0_BDC0L);
        assertThat(oneByOne.events.get(1).periodLeft).isEqualTo(1_000_000);
        assertThat(batched.bed.hw(0)).isEqualTo(oneByOne.bed.hw(0));
        for (int i = 0; i < 6; i++) {
            assertThat(state(batched.events.get(i))).as("event %d", i).isEqualTo(state(oneByOne.events.get(i)));
        }
        assertThat(batched.bed.costs.charges()).isEqualTo(oneByOne.bed.costs.charges());
        assertThat(batched.bed.perf.reschedCount()).isEqualTo(oneByOne.bed.perf.reschedCount());
        assertThat(batched.bed.perf.nextRotationTime(0)).isEqualTo(oneByOne.bed.perf.nextRotationTime(0));
    }

    private static String state(PerfEvent e) {
        return e.state() + " idx=" + e.idx + " count=" + e.count + " prev=" + e.prevCount + " left=" + e.periodLeft
                + " last=" + e.lastPeriod + " stopped=" + e.hwStopped + " enabled=" + e.totalTimeEnabled
                + " running=" + e.totalTimeRunning;
    }
}
