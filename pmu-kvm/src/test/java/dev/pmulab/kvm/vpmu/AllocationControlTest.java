package dev.pmulab.kvm.vpmu;

import static dev.pmulab.api.ControlRule.HPMN0;
import static dev.pmulab.api.ControlRule.HPMN_LE_N;
import static dev.pmulab.api.ControlRule.IMPLEMENTED_COUNTERS;
import static dev.pmulab.api.ControlRule.PINNED_HOST_EVENT;
import static dev.pmulab.api.ControlRule.VHE_ONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pmulab.api.AllocationOrder;
import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.hw.Events;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.RecordingCostSink;
import dev.pmulab.kvm.perf.CounterAllocationOrder;
import dev.pmulab.kvm.perf.PerfEvent;
import dev.pmulab.kvm.perf.PerfEventState;
import org.junit.jupiter.api.Test;

/** The policy's control surface: each hardware and kernel rule refused with the policy and rule named. */
final class AllocationControlTest {
    private static final String POLICY = "careless-policy";

    private static VpmuTestbed host(VpmuTestbed.Builder b) {
        return b.policy(null, POLICY).build();
    }

    private static ControlRefusedException refusal(Runnable action) {
        return catchThrowableOfType(ControlRefusedException.class, action::run);
    }

    @Test
    void hpmnAboveNIsRefused() {
        VpmuTestbed t = host(VpmuTestbed.builder());
        ControlRefusedException e = refusal(() -> t.kvm.control().setHpmn(0, 7));
        assertThat(e.policy()).isEqualTo(POLICY);
        assertThat(e.rule()).isEqualTo(HPMN_LE_N);
        assertThat(e).hasMessageContaining(POLICY).hasMessageContaining("N = 6");
        assertThat(refusal(() -> t.kvm.control().setHpmn(0, -1)).rule()).isEqualTo(HPMN_LE_N);
        assertThat(t.kvm.cpuView(0).hpmn()).isEqualTo(6);
        t.kvm.control().setHpmn(0, 6);
        t.kvm.control().setHpmn(0, 3);
        assertThat(t.kvm.cpuView(0).hpmn()).isEqualTo(3);
        assertThat(t.kvm.stats().refusedControls()).isEqualTo(2);
        assertThat(t.kvm.stats().refusalsByRule()).containsEntry(HPMN_LE_N, 2L);
        assertThat(t.kvm.stats().hpmnChanges()).isEqualTo(1);
    }

    @Test
    void hpmnZeroNeedsFeatHpmn0() {
        VpmuTestbed without = host(VpmuTestbed.builder().hpmn0(false));
        assertThat(refusal(() -> without.kvm.control().setHpmn(0, 0)).rule()).isEqualTo(HPMN0);
        VpmuTestbed with = host(VpmuTestbed.builder().hpmn0(true));
        with.kvm.control().setHpmn(0, 0);
        assertThat(with.kvm.cpuView(0).hpmn()).isZero();
    }

    @Test
    void everyPartitioningActionIsRefusedOnAnNvheHost() {
        VpmuTestbed t = host(VpmuTestbed.builder().vhe(false));
        assertThat(refusal(() -> t.kvm.control().setHpmn(0, 4)).rule()).isEqualTo(VHE_ONLY);
        assertThat(refusal(() -> t.kvm.control().setHostCounterMask(0, 0b111100))
                        .rule())
                .isEqualTo(VHE_ONLY);
        assertThat(refusal(() -> t.kvm.control().reschedHostPerf(0, 0b111100)).rule())
                .isEqualTo(VHE_ONLY);
        assertThat(refusal(() -> t.kvm.control().setGuestAccess(t.vp.view(), GuestAccessMode.DIRECT))
                        .rule())
                .isEqualTo(VHE_ONLY);
        // What does not partition is fine: HPMN = N, the full mask, emulated access.
        long all = t.kvm.cpuView(0).hostCounterMask();
        t.kvm.control().setHpmn(0, 6);
        t.kvm.control().setHostCounterMask(0, all);
        t.kvm.control().setGuestAccess(t.vp.view(), GuestAccessMode.EMULATED);
        assertThat(t.kvm.stats().refusalsByRule()).containsEntry(VHE_ONLY, 4L);
        assertThat(t.vp.accessMode()).isEqualTo(GuestAccessMode.EMULATED);
    }

    @Test
    void aGuestShareOverAPinnedHostEventIsRefusedUntilPerfMovesIt() {
        VpmuTestbed t = host(VpmuTestbed.builder());
        PerfEvent pinned = t.hostEvent(0, Events.INST_RETIRED, true, 0);
        assertThat(pinned.hwIdx()).isZero();
        CpuView cpu = t.kvm.cpuView(0);
        assertThat(cpu.hostPinnedCounters()).isEqualTo(1);

        ControlRefusedException e = refusal(() -> t.kvm.control().setHpmn(0, 2));

        assertThat(e.rule()).isEqualTo(PINNED_HOST_EVENT);
        assertThat(e.policy()).isEqualTo(POLICY);
        t.sink.clear();
        t.kvm.control().reschedHostPerf(0, 0b111100);
        // perf_pmu_resched_update: out and back in under the new mask, C12 with one unit for the event.
        assertThat(t.sink.charges()).containsExactly(new RecordingCostSink.Charge(0, KernelCost.PERF_PMU_RESCHED, 1));
        assertThat(pinned.hwIdx()).isEqualTo(2);
        assertThat(pinned.state()).isEqualTo(PerfEventState.ACTIVE);
        assertThat(t.perf.cntrMask(0)).isEqualTo(0b111100);
        t.kvm.control().setHpmn(0, 2);
        assertThat(cpu.hpmn()).isEqualTo(2);
        assertThat(t.kvm.stats().hostReschedules()).isEqualTo(1);
    }

    @Test
    void pmccntrIsAlwaysTheGuestsSoAPinnedCyclesEventThereBlocksAnySplit() {
        VpmuTestbed t = host(VpmuTestbed.builder());
        PerfEvent cycles = t.hostEvent(0, Events.CPU_CYCLES, true, 0);
        assertThat(cycles.hwIdx()).isEqualTo(31);
        assertThat(refusal(() -> t.kvm.control().setHpmn(0, 4)).rule()).isEqualTo(PINNED_HOST_EVENT);
        t.kvm.control().reschedHostPerf(0, 0b110000);
        assertThat(cycles.hwIdx()).isEqualTo(4);
        t.kvm.control().setHpmn(0, 4);
    }

    @Test
    void aMaskOfCountersThePmuLacksIsRefused() {
        VpmuTestbed t = host(VpmuTestbed.builder());
        assertThat(refusal(() -> t.kvm.control().setHostCounterMask(0, 1L << 6)).rule())
                .isEqualTo(IMPLEMENTED_COUNTERS);
    }

    @Test
    void theHostMaskWithoutReschedLeavesEventsWhereTheyAre() {
        VpmuTestbed t = host(VpmuTestbed.builder());
        PerfEvent flexible = t.hostEvent(0, Events.INST_RETIRED, false, 0);
        t.sink.clear();
        t.kvm.control().setHostCounterMask(0, 0b111100);
        assertThat(flexible.hwIdx()).isZero();
        assertThat(t.sink.charges()).isEmpty();
        assertThat(t.kvm.cpuView(0).hostCounterMask()).isEqualTo(0b111100);
        assertThat(t.kvm.cpuView(0).hostCountersInUse()).isEqualTo(1);
        assertThat(t.kvm.stats().hostCounterMaskChanges()).isEqualTo(1);
    }

    @Test
    void theAllocationOrderReachesEveryHostPmu() {
        VpmuTestbed t = host(VpmuTestbed.builder().bigLittle());
        t.kvm.control().setHostAllocationOrder(AllocationOrder.TOP_DOWN);
        assertThat(t.perf.pmus())
                .allSatisfy(p -> assertThat(p.allocationOrder()).isEqualTo(CounterAllocationOrder.HIGH_TO_LOW));
        assertThat(t.hostEvent(0, Events.INST_RETIRED, false, 0).hwIdx()).isEqualTo(5);
        t.kvm.control().setHostAllocationOrder(AllocationOrder.BOTTOM_UP);
        assertThat(t.hostEvent(1, Events.INST_RETIRED, false, 0).hwIdx()).isZero();
    }

    @Test
    void theNotesAreCountedAndChangeNoHardware() {
        VpmuTestbed t = host(VpmuTestbed.builder());
        t.kvm.control().noteGuestVisibleN(t.vp.view(), 3);
        t.kvm.control().noteGuestShareCut(t.vp.view(), 0, 4, 2);
        assertThat(t.kvm.stats().guestVisibleNNotes()).isEqualTo(1);
        assertThat(t.kvm.stats().guestShareCuts()).isEqualTo(1);
        assertThat(t.kvm.cpuView(0).hpmn()).isEqualTo(6);
        // The view reports the noted N (a policy compares it before noting again); KVM's own count of
        // changes the guest could see is untouched.
        assertThat(t.vp.view().guestVisibleN()).isEqualTo(3);
        assertThat(t.vp.stats().visibleNChanges()).isZero();
    }

    @Test
    void theViewsDescribeTheHost() {
        VpmuTestbed t = host(VpmuTestbed.builder().bigLittle());
        assertThat(t.kvm.hostView().cpuCount()).isEqualTo(2);
        assertThat(t.kvm.hostView().vhe()).isTrue();
        assertThat(t.kvm.hostView().pmuNames()).containsExactly("armv8_cortex_a76", "armv8_cortex_a55");
        assertThat(t.kvm.hostView().pmuCpus("armv8_cortex_a55")).containsExactly(1);
        CpuView little = t.kvm.cpuView(1);
        assertThat(little.coreType()).isEqualTo("cortex-a55");
        assertThat(little.pmuName()).isEqualTo("armv8_cortex_a55");
        assertThat(little.counters()).isEqualTo(6);
        assertThat(little.fgt()).isTrue();
        assertThat(little.loadedVcpu()).isEmpty();
        t.enter(1, 0);
        assertThat(little.loadedVcpu()).containsSame(t.vp.view());
        assertThat(t.vp.view().lastCpu()).isEqualTo(1);
        assertThat(t.vp.view().guestCountersLimit()).isEqualTo(6);
        assertThat(t.vp.view().pmuEnabled()).isTrue();
    }
}
