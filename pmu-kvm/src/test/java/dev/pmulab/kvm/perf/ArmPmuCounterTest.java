package dev.pmulab.kvm.perf;

import static dev.pmulab.hw.regs.PmevtyperEl0.NSH;
import static dev.pmulab.hw.regs.PmevtyperEl0.P;
import static dev.pmulab.hw.regs.PmevtyperEl0.U;
import static dev.pmulab.kvm.perf.PerfTestbed.MS;
import static dev.pmulab.kvm.perf.PerfTestbed.a76;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.RecordingCostSink;
import org.junit.jupiter.api.Test;

/** Which counter an event gets and how it is programmed: perf-core-and-costs.md §2, §3.2. */
final class ArmPmuCounterTest {
    @Test
    void cpuCyclesTakesPmccntrWhenFreeOtherwiseTheLowestFreeCounter() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfEvent other = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent cycles =
                t.cpuEvent(0, a76(Events.CPU_CYCLES).excludeKernel(true).build(), 0);
        PerfEvent moreCycles = t.cpuEvent(0, a76(Events.CPU_CYCLES).build(), 0);

        assertThat(other.hwIdx()).isEqualTo(0);
        assertThat(cycles.hwIdx()).isEqualTo(Pe.CYCLE_COUNTER);
        assertThat(moreCycles.hwIdx()).isEqualTo(1);
        Pe.Snapshot hw = t.hw(0);
        assertThat(hw.pmccfiltr()).isEqualTo(P); // exclude_kernel -> EXCLUDE_EL1, no EL2
        assertThat(hw.pmevtyper()[1]).isEqualTo(NSH | Events.CPU_CYCLES);
        assertThat(hw.pmcnten()).isEqualTo((1L << 31) | 0b11);

        // Without bit 31 in the CPU's cntr_mask (a partitioned host), cycles use a general counter.
        t.perf.setCntrMask(0, 0b1111);
        t.perf.perfPmuResched(0, 1000);
        assertThat(cycles.hwIdx()).isEqualTo(1);
        assertThat(moreCycles.hwIdx()).isEqualTo(2);
    }

    @Test
    void chainedPairFor64BitEventBeforeP5() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P1);
        PerfEvent low = t.cpuEvent(0, a76(Events.L1D_CACHE).build(), 0);
        // 64-bit INST_RETIRED needs an odd counter whose even neighbour is free: 1 is not (0 taken), 3 is.
        PerfEvent wide = t.cpuEvent(
                0, a76(Events.INST_RETIRED).longCounter(true).excludeUser(true).build(), 0);

        assertThat(low.hwIdx()).isEqualTo(0);
        assertThat(wide.hwIdx()).isEqualTo(3);
        assertThat(wide.isChained()).isTrue();
        assertThat(t.perf.usedMask(0)).isEqualTo(0b1101);
        Pe.Snapshot hw = t.hw(0);
        assertThat(hw.pmevtyper()[2]).isEqualTo(NSH | U | Events.INST_RETIRED); // low half: the event
        assertThat(hw.pmevtyper()[3]).isEqualTo(NSH | Events.CHAIN); // high half: CHAIN at every level
        assertThat(hw.pminten()).isEqualTo(0b1001); // the interrupt is on the high half

        // 2/ns for 3 s is 6e9 events: past 2^32, carried into the high half. Count at EL2 (the host
        // kernel), since the event excludes EL0.
        t.pes.get(0).switchContext(0, ExceptionLevel.EL2, PerfTestbed.RATES);
        assertThat(t.perf.read(wide, 3_000_000_000L)).isEqualTo(6_000_000_000L);
        assertThat(t.perf.read(low, 3_000_000_000L)).isEqualTo(3_000_000_000L);
    }

    @Test
    void userReadable64BitCyclesWaitForPmccntrBeforeP5() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P1);
        t.cpuEvent(0, a76(Events.CPU_CYCLES).pinned(true).build(), 0);
        PerfEvent kernelRead =
                t.cpuEvent(0, a76(Events.CPU_CYCLES).longCounter(true).build(), 0);
        // rdpmc reads one register, so a 64-bit user-read cycle count cannot fall back to a pair.
        PerfEvent userRead = t.cpuEvent(
                0,
                a76(Events.CPU_CYCLES)
                        .config1(PerfEventAttr.CONFIG1_LONG | PerfEventAttr.CONFIG1_RDPMC)
                        .build(),
                0);

        assertThat(kernelRead.hwIdx()).isEqualTo(1);
        assertThat(kernelRead.isChained()).isTrue();
        assertThat(userRead.state()).isEqualTo(PerfEventState.INACTIVE);
        assertThat(t.perf.usedMask(0)).isEqualTo((1L << 31) | 0b0011);
    }

    @Test
    void sixtyFourBitEventUsesOneCounterFromP5() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        t.cpuEvent(0, a76(Events.L1D_CACHE).build(), 0);
        PerfEvent wide =
                t.cpuEvent(0, a76(Events.INST_RETIRED).longCounter(true).build(), 0);

        assertThat(wide.hwIdx()).isEqualTo(1);
        assertThat(wide.isChained()).isFalse();
        assertThat(t.perf.read(wide, 3_000_000_000L)).isEqualTo(6_000_000_000L);
    }

    @Test
    void topDownAllocationFillsFromTheHighestCounter() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 6, PmuVersion.P1);
        t.perf.pmuOfCpu(0).setAllocationOrder(CounterAllocationOrder.HIGH_TO_LOW);
        PerfEvent first = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent cycles = t.cpuEvent(0, a76(Events.CPU_CYCLES).build(), 0);
        PerfEvent pair = t.cpuEvent(0, a76(Events.L1D_CACHE).longCounter(true).build(), 0);
        PerfEvent next = t.cpuEvent(0, a76(Events.BR_RETIRED).build(), 0);

        assertThat(first.hwIdx()).isEqualTo(5);
        assertThat(cycles.hwIdx()).isEqualTo(Pe.CYCLE_COUNTER); // PMCCNTR still preferred
        assertThat(pair.hwIdx()).isEqualTo(3); // the highest free odd/even pair: 3 and 2
        assertThat(next.hwIdx()).isEqualTo(4);
    }

    @Test
    void excludeBitsBecomeFilterBitsOnVhe() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 6, PmuVersion.P5);
        int[] idx = {
            t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0).hwIdx(),
            t.cpuEvent(0, a76(Events.INST_RETIRED).excludeKernel(true).build(), 0)
                    .hwIdx(),
            t.cpuEvent(0, a76(Events.INST_RETIRED).excludeUser(true).build(), 0).hwIdx(),
            t.cpuEvent(0, a76(Events.INST_RETIRED).excludeHost(true).build(), 0).hwIdx(),
            t.cpuEvent(0, a76(Events.INST_RETIRED).excludeGuest(true).build(), 0)
                    .hwIdx(),
            t.cpuEvent(
                            0,
                            a76(Events.INST_RETIRED)
                                    .excludeGuest(true)
                                    .excludeUser(true)
                                    .build(),
                            0)
                    .hwIdx(),
        };
        long[] typer = t.hw(0).pmevtyper();
        int ev = Events.INST_RETIRED;
        assertThat(typer[idx[0]]).isEqualTo(NSH | ev); // the VHE host kernel is EL2
        assertThat(typer[idx[1]]).isEqualTo(P | ev);
        assertThat(typer[idx[2]]).isEqualTo(NSH | U | ev);
        assertThat(typer[idx[3]]).isEqualTo(U | ev); // guest only: EL1, EL0 flipped by KVM at load
        assertThat(typer[idx[4]]).isEqualTo(NSH | P | ev); // host only: no guest kernel
        // kvm_set_pmu_events: only exclude_host != exclude_guest, and not with exclude_user on VHE.
        assertThat(t.perf.kvmPmuEventsGuest(0)).isEqualTo(1L << idx[3]);
        assertThat(t.perf.kvmPmuEventsHost(0)).isEqualTo(1L << idx[4]);
        assertThat(t.hw(0).pmcnten() & 0b111111).isEqualTo(0b111111);
    }

    @Test
    void excludeHostIsDeferredToTheWorldSwitchOnNvhe() {
        PerfTestbed t = PerfTestbed.homogeneous(new PerfCoreConfig(false, 250, 100_000), 1, 6, PmuVersion.P5);
        PerfEvent host = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent noHv = t.cpuEvent(0, a76(Events.INST_RETIRED).excludeHv(true).build(), 0);
        PerfEvent guest =
                t.cpuEvent(0, a76(Events.INST_RETIRED).excludeHost(true).build(), 0);

        long[] typer = t.hw(0).pmevtyper();
        assertThat(typer[host.hwIdx()]).isEqualTo(NSH | Events.INST_RETIRED);
        assertThat(typer[noHv.hwIdx()]).isEqualTo(Events.INST_RETIRED);
        assertThat(typer[guest.hwIdx()]).isEqualTo(Events.INST_RETIRED);
        // The guest-only counter is left for __pmu_switch_to_guest to enable.
        assertThat(t.hw(0).pmcnten() & 0b111).isEqualTo(0b011);
        assertThat(t.perf.kvmPmuEventsGuest(0)).isEqualTo(1L << guest.hwIdx());
        assertThat(t.perf.kvmPmuEventsHost(0)).isZero();
    }

    @Test
    void readReturnsWhatTheHardwareCountedUnderTheFilters() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfEvent all = t.cpuEvent(0, a76(Events.L1D_CACHE).build(), 0);
        PerfEvent kernelOnly =
                t.cpuEvent(0, a76(Events.L1D_CACHE).excludeUser(true).build(), 0);
        PerfEvent userOnly =
                t.cpuEvent(0, a76(Events.L1D_CACHE).excludeKernel(true).build(), 0);
        Pe pe = t.pes.get(0);
        // User space [0, 1000), the host kernel (EL2) [1000, 3000), user space again [3000, 3500).
        pe.switchContext(1000, ExceptionLevel.EL2, PerfTestbed.RATES);
        pe.switchContext(3000, ExceptionLevel.EL0, PerfTestbed.RATES);

        assertThat(t.perf.read(all, 3500)).isEqualTo(3500);
        assertThat(t.perf.read(kernelOnly, 3500)).isEqualTo(2000);
        assertThat(t.perf.read(userOnly, 3500)).isEqualTo(1500);
    }

    @Test
    void hostStartsItsCountersWithHpmeWhileAPartitionIsInForce() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 6, PmuVersion.P5);
        Pe pe = t.pes.get(0);
        // KVM has loaded a partitioned guest: HPMN = 2, PMCR belongs to the guest (E clear).
        pe.switchContext(0, ExceptionLevel.EL2, PerfTestbed.RATES);
        pe.writeChecked(PmuRegister.MDCR_EL2, 0, 2);
        pe.switchContext(0, ExceptionLevel.EL0, PerfTestbed.RATES);
        t.perf.setCntrMask(0, 0b111100);

        PerfEvent host = t.cpuEvent(0, a76(Events.CPU_CYCLES).build(), 0);

        assertThat(host.hwIdx()).isEqualTo(2);
        Pe.Snapshot hw = t.hw(0);
        assertThat(hw.mdcr() & (1L << 7)).isNotZero(); // HPME
        assertThat(hw.pmcr() & 1L).isZero(); // the guest's PMCR.E untouched
        assertThat(pe.exceptionLevel()).isEqualTo(ExceptionLevel.EL0); // the kernel access left no trace
        assertThat(t.perf.read(host, 1000)).isEqualTo(3000); // CPU_CYCLES 3/ns
    }

    @Test
    void hostOwnsPmcrEnableWhenNoPartitionIsInForce() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        assertThat(t.hw(0).pmcr() & 1L).isZero(); // reset at probe: no counter in use, PMU stopped
        assertThat(t.hw(0).pmcr() & ((1L << 6) | (1L << 7))).isEqualTo((1L << 6) | (1L << 7)); // LC, LP
        PerfEvent e = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        assertThat(t.hw(0).pmcr() & 1L).isEqualTo(1L);
        t.perf.close(0, e, 10);
        t.perf.perfPmuResched(0, 20);
        assertThat(t.hw(0).pmcr() & 1L).isZero(); // armpmu_enable starts only with a counter in use
    }

    @Test
    void reschedAppliesNewCntrMaskBetweenSchedOutAndSchedIn() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 6, PmuVersion.P5);
        PerfEvent pinned = t.cpuEvent(0, a76(Events.BR_MIS_PRED).pinned(true).build(), 0);
        PerfEvent f1 = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);
        PerfEvent f2 = t.cpuEvent(0, a76(Events.L1D_CACHE).build(), 0);
        assertThat(t.perf.usedMask(0)).isEqualTo(0b000111);
        t.costs.clear();

        // vcpu_load of a guest taking counters 0..2: the host keeps 3..5.
        t.perf.perfPmuReschedUpdate(0, 0b111000, 1000);

        assertThat(new int[] {pinned.hwIdx(), f1.hwIdx(), f2.hwIdx()}).containsExactly(3, 4, 5);
        assertThat(t.perf.usedMask(0)).isEqualTo(0b111000);
        assertThat(t.perf.cntrMask(0)).isEqualTo(0b111000);
        assertThat(t.costs.charges()).containsExactly(new RecordingCostSink.Charge(0, KernelCost.PERF_PMU_RESCHED, 3));
        // Counts carried across the move: 2/ns for 1000 ns then 1000 more.
        assertThat(t.perf.read(f1, 2000)).isEqualTo(4000);

        // A squeeze below the host's needs: pinned keeps its counter, the last flexible group waits.
        t.perf.perfPmuReschedUpdate(0, cpu -> t.perf.setCntrMask(cpu, 0b110000), 3000);
        assertThat(pinned.hwIdx()).isEqualTo(4);
        assertThat(f1.hwIdx()).isEqualTo(5);
        assertThat(f2.state()).isEqualTo(PerfEventState.INACTIVE);
        assertThat(t.perf.nextRotationTime(0)).isEqualTo(4 * MS);
    }

    @Test
    void cntrMaskChangeTakesEffectAtTheNextSchedIn() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 6, PmuVersion.P5);
        PerfEvent e = t.cpuEvent(0, a76(Events.INST_RETIRED).build(), 0);

        t.perf.setCntrMask(0, 0b110000);
        assertThat(e.hwIdx()).isEqualTo(0);
        assertThat(t.perf.countersOutsideCntrMask(0)).isEqualTo(0b1);

        t.perf.perfPmuResched(0, 1000);
        assertThat(e.hwIdx()).isEqualTo(4);
        assertThat(t.perf.countersOutsideCntrMask(0)).isZero();
    }

    @Test
    void perfPmuReschedCanPutPinnedEventsInError() {
        PerfTestbed t = PerfTestbed.homogeneous(1, 4, PmuVersion.P5);
        PerfEvent p1 = t.cpuEvent(0, a76(Events.INST_RETIRED).pinned(true).build(), 0);
        PerfEvent p2 = t.cpuEvent(0, a76(Events.L1D_CACHE).pinned(true).build(), 0);

        t.perf.perfPmuReschedUpdate(0, 0b1000, 1000);

        assertThat(p1.hwIdx()).isEqualTo(3);
        assertThat(p2.state()).isEqualTo(PerfEventState.ERROR);
        // Growing the mask back does not revive it: ERROR is sticky.
        t.perf.perfPmuReschedUpdate(0, 0b1111, 2000);
        assertThat(p2.state()).isEqualTo(PerfEventState.ERROR);
        assertThat(p1.hwIdx()).isEqualTo(0);
    }
}
