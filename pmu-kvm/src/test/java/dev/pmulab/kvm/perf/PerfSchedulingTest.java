package dev.pmulab.kvm.perf;

import static dev.pmulab.kvm.perf.PerfTestbed.MS;
import static dev.pmulab.kvm.perf.PerfTestbed.a76;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.RecordingCostSink;
import org.junit.jupiter.api.Test;

/** The scheduling rules of perf-core-and-costs.md §1: priorities, groups, greedy flexible placement, ERROR. */
final class PerfSchedulingTest {

    @Test
    void cpuPinnedThenTaskPinnedThenCpuFlexibleThenTaskFlexible() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfTask task = new PerfTask(100, "worker");
        // Task events wait for their task; the CPU events go on at once.
        PerfEvent taskFlexible = t.taskEvent(task, a76(Events.BR_RETIRED).build(), 0);
        PerfEvent taskPinned =
                t.taskEvent(task, a76(Events.L1D_CACHE).pinned(true).build(), 0);
        PerfEvent cpuFlexible = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent cpuPinned =
                t.cpuEvent(0, a76(Events.L1D_CACHE_REFILL).pinned(true).build(), 0);
        // The CPU-pinned install rescheduled CPU flexible behind it.
        assertThat(cpuPinned.hwIdx()).isEqualTo(0);
        assertThat(cpuFlexible.hwIdx()).isEqualTo(1);

        t.perf.schedIn(0, task, 0);

        // Lowest free counter in priority order: CPU pinned stays, then task pinned, CPU flexible, task flexible.
        assertThat(cpuPinned.hwIdx()).isEqualTo(0);
        assertThat(taskPinned.hwIdx()).isEqualTo(1);
        assertThat(cpuFlexible.hwIdx()).isEqualTo(2);
        assertThat(taskFlexible.hwIdx()).isEqualTo(3);
    }

    @Test
    void taskPinnedPushesCpuFlexibleOffUntilRotation() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 2, PmuVersion.P5);
        PerfEvent cpuPinned =
                t.cpuEvent(0, a76(Events.L1D_CACHE_REFILL).pinned(true).build(), 0);
        PerfEvent cpuFlexible = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfTask vcpu = new PerfTask(200, "vcpu0");
        PerfEvent guestCounter = t.taskEvent(
                vcpu, a76(Events.L1D_CACHE).pinned(true).excludeHost(true).build(), 0);
        assertThat(cpuFlexible.hwIdx()).isEqualTo(1);

        t.perf.schedIn(0, vcpu, 1 * MS);
        assertThat(guestCounter.state()).isEqualTo(PerfEventState.ACTIVE);
        assertThat(guestCounter.hwIdx()).isEqualTo(1);
        assertThat(cpuFlexible.state()).isEqualTo(PerfEventState.INACTIVE);
        assertThat(cpuPinned.hwIdx()).isEqualTo(0);
        // The failed flexible group armed the mux timer on the 4 ms grid (HZ=250).
        assertThat(t.perf.nextRotationTime(0)).isEqualTo(4 * MS);

        // The task leaving frees the counter, but nothing reschedules CPU flexible until the rotation.
        t.perf.schedOut(0, 2 * MS);
        assertThat(cpuFlexible.state()).isEqualTo(PerfEventState.INACTIVE);
        assertThat(t.perf.perfMuxHrtimerHandler(0, 4 * MS)).isTrue();
        assertThat(cpuFlexible.state()).isEqualTo(PerfEventState.ACTIVE);
        assertThat(cpuFlexible.hwIdx()).isEqualTo(1);
    }

    @Test
    void flexibleGroupsStopAtFirstThatDoesNotFit() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfEvent first = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        // A group of four fits the empty PMU (so it opens) but not beside `first`.
        PerfEvent big = t.cpuEvent(0, a76(Events.L1D_CACHE).build(), 0);
        t.sibling(big, a76(Events.BR_RETIRED).build(), 0);
        t.sibling(big, a76(Events.L1D_CACHE_REFILL).build(), 0);
        t.sibling(big, a76(Events.BR_MIS_PRED).build(), 0);
        PerfEvent small = t.cpuEvent(0, a76(Events.STALL_FRONTEND).build(), 0);

        assertThat(first.hwIdx()).isEqualTo(0);
        assertThat(big.state()).isEqualTo(PerfEventState.INACTIVE);
        // Three counters are free and `small` needs one, but the pass stopped at `big`: no bin packing.
        assertThat(small.state()).isEqualTo(PerfEventState.INACTIVE);
        assertThat(t.perf.usedMask(0)).isEqualTo(0b0001);
        assertThat(t.perf.nextRotationTime(0)).isEqualTo(4 * MS);
    }

    @Test
    void eachPassStartsAfreshSoTaskFlexibleMayFollowAFailedCpuFlexibleGroup() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent big = t.cpuEvent(0, a76(Events.L1D_CACHE).build(), 0);
        t.sibling(big, a76(Events.BR_RETIRED).build(), 0);
        t.sibling(big, a76(Events.L1D_CACHE_REFILL).build(), 0);
        t.sibling(big, a76(Events.BR_MIS_PRED).build(), 0);
        PerfTask task = new PerfTask(12, "app");
        PerfEvent taskFlexible = t.taskEvent(task, a76(Events.STALL_FRONTEND).build(), 0);

        t.perf.schedIn(0, task, 0);

        // can_add_hw is per pass: the CPU-flexible failure does not stop the task-flexible pass.
        assertThat(big.state()).isEqualTo(PerfEventState.INACTIVE);
        assertThat(taskFlexible.hwIdx()).isEqualTo(1);
    }

    @Test
    void groupGoesOnAllOrNothing() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        t.cpuEvent(0, a76(Events.L1D_CACHE_REFILL).pinned(true).build(), 0);
        t.cpuEvent(0, a76(Events.BR_MIS_PRED).pinned(true).build(), 0);
        PerfEvent leader = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent second = t.sibling(leader, a76(Events.L1D_CACHE).build(), 0);
        assertThat(leader.state()).isEqualTo(PerfEventState.ACTIVE);
        assertThat(second.state()).isEqualTo(PerfEventState.ACTIVE);

        PerfEvent third = t.sibling(leader, a76(Events.BR_RETIRED).build(), 0);

        // Two counters free, three members: the two that were placed are taken off again.
        assertThat(leader.state()).isEqualTo(PerfEventState.INACTIVE);
        assertThat(second.state()).isEqualTo(PerfEventState.INACTIVE);
        assertThat(third.state()).isEqualTo(PerfEventState.INACTIVE);
        assertThat(leader.hwIdx()).isEqualTo(-1);
        assertThat(t.perf.usedMask(0)).isEqualTo(0b0011);
    }

    @Test
    void groupLargerThanCountersRefusedAtOpen() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 2, PmuVersion.P5);
        PerfEvent leader = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent second = t.sibling(leader, a76(Events.L1D_CACHE).build(), 0);
        t.costs.clear();

        assertThatThrownBy(() -> t.sibling(leader, a76(Events.BR_RETIRED).build(), 0))
                .isInstanceOfSatisfying(
                        PerfEventOpenException.class,
                        e -> assertThat(e.errno()).isEqualTo(PerfEventOpenException.Errno.EINVAL));
        assertThat(leader.siblings()).containsExactly(second);
        assertThat(t.costs.charges()).isEmpty();

        // The cycle counter is one more counter for CPU_CYCLES: N=2 plus PMCCNTR holds three.
        PerfEvent cycles = t.sibling(leader, a76(Events.CPU_CYCLES).build(), 0);
        assertThat(leader.siblings()).containsExactly(second, cycles);
        assertThat(cycles.hwIdx()).isEqualTo(31);
    }

    @Test
    void groupIsValidatedAgainstThePmuCntrMask() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 6, PmuVersion.P5);
        // A static partition leaves the host counters 4 and 5 only, and no cycle counter.
        t.perf.setPmuCntrMask(t.perf.pmuOfCpu(0), 0b110000);
        PerfEvent leader = t.cpuEvent(0, a76(Events.CPU_CYCLES).build(), 0);
        t.sibling(leader, a76(Events.INST_RETIRED).build(), 0);
        assertThat(leader.hwIdx()).isEqualTo(4);

        assertThatThrownBy(() -> t.sibling(leader, a76(Events.L1D_CACHE).build(), 0))
                .isInstanceOf(PerfEventOpenException.class)
                .hasMessageContaining("-EINVAL");
    }

    @Test
    void pinnedEventThatCannotGetCounterGoesToErrorAndStays() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 2, PmuVersion.P5);
        PerfEvent p1 = t.cpuEvent(0, a76(Events.L1D_CACHE_REFILL).pinned(true).build(), 0);
        t.cpuEvent(0, a76(Events.BR_MIS_PRED).pinned(true).build(), 0);
        PerfTask vcpu = new PerfTask(300, "vcpu0");
        t.perf.schedIn(0, vcpu, 0);

        PerfEvent guest = t.taskEvent(
                vcpu, a76(Events.INST_RETIRED).pinned(true).excludeHost(true).build(), 1000);
        assertThat(guest.state()).isEqualTo(PerfEventState.ERROR);

        // A counter frees up and the task is scheduled out and in again: ERROR is skipped, not retried.
        t.perf.close(0, p1, 2000);
        t.perf.schedOut(0, 3000);
        t.perf.schedIn(0, vcpu, 4000);
        assertThat(guest.state()).isEqualTo(PerfEventState.ERROR);
        assertThat(t.perf.usedMask(0)).isEqualTo(0b10);

        // Only perf_event_enable brings it back: ERROR -> OFF -> INACTIVE, rescheduled onto counter 0.
        t.perf.enable(0, guest, 5000);
        assertThat(guest.state()).isEqualTo(PerfEventState.ACTIVE);
        assertThat(guest.hwIdx()).isEqualTo(0);
        // No time accrued in ERROR (1000..5000); enabled and running since 5000.
        t.perf.read(guest, 6000);
        assertThat(guest.timeEnabled()).isEqualTo(1000);
        assertThat(guest.timeRunning()).isEqualTo(1000);
    }

    @Test
    void pinnedFailureSendsLaterPinnedGroupsOfThePassToError() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 2, PmuVersion.P5);
        t.cpuEvent(0, a76(Events.L1D_CACHE_REFILL).pinned(true).build(), 0);
        PerfTask vcpu = new PerfTask(301, "vcpu1");
        PerfEvent pair = t.taskEvent(vcpu, a76(Events.INST_RETIRED).pinned(true).build(), 0);
        t.sibling(pair, a76(Events.L1D_CACHE).build(), 0);
        PerfEvent single = t.taskEvent(vcpu, a76(Events.BR_RETIRED).pinned(true).build(), 0);

        t.perf.schedIn(0, vcpu, 0);

        // `single` would fit the free counter, but merge_sched_in stopped trying after `pair` failed.
        assertThat(pair.state()).isEqualTo(PerfEventState.ERROR);
        assertThat(single.state()).isEqualTo(PerfEventState.ERROR);
        assertThat(t.perf.usedMask(0)).isEqualTo(0b01);
    }

    @Test
    void taskEventOnOtherCoreTypeStaysInactive() {
        PerfTestbed t = PerfTestbed.bigLittle();
        PerfTask vcpu = new PerfTask(400, "vcpu0");
        // Pinned, like KVM's guest events on the VM's (big) PMU.
        PerfEvent onBig =
                t.taskEvent(vcpu, a76(Events.INST_RETIRED).pinned(true).build(), 0);

        t.perf.schedIn(0, vcpu, 0); // a LITTLE CPU
        t.perf.read(onBig, 10 * MS);
        assertThat(onBig.state()).isEqualTo(PerfEventState.INACTIVE); // not ERROR: the PMU filter skipped it
        assertThat(onBig.timeEnabled()).isEqualTo(10 * MS);
        assertThat(onBig.timeRunning()).isZero();
        assertThat(onBig.count()).isZero();
        assertThat(onBig.scaledCount()).isZero(); // <not counted>

        t.perf.contextSwitch(0, null, 10 * MS);
        t.perf.schedIn(1, vcpu, 10 * MS); // migrates to the big CPU
        t.perf.read(onBig, 20 * MS);
        assertThat(onBig.state()).isEqualTo(PerfEventState.ACTIVE);
        assertThat(onBig.timeEnabled()).isEqualTo(20 * MS);
        assertThat(onBig.timeRunning()).isEqualTo(10 * MS);
        assertThat(onBig.count()).isEqualTo(2 * 10 * MS); // INST_RETIRED at 2/ns for 10 ms
    }

    @Test
    void taskEventInstalledWhileItsTaskRunsOnAnotherCoreTypeWaits() {
        PerfTestbed t = PerfTestbed.bigLittle();
        PerfTask task = new PerfTask(401, "app");
        t.perf.schedIn(0, task, 0); // a LITTLE CPU
        PerfEvent little = t.perf.open(
                0,
                PerfEventAttr.builder(PerfTestbed.A55_TYPE, Events.INST_RETIRED).build(),
                task,
                -1,
                null,
                0);
        assertThat(little.hwIdx()).isEqualTo(0);

        PerfEvent big = t.taskEvent(task, a76(Events.INST_RETIRED).build(), 1 * MS);

        // The install reschedules only the big PMU's groups, which this CPU filters out.
        assertThat(big.state()).isEqualTo(PerfEventState.INACTIVE);
        assertThat(little.hwIdx()).isEqualTo(0);
        t.perf.read(big, 5 * MS);
        assertThat(big.timeEnabled()).isEqualTo(4 * MS);
        assertThat(big.timeRunning()).isZero();
        assertThat(t.perf.read(little, 5 * MS)).isEqualTo(2 * 5 * MS);
    }

    @Test
    void cpuEventOnCpuOutsideThePmuIsRefusedWithEnoent() {
        PerfTestbed t = PerfTestbed.bigLittle();
        assertThatThrownBy(() -> t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0))
                .isInstanceOfSatisfying(
                        PerfEventOpenException.class,
                        e -> assertThat(e.errno()).isEqualTo(PerfEventOpenException.Errno.ENOENT));
        assertThatThrownBy(() -> t.cpuEvent(
                        1, PerfEventAttr.builder(99, Events.INST_RETIRED).build(), 0))
                .isInstanceOfSatisfying(
                        PerfEventOpenException.class,
                        e -> assertThat(e.errno()).isEqualTo(PerfEventOpenException.Errno.ENOENT));
        assertThatThrownBy(() ->
                        t.cpuEvent(1, a76(Events.INST_RETIRED).excludeIdle(true).build(), 0))
                .isInstanceOfSatisfying(
                        PerfEventOpenException.class,
                        e -> assertThat(e.errno()).isEqualTo(PerfEventOpenException.Errno.EPERM));
    }

    @Test
    void disableTakesTheGroupOffWithoutReschedulingOthers() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 1, PmuVersion.P5);
        PerfEvent a = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent b = t.cpuEvent(0, a76(Events.L1D_CACHE).build(), 0);
        assertThat(a.hwIdx()).isEqualTo(0);

        t.perf.disable(0, a, 1 * MS);
        assertThat(a.state()).isEqualTo(PerfEventState.OFF);
        assertThat(t.perf.usedMask(0)).isZero();
        // The freed counter waits for the rotation at 4 ms.
        assertThat(b.state()).isEqualTo(PerfEventState.INACTIVE);
        t.perf.perfMuxHrtimerHandler(0, 4 * MS);
        assertThat(b.hwIdx()).isEqualTo(0);

        // OFF accrues no time: enabled 0..1 ms only, running the same.
        t.perf.read(a, 8 * MS);
        assertThat(a.timeEnabled()).isEqualTo(1 * MS);
        assertThat(a.timeRunning()).isEqualTo(1 * MS);
        assertThat(a.count()).isEqualTo(2 * MS);
    }

    @Test
    void closingALeaderMakesItsSiblingsGroupsOfTheirOwn() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfEvent leader = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent sibling = t.sibling(leader, a76(Events.L1D_CACHE).build(), 0);

        t.perf.close(0, leader, 1000);

        assertThat(leader.state()).isEqualTo(PerfEventState.DEAD);
        assertThat(sibling.isGroupLeader()).isTrue();
        assertThat(sibling.state()).isEqualTo(PerfEventState.ACTIVE);
        assertThat(sibling.hwIdx()).isEqualTo(1);
        // As a group of its own it survives a full resched.
        t.perf.perfPmuResched(0, 2000);
        assertThat(sibling.hwIdx()).isEqualTo(0);
        assertThat(t.perf.read(sibling, 3000)).isEqualTo(3000);
    }

    @Test
    void pinnedAndFlexibleCounterViews() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P1);
        t.cpuEvent(0, a76(Events.CPU_CYCLES).pinned(true).build(), 0);
        t.cpuEvent(0, a76(Events.L1D_CACHE).pinned(true).build(), 0);
        PerfEvent chained =
                t.cpuEvent(0, a76(Events.INST_RETIRED).longCounter(true).build(), 0);

        PerfEvent guest = t.cpuEvent(
                0, a76(Events.BR_RETIRED).pinned(true).excludeHost(true).build(), 0);

        assertThat(guest.hwIdx()).isEqualTo(1);
        assertThat(t.perf.pinnedCounterMask(0)).isEqualTo((1L << 31) | 0b0011);
        assertThat(t.perf.excludeHostCounterMask(0)).isEqualTo(0b0010);
        assertThat(t.perf.flexibleCounterMask(0)).isEqualTo(0b1100);
        assertThat(t.perf.eventOnCounter(0, 2)).isSameAs(chained);
        assertThat(t.perf.eventOnCounter(0, 3)).isSameAs(chained);
        assertThat(t.perf.eventOnCounter(0, 1)).isSameAs(guest);
        assertThat(t.perf.eventOnCounter(0, 4)).isNull();
    }

    @Test
    void openAndCloseChargeCreateAndDestroy() {
        PerfTestbed t = PerfTestbed.homogeneous(2, 4, PmuVersion.P5);
        PerfEvent e = t.perf.open(1, a76(Events.INST_RETIRED).build(), null, 0, null, 0);
        t.perf.disable(1, e, 10);
        t.perf.enable(1, e, 20);
        t.perf.close(1, e, 30);

        assertThat(t.costs.charges())
                .containsExactly(
                        new RecordingCostSink.Charge(1, KernelCost.PERF_EVENT_CREATE, 0),
                        new RecordingCostSink.Charge(1, KernelCost.PERF_EVENT_DISABLE, 0),
                        // enable reschedules CPU 0's flexible groups: one event goes on.
                        new RecordingCostSink.Charge(1, KernelCost.PERF_PMU_RESCHED, 1),
                        new RecordingCostSink.Charge(1, KernelCost.PERF_EVENT_DESTROY, 0));
    }

    @Test
    void taskSwitchChargesReschedPerEventMoved() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfTask plain = new PerfTask(1, "no-perf");
        PerfTask profiled = new PerfTask(2, "profiled");
        t.taskEvent(profiled, a76(Events.INST_RETIRED).build(), 0);
        t.taskEvent(profiled, a76(Events.L1D_CACHE).build(), 0);
        t.costs.clear();

        t.perf.schedIn(0, plain, 0);
        t.perf.contextSwitch(0, profiled, 100);
        t.perf.contextSwitch(0, plain, 200);

        // A task without perf events costs nothing; the profiled one moves two events each way.
        assertThat(t.costs.charges())
                .containsExactly(
                        new RecordingCostSink.Charge(0, KernelCost.PERF_PMU_RESCHED, 2),
                        new RecordingCostSink.Charge(0, KernelCost.PERF_PMU_RESCHED, 2));
    }
}
