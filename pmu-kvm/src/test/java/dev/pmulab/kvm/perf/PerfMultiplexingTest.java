package dev.pmulab.kvm.perf;

import static dev.pmulab.kvm.perf.PerfTestbed.MS;
import static dev.pmulab.kvm.perf.PerfTestbed.a76;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.RecordingCostSink;
import org.junit.jupiter.api.Test;

/** Rotation, the mux hrtimer and time accounting: perf-core-and-costs.md §1.5, §1.6. */
final class PerfMultiplexingTest {

    @Test
    void rotationMovesFirstFlexibleGroupToTheEnd() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 2, PmuVersion.P5);
        PerfEvent a = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent b = t.cpuEvent(0, a76(Events.L1D_CACHE).build(), 0);
        PerfEvent c = t.cpuEvent(0, a76(Events.BR_RETIRED).build(), 0);
        assertThat(new int[] {a.hwIdx(), b.hwIdx(), c.hwIdx()}).containsExactly(0, 1, -1);

        assertThat(t.perf.perfRotateContext(0, 4 * MS)).isTrue();
        // Order B, C, A: the first active group (A) went last.
        assertThat(new int[] {a.hwIdx(), b.hwIdx(), c.hwIdx()}).containsExactly(-1, 0, 1);

        t.perf.perfRotateContext(0, 8 * MS);
        // Order C, A, B.
        assertThat(new int[] {a.hwIdx(), b.hwIdx(), c.hwIdx()}).containsExactly(1, -1, 0);
    }

    @Test
    void pinnedGroupsAreNeverRotated() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 2, PmuVersion.P5);
        PerfEvent pinned = t.cpuEvent(0, a76(Events.BR_MIS_PRED).pinned(true).build(), 0);
        PerfEvent a = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent b = t.cpuEvent(0, a76(Events.L1D_CACHE).build(), 0);
        t.costs.clear();

        t.perf.perfRotateContext(0, 4 * MS);
        t.perf.perfRotateContext(0, 8 * MS);

        assertThat(pinned.hwIdx()).isEqualTo(0);
        assertThat(pinned.state()).isEqualTo(PerfEventState.ACTIVE);
        // Two flexible events share one counter; each rotation moves both (one out, the other in).
        assertThat(a.hwIdx()).isEqualTo(1);
        assertThat(b.hwIdx()).isEqualTo(-1);
        assertThat(t.costs.of(KernelCost.PERF_ROTATE_CONTEXT))
                .containsExactly(
                        new RecordingCostSink.Charge(0, KernelCost.PERF_ROTATE_CONTEXT, 2),
                        new RecordingCostSink.Charge(0, KernelCost.PERF_ROTATE_CONTEXT, 2));
    }

    @Test
    void taskFlexibleGroupsRotateInTheirOwnContext() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 1, PmuVersion.P5);
        PerfTask task = new PerfTask(7, "perf-stat-child");
        PerfEvent a = t.taskEvent(task, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent b = t.taskEvent(task, a76(Events.L1D_CACHE).build(), 0);
        t.perf.schedIn(0, task, 0);
        assertThat(a.hwIdx()).isEqualTo(0);
        assertThat(b.state()).isEqualTo(PerfEventState.INACTIVE);

        assertThat(t.perf.perfMuxHrtimerHandler(0, 4 * MS)).isTrue();
        assertThat(a.state()).isEqualTo(PerfEventState.INACTIVE);
        assertThat(b.hwIdx()).isEqualTo(0);
    }

    @Test
    void rotationTimerIsArmedByAFlexibleFailureOnTheIntervalGridAndStopsWhenNotNeeded() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 2, PmuVersion.P5);
        t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        t.cpuEvent(0, a76(Events.L1D_CACHE).build(), 0);
        assertThat(t.perf.nextRotationTime(0)).isEqualTo(Long.MAX_VALUE);

        PerfEvent third = t.cpuEvent(0, a76(Events.BR_RETIRED).build(), 1_500_000);
        // hrtimer_forward_now from the timer's last expiry (0): the next 4 ms boundary, not 1.5 + 4.
        assertThat(t.perf.nextRotationTime(0)).isEqualTo(4 * MS);
        assertThat(t.perf.perfMuxHrtimerHandler(0, 3 * MS)).isFalse(); // not due yet
        assertThat(t.perf.perfMuxHrtimerHandler(0, 4 * MS)).isTrue();
        assertThat(t.perf.nextRotationTime(0)).isEqualTo(8 * MS);
        assertThat(t.perf.perfMuxHrtimerHandler(0, 8 * MS)).isTrue();

        // Once everything fits, one more rotation finds all groups on and the timer stops.
        t.perf.close(0, third, 9 * MS);
        assertThat(t.perf.perfMuxHrtimerHandler(0, 12 * MS)).isTrue();
        assertThat(t.perf.nextRotationTime(0)).isEqualTo(16 * MS);
        assertThat(t.perf.perfMuxHrtimerHandler(0, 16 * MS)).isFalse();
        assertThat(t.perf.nextRotationTime(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void muxIntervalIsOneTickByDefaultAndSetPerPmu() {
        PerfTestbed t = PerfTestbed.homogeneous(new PerfCoreConfig(true, 1000, 100_000), 1, 1, PmuVersion.P5);
        PerfPmu pmu = t.perf.pmuOfCpu(0);
        assertThat(pmu.perfEventMuxIntervalMs()).isEqualTo(1); // PERF_CPU_HRTIMER = 1000/HZ
        pmu.setPerfEventMuxIntervalMs(10);

        t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        t.cpuEvent(0, a76(Events.L1D_CACHE).build(), 2 * MS);

        assertThat(t.perf.nextRotationTime(0)).isEqualTo(10 * MS);
    }

    @Test
    void timeEnabledAndRunningUnderMultiplexing() {
        // Two counters, three flexible CPU events, rotation every 4 ms (HZ=250):
        //   [0, 4)   A on 0, B on 1; C waits        -> order A B C
        //   [4, 8)   A rotated last: B on 0, C on 1 -> order B C A
        //   [8, 12)  B rotated last: C on 0, A on 1 -> order C A B
        //   at 12    C rotated last: A on 0, B on 1 -> order A B C
        // Each ran 8 of the 12 ms it was enabled:
        //   A: [0,4) + [8,12); B: [0,4) + [4,8); C: [4,8) + [8,12).
        // Counts: INST_RETIRED 2/ns -> 16,000,000; L1D_CACHE 1/ns -> 8,000,000;
        // BR_RETIRED 1 per 4 ns -> 2,000,000. Scaled by 12/8 they are the true 12 ms counts.
        PerfTestbed t = PerfTestbed.homogeneous(1, 2, PmuVersion.P5);
        PerfEvent a = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent b = t.cpuEvent(0, a76(Events.L1D_CACHE).build(), 0);
        PerfEvent c = t.cpuEvent(0, a76(Events.BR_RETIRED).build(), 0);
        t.costs.clear();
        for (long when = t.perf.nextRotationTime(0); when <= 12 * MS; when = t.perf.nextRotationTime(0)) {
            t.perf.perfMuxHrtimerHandler(0, when);
        }

        PerfEventReadValue va = t.perf.readValue(a, 12 * MS);
        PerfEventReadValue vb = t.perf.readValue(b, 12 * MS);
        PerfEventReadValue vc = t.perf.readValue(c, 12 * MS);
        assertThat(va).isEqualTo(new PerfEventReadValue(16_000_000, 12 * MS, 8 * MS));
        assertThat(vb).isEqualTo(new PerfEventReadValue(8_000_000, 12 * MS, 8 * MS));
        assertThat(vc).isEqualTo(new PerfEventReadValue(2_000_000, 12 * MS, 8 * MS));
        assertThat(va.scaled()).isEqualTo(24_000_000);
        assertThat(vc.scaled()).isEqualTo(3_000_000);
        assertThat(va.coverage()).isEqualTo(8.0 / 12.0);
        assertThat(new int[] {a.hwIdx(), b.hwIdx(), c.hwIdx()}).containsExactly(0, 1, -1);
        // Three rotations; each takes two groups off and puts two on, three distinct events.
        assertThat(t.costs.of(KernelCost.PERF_ROTATE_CONTEXT))
                .hasSize(3)
                .allSatisfy(charge -> assertThat(charge.units()).isEqualTo(3));
    }

    @Test
    void taskEventAccruesNoTimeWhileItsTaskIsScheduledOut() {
        // The task runs [0,10) and [30,40) ms: its context clock stops in between, so the event is
        // enabled and running 20 ms and counts INST_RETIRED at 2/ns for 20 ms.
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfTask task = new PerfTask(9, "app");
        PerfEvent e = t.taskEvent(task, a76(Events.INST_RETIRED).build(), 0);
        t.perf.schedIn(0, task, 0);
        t.perf.schedOut(0, 10 * MS);
        assertThat(e.state()).isEqualTo(PerfEventState.INACTIVE);
        t.perf.read(e, 20 * MS);
        assertThat(e.timeEnabled()).isEqualTo(10 * MS);
        t.perf.schedIn(0, task, 30 * MS);

        PerfEventReadValue v = t.perf.readValue(e, 40 * MS);

        assertThat(v).isEqualTo(new PerfEventReadValue(40_000_000, 20 * MS, 20 * MS));
    }

    @Test
    void groupMembersShareTheLeadersOffTime() {
        // A disabled leader makes its whole group stop accruing (the effective state is the leader's).
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfEvent leader = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent member = t.sibling(leader, a76(Events.L1D_CACHE).build(), 0);
        t.perf.disable(0, leader, 2 * MS);
        t.perf.enable(0, leader, 5 * MS);

        t.perf.read(member, 6 * MS);

        assertThat(member.timeEnabled()).isEqualTo(3 * MS);
        assertThat(member.timeRunning()).isEqualTo(3 * MS);
        assertThat(member.count()).isEqualTo(3 * MS);
    }
}
