package dev.pmulab.kvm.vpmu;

import static dev.pmulab.hw.PmuRegister.PMCCFILTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCEID0_EL0;
import static dev.pmulab.hw.PmuRegister.PMCNTENCLR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCNTENSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMCR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVTYPER_EL0;
import static dev.pmulab.hw.PmuRegister.PMINTENSET_EL1;
import static dev.pmulab.hw.PmuRegister.PMOVSCLR_EL0;
import static dev.pmulab.hw.PmuRegister.PMOVSSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMSELR_EL0;
import static dev.pmulab.hw.PmuRegister.PMSWINC_EL0;
import static dev.pmulab.hw.PmuRegister.PMUSERENR_EL0;
import static dev.pmulab.hw.PmuRegister.PMXEVCNTR_EL0;
import static dev.pmulab.hw.regs.PmcrEl0.E;
import static dev.pmulab.hw.regs.PmcrEl0.P;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.hw.AccessOutcome;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.KvmPmuEventFilter;
import dev.pmulab.kvm.perf.PerfEvent;
import dev.pmulab.kvm.perf.PerfEventState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The emulated vPMU (kvm-vpmu-uapi.md §2, perf-core-and-costs.md §3.1): every guest access traps,
 * guest counters are pinned task-bound exclude_host perf events, and what that costs and loses.
 */
final class EmulatedVpmuTest {
    /** A VM whose guest reset its PMU at boot, loaded on CPU 0 at time 0. */
    private static VpmuTestbed booted(VpmuTestbed.Builder b) {
        VpmuTestbed t = b.build();
        t.enter(0, 0);
        t.guestPmuReset(0);
        return t;
    }

    /** One guest counter programmed and enabled: event {@code event} on counter {@code idx}. */
    private static void program(VpmuTestbed t, int idx, int event, long when) {
        t.wr(PMEVTYPER_EL0, idx, event, when);
        t.wr(PMCNTENSET_EL0, 1L << idx, when);
        t.wr(PMCR_EL0, E, when);
    }

    @Test
    void everyGuestAccessTrapsAndCostsATrapEmulation() {
        VpmuTestbed t = booted(VpmuTestbed.builder());
        t.sink.clear();
        long trapsBefore = t.vp.stats().trappedAccesses(); // the guest's PMU reset
        record Access(PmuRegister reg, int index, boolean write) {}
        List<Access> accesses = List.of(
                new Access(PMCR_EL0, 0, false),
                new Access(PMCR_EL0, 0, true),
                new Access(PMCNTENSET_EL0, 0, false),
                new Access(PMCNTENSET_EL0, 0, true),
                new Access(PMCNTENCLR_EL0, 0, true),
                new Access(PMINTENSET_EL1, 0, true),
                new Access(PMOVSSET_EL0, 0, false),
                new Access(PMSELR_EL0, 0, true),
                new Access(PMCEID0_EL0, 0, false),
                new Access(PMCCNTR_EL0, 0, false),
                new Access(PMCCFILTR_EL0, 0, false),
                new Access(PMEVCNTR_EL0, 3, false),
                new Access(PMEVTYPER_EL0, 2, false),
                new Access(PMXEVCNTR_EL0, 0, false),
                new Access(PMUSERENR_EL0, 0, false),
                new Access(PMSWINC_EL0, 0, true));
        for (Access a : accesses) {
            // The hardware decides: MDCR_EL2.TPM sends every PMU access from EL1 to EL2.
            assertThat(t.pe().check(a.reg(), a.index(), a.write())).as("%s", a).isEqualTo(AccessOutcome.TRAP_EL2);
            GuestAccess r = a.write() ? t.wr(a.reg(), a.index(), 0, 10) : t.rd(a.reg(), a.index(), 10);
            assertThat(r.trapped()).as("%s", a).isTrue();
            assertThat(r.undefined()).as("%s", a).isFalse();
        }
        assertThat(t.sink.count(KernelCost.TRAP_SYSREG_EMULATION)).isEqualTo(accesses.size());
        assertThat(t.sink.count(KernelCost.GUEST_UNTRAPPED_ACCESS)).isZero();
        VcpuPmuStats s = t.vp.stats();
        assertThat(s.trappedAccesses() - trapsBefore).isEqualTo(accesses.size());
        assertThat(s.untrappedAccesses()).isZero();
        // PMCR_EL0: the read and write above, and the guest's PMU reset's write.
        assertThat(s.trapsByRegister()).containsEntry(PMCR_EL0, 3L).containsEntry(PMSWINC_EL0, 1L);
        assertThat(s.isolationBreaches()).isZero();
        // KVM answers from its own state: N is the VM's, PMCEID the VM's view of its PMU.
        assertThat(PmcrEl0.n(t.rd(PMCR_EL0, 20).value())).isEqualTo(6);
        assertThat(t.rd(PMCEID0_EL0, 20).value()).isEqualTo(t.vm.pmu().pmceid0());
    }

    @Test
    void anIndexAtOrAboveTheVmsCountersIsUndefined() {
        VpmuTestbed t = booted(VpmuTestbed.builder().nrCounters(4));
        GuestAccess kvmRefused = t.rd(PMEVCNTR_EL0, 4, 10); // the hardware has it: it traps, KVM refuses
        GuestAccess hwRefused = t.rd(PMEVCNTR_EL0, 6, 10); // beyond the hardware's N: UNDEFINED before any trap
        assertThat(kvmRefused).isEqualTo(new GuestAccess(0, true, true));
        assertThat(hwRefused).isEqualTo(new GuestAccess(0, false, true));
        assertThat(t.vp.stats().undefinedInjections()).isEqualTo(2);
        assertThat(t.rd(PMEVCNTR_EL0, 3, 10).undefined()).isFalse();
    }

    @Test
    void aPmevtyperWriteReleasesAndRecreatesThePerfEvent() {
        VpmuTestbed t = booted(VpmuTestbed.builder());
        t.wr(PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);
        PerfEvent first = t.vp.emul.event(0);
        assertThat(first).isNotNull();
        assertThat(first.attr().config()).isEqualTo(Events.INST_RETIRED);
        assertThat(first.attr().pinned()).isTrue();
        assertThat(first.attr().excludeHost()).isTrue();
        assertThat(first.attr().excludeGuest()).isFalse();
        assertThat(first.attr().disabled()).isTrue(); // the counter is not enabled yet
        assertThat(first.task()).isSameAs(t.thread);
        assertThat(first.cpu()).isEqualTo(-1);
        t.sink.clear();
        long created = t.vp.stats().perfEventsCreated();
        long released = t.vp.stats().perfEventsReleased();

        t.wr(PMEVTYPER_EL0, 0, Events.L1D_CACHE, 0);

        PerfEvent second = t.vp.emul.event(0);
        assertThat(second).isNotSameAs(first);
        assertThat(first.state()).isEqualTo(PerfEventState.DEAD);
        assertThat(second.attr().config()).isEqualTo(Events.L1D_CACHE);
        assertThat(t.sink.costs())
                .containsExactly(
                        KernelCost.TRAP_SYSREG_EMULATION, KernelCost.PERF_EVENT_DESTROY, KernelCost.PERF_EVENT_CREATE);
        assertThat(t.sink.charges()).allSatisfy(c -> assertThat(c.cpu()).isZero());
        assertThat(t.vp.stats().perfEventsCreated() - created).isEqualTo(1);
        assertThat(t.vp.stats().perfEventsReleased() - released).isEqualTo(1);
    }

    @Test
    void aGuestCounterCountsGuestEl0AndEl1WhileLoadedAndNothingAtHostEl2() {
        VpmuTestbed t = booted(VpmuTestbed.builder());
        program(t, 0, Events.INST_RETIRED, 0);
        t.guest(ExceptionLevel.EL0, 1_000); // EL1 0..1000 at 2/ns, then EL0 1000..2000 at 5/ns
        t.exit(2_000, 3_000); // the host at EL2 (7/ns) 2000..3000, still loaded
        t.pe(0).switchContext(4_000, ExceptionLevel.EL0, VpmuTestbed.HOST); // host user space, vCPU descheduled
        t.sink.clear();
        t.enter(0, 5_000);
        // The thread's sched-in puts the guest event back on a counter (the engine's perf call, C12);
        // vcpu_load then flips its PMEVTYPER to count EL0 again: one C7, the whole load sample.
        assertThat(t.sink.costs()).containsExactly(KernelCost.PERF_PMU_RESCHED, KernelCost.PMU_SYSREG_SAVE_RESTORE);
        // Two loads: the first (0 ns of PMU work) and this one, 15 ns.
        assertThat(t.vp.stats().vcpuLoads()).isEqualTo(2);
        assertThat(t.vp.stats().vcpuLoadNs()).isEqualTo(15);
        assertThat(t.vp.stats().lastVcpuLoadNs()).isEqualTo(15);

        GuestAccess r = t.rd(PMEVCNTR_EL0, 0, 5_000);

        assertThat(r.value()).isEqualTo(2 * 1_000 + 5 * 1_000);
        // A read of a counter with a perf event also costs perf_event_read_value.
        assertThat(t.sink.costs()).endsWith(KernelCost.TRAP_SYSREG_EMULATION, KernelCost.PERF_EVENT_READ_VALUE);
        GuestCounterStats c = t.vp.stats().counter(0);
        assertThat(c.enabledNs()).isEqualTo(3_000); // loaded 0..3000 and 5000..5000
        assertThat(c.countedNs()).isEqualTo(3_000);
        assertThat(c.stoppedEpisodes()).isZero();
    }

    @Test
    void swIncrCountsInSoftwareWithoutAPerfEvent() {
        VpmuTestbed t = booted(VpmuTestbed.builder());
        t.sink.clear(); // the guest's PMU reset created the events of the reset's types
        program(t, 1, Events.SW_INCR, 0);
        for (int i = 0; i < 3; i++) {
            t.wr(PMSWINC_EL0, 0b10, 100 + i);
        }
        t.wr(PMSWINC_EL0, 0b01, 200); // counter 0 is not SW_INCR-enabled

        assertThat(t.rd(PMEVCNTR_EL0, 1, 300).value()).isEqualTo(3);
        assertThat(t.vp.emul.event(1)).isNull();
        assertThat(t.sink.count(KernelCost.PERF_EVENT_CREATE)).isZero();
        assertThat(t.vp.stats().counter(1).countedNs()).isEqualTo(300);
    }

    @Test
    void aFilteredEventGetsNoPerfEventCountsNothingAndDoesNotLeak() {
        VpmuTestbed t = booted(VpmuTestbed.builder().filter(KvmPmuEventFilter.deny(Events.INST_RETIRED, 1)));
        t.wr(PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);
        t.wr(PMEVTYPER_EL0, 1, Events.L1D_CACHE, 0);
        t.wr(PMCNTENSET_EL0, 0b11, 0);
        t.wr(PMCR_EL0, E, 0);

        assertThat(t.rd(PMEVCNTR_EL0, 0, 1_000).value()).isZero();
        assertThat(t.rd(PMEVCNTR_EL0, 1, 1_000).value()).isEqualTo(1_000);
        assertThat(t.rd(PMEVTYPER_EL0, 0, 1_000).value()).isEqualTo(Events.INST_RETIRED); // the guest's value stays
        assertThat(t.vp.emul.event(0)).isNull();
        // The reset's events, then counter 1's: the PMEVTYPER write of counter 0 released its event.
        assertThat(t.vp.stats().perfEventsCreated()).isEqualTo(t.perfEventsAtReset() + 1);
        VcpuPmuStats s = t.vp.stats();
        assertThat(s.filterLeaks()).isZero();
        assertThat(s.counter(0).deniedNs()).isEqualTo(1_000);
        assertThat(s.counter(0).countedNs()).isZero();
        assertThat(s.counter(0).stoppedEpisodes()).isZero();
        assertThat(s.counter(1).deniedNs()).isZero();
    }

    @Test
    void anOverflowSetsTheVirtualPmovssetAndRaisesTheInterruptLine() {
        VpmuTestbed t = booted(VpmuTestbed.builder());
        t.wr(PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);
        t.wr(PMEVCNTR_EL0, 0, 0xffff_ff00L, 0); // 256 events before the 32-bit overflow (LP = 0)
        t.wr(PMINTENSET_EL1, 1, 0);
        t.wr(PMCNTENSET_EL0, 1, 0);
        t.wr(PMCR_EL0, E, 0);
        assertThat(t.vp.irqLevel()).isFalse();
        long when = t.perf.nextOverflowTime(0);
        assertThat(when).isEqualTo(128); // 256 INST_RETIRED at 2/ns
        t.guest(ExceptionLevel.EL1, when);
        t.sink.clear();

        t.kvm.handlePmuIrq(0, when);

        assertThat(t.vp.irqLevel()).isTrue();
        assertThat(t.vcpu.pmuRegs().pmovs()).isEqualTo(1);
        assertThat(t.sink.costs()).contains(KernelCost.GUEST_OVERFLOW_INJECT_LOCAL, KernelCost.PMU_IRQ_HANDLING);
        assertThat(t.vp.stats().overflowInjections()).isEqualTo(1);
        assertThat(t.rd(PMOVSSET_EL0, when).value()).isEqualTo(1);
        assertThat(t.rd(PMEVCNTR_EL0, 0, when).value() & 0xffff_ffffL).isZero();
        // The event was re-armed for a whole 32-bit wrap: no new interrupt for 2^32 events.
        assertThat(t.perf.nextOverflowTime(0)).isGreaterThan(when + (1L << 31) - 1);
        // The guest clears the flag: the line drops.
        t.wr(PMOVSCLR_EL0, 1, when + 1);
        assertThat(t.vp.irqLevel()).isFalse();
    }

    @Test
    void aHostPinnedCpuEventPushesAGuestEventIntoErrorAndTheCounterStops() {
        VpmuTestbed t = booted(VpmuTestbed.builder().n(2));
        t.wr(PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);
        t.wr(PMEVTYPER_EL0, 1, Events.L1D_CACHE, 0);
        t.wr(PMCNTENSET_EL0, 0b11, 0);
        t.wr(PMCR_EL0, E, 0);
        assertThat(t.vp.emul.event(1).state()).isEqualTo(PerfEventState.ACTIVE);

        // At 1000 the host opens a pinned CPU event: CPU pinned goes first, a guest event loses its counter.
        t.guest(ExceptionLevel.EL1, 1_000);
        t.hostEvent(0, Events.BR_RETIRED, true, 1_000);
        assertThat(t.vp.emul.event(1).state()).isEqualTo(PerfEventState.ERROR);
        long l1dAt2000 = t.rd(PMEVCNTR_EL0, 1, 2_000).value();
        t.exit(3_000);

        assertThat(l1dAt2000).isEqualTo(1_000); // L1D_CACHE at 1/ns until 1000, then nothing
        GuestCounterStats stopped = t.vp.stats().counter(1);
        assertThat(stopped.stoppedEpisodes()).isEqualTo(1);
        assertThat(stopped.enabledNs()).isEqualTo(3_000);
        assertThat(stopped.countedNs()).isEqualTo(1_000);
        assertThat(stopped.coverage()).isCloseTo(1.0 / 3, within(1e-9));
        GuestCounterStats kept = t.vp.stats().counter(0);
        assertThat(kept.stoppedEpisodes()).isZero();
        assertThat(kept.countedNs()).isEqualTo(3_000);
    }

    @Test
    void onTheDefaultPmuAGuestCounterStopsOnACpuOfAnotherType() {
        VpmuTestbed t = booted(VpmuTestbed.builder().bigLittle());
        program(t, 0, Events.INST_RETIRED, 0);
        t.exit(1_000);
        t.enter(1, 2_000); // the other core type: perf keeps the task-bound event inactive here
        assertThat(t.vp.emul.event(0).state()).isEqualTo(PerfEventState.INACTIVE);
        assertThat(t.rd(PMEVCNTR_EL0, 0, 3_000).value()).isEqualTo(2_000); // only the 1000 ns on CPU 0
        t.exit(3_000);

        GuestCounterStats c = t.vp.stats().counter(0);
        assertThat(c.enabledNs()).isEqualTo(2_000);
        assertThat(c.countedNs()).isEqualTo(1_000);
        assertThat(c.coverage()).isEqualTo(0.5);
        assertThat(c.stoppedEpisodes()).isEqualTo(1);
        // Both CPUs trapped every access: the vCPU is emulated wherever it runs.
        assertThat(t.vp.stats().untrappedAccesses()).isZero();
    }

    @Test
    void withFixedCountersOnlyTheCycleCounterFollowsTheVcpuToTheOtherCoreType() {
        VpmuTestbed t = booted(VpmuTestbed.builder().bigLittle().fixedCountersOnly());
        t.wr(PMCNTENSET_EL0, 1L << 31, 0);
        t.wr(PMCR_EL0, E, 0);
        assertThat(t.vp.emul.event(31).pmu().type()).isEqualTo(VpmuTestbed.TYPE_A);
        assertThat(PmcrEl0.n(t.rd(PMCR_EL0, 0).value())).isZero(); // no event counters
        t.exit(1_000);
        t.sink.clear();

        t.enter(1, 2_000); // KVM_REQ_RELOAD_PMU: the event is re-created on this CPU's PMU

        assertThat(t.vp.emul.event(31).pmu().type()).isEqualTo(VpmuTestbed.TYPE_B);
        assertThat(t.sink.costs()).contains(KernelCost.PERF_EVENT_DESTROY, KernelCost.PERF_EVENT_CREATE);
        assertThat(t.rd(PMCCNTR_EL0, 3_000).value()).isEqualTo(3 * 1_000 + 3 * 1_000); // CPU_CYCLES at 3/ns
        t.exit(3_000);
        GuestCounterStats c = t.vp.stats().counter(31);
        assertThat(c.coverage()).isEqualTo(1.0);
        assertThat(c.stoppedEpisodes()).isZero();
    }

    @Test
    void aPmcrPResetsTheGuestCountersByRecreatingTheirEvents() {
        VpmuTestbed t = booted(VpmuTestbed.builder());
        program(t, 0, Events.INST_RETIRED, 0);
        t.rd(PMEVCNTR_EL0, 0, 1_000);
        PerfEvent before = t.vp.emul.event(0);

        t.wr(PMCR_EL0, E | P, 1_000);

        assertThat(t.vp.emul.event(0)).isNotSameAs(before);
        assertThat(t.rd(PMEVCNTR_EL0, 0, 1_000).value()).isZero();
        assertThat(t.rd(PMEVCNTR_EL0, 0, 1_500).value()).isEqualTo(1_000);
        assertThat(t.vp.accessMode()).isEqualTo(GuestAccessMode.EMULATED);
    }
}
