package dev.pmulab.kvm.vpmu;

import static dev.pmulab.hw.PmuRegister.PMCCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCEID0_EL0;
import static dev.pmulab.hw.PmuRegister.PMCNTENSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMCR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVTYPER_EL0;
import static dev.pmulab.hw.PmuRegister.PMINTENSET_EL1;
import static dev.pmulab.hw.PmuRegister.PMOVSSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMSELR_EL0;
import static dev.pmulab.hw.regs.PmcrEl0.E;
import static dev.pmulab.hw.regs.PmcrEl0.P;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.TrappedAccessResolution;
import dev.pmulab.hw.AccessOutcome;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevtyperEl0;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.KvmPmuEventFilter;
import dev.pmulab.kvm.perf.PerfEvent;
import org.junit.jupiter.api.Test;

/**
 * Direct (partitioned) guest counters (partitioning-and-policies.md §3.7–§3.10, §6.2): what traps
 * with and without FEAT_FGT, the lazy register swap, the event filter on the hardware PMEVTYPER,
 * accesses outside the share, overflow forwarding, and the host's counters beside the guest's.
 */
final class DirectVpmuTest {
    private final TestPartitionPolicy policy = new TestPartitionPolicy(2);

    /** N = 6, HPMN = 2 at boot, the vCPU direct from its first load. */
    private VpmuTestbed.Builder partitioned() {
        return VpmuTestbed.builder().policy(policy, TestPartitionPolicy.NAME).partition(true);
    }

    @Test
    void theRestoreIsLazyThenCountersAndEnablesAreUntrapped() {
        VpmuTestbed t = partitioned().build();
        t.sink.clear();
        t.enter(0, 0);
        assertThat(t.vp.accessMode()).isEqualTo(GuestAccessMode.DIRECT);
        assertThat(t.pe().effectiveHpmn()).isEqualTo(2);
        // FREE: nothing swapped at vcpu_load, and every PMU access still traps.
        assertThat(t.sink.count(KernelCost.PMU_SYSREG_SAVE_RESTORE)).isZero();
        assertThat(t.vp.stats().vcpuLoads()).isEqualTo(1);
        assertThat(t.vp.stats().vcpuLoadNs()).isZero();
        assertThat(t.pe().check(PMEVCNTR_EL0, 0, true)).isEqualTo(AccessOutcome.TRAP_EL2);

        GuestAccess first = t.wr(PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);

        // GUEST_OWNED: the registers were loaded on that first trap.
        assertThat(first.trapped()).isTrue();
        assertThat(t.sink.count(KernelCost.PMU_SYSREG_SAVE_RESTORE)).isPositive();
        assertThat(t.vp.stats().lazyRestores()).isEqualTo(1);
        t.sink.clear();
        GuestAccess counter = t.wr(PMEVCNTR_EL0, 0, 100, 0);
        GuestAccess enable = t.wr(PMCNTENSET_EL0, 1, 0);
        GuestAccess pmcr = t.wr(PMCR_EL0, E, 0);
        assertThat(counter.trapped() || enable.trapped() || pmcr.trapped()).isFalse();
        assertThat(t.sink.costs())
                .containsExactly(
                        KernelCost.GUEST_UNTRAPPED_ACCESS,
                        KernelCost.GUEST_UNTRAPPED_ACCESS,
                        KernelCost.GUEST_UNTRAPPED_ACCESS);

        GuestAccess read = t.rd(PMEVCNTR_EL0, 0, 1_000);

        assertThat(read).isEqualTo(new GuestAccess(100 + 2 * 1_000, false, false));
        assertThat(t.pe().eventCounter(0)).isEqualTo(2_100); // the guest's hardware counter
        assertThat(t.vp.stats().isolationBreaches()).isZero();
        assertThat(t.kvm.stats().isolationBreaches()).isZero();
    }

    @Test
    void aCountingGuestIsRestoredEagerlyAtTheNextLoad() {
        VpmuTestbed t = partitioned().build();
        t.enter(0, 0);
        t.guestPmuReset(0);
        t.wr(PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);
        t.wr(PMCNTENSET_EL0, 1, 0);
        t.wr(PMCR_EL0, E, 0);
        t.exit(1_000);
        t.sink.clear();

        t.enter(0, 2_000);

        // Counters 0, 1 and PMCCNTR (value and type each) plus 10 control registers, C7 each.
        assertThat(t.sink.count(KernelCost.PMU_SYSREG_SAVE_RESTORE)).isEqualTo(16);
        assertThat(t.vp.stats().lastVcpuLoadNs()).isEqualTo(16 * 15);
        assertThat(t.pe().check(PMEVCNTR_EL0, 0, false)).isEqualTo(AccessOutcome.OK);
        assertThat(t.rd(PMEVCNTR_EL0, 0, 3_000).value()).isEqualTo(2 * 2_000);
        assertThat(t.vp.stats().lazyRestores()).isEqualTo(1);
        assertThat(t.vp.stats().counter(0).countedNs()).isEqualTo(2_000);
    }

    @Test
    void aPmevtyperWriteTrapsAndReachesTheHardwareWithTheFilterApplied() {
        VpmuTestbed t = partitioned()
                .filter(KvmPmuEventFilter.deny(Events.L1D_CACHE, 1))
                .build();
        t.enter(0, 0);
        t.guestPmuReset(0);

        GuestAccess allowed = t.wr(PMEVTYPER_EL0, 0, Events.INST_RETIRED | PmevtyperEl0.U, 0);
        GuestAccess denied = t.wr(PMEVTYPER_EL0, 1, Events.L1D_CACHE, 0);

        assertThat(allowed.trapped()).isTrue();
        assertThat(denied.trapped()).isTrue();
        Pe.Snapshot hw = t.pe().snapshot();
        assertThat(hw.pmevtyper()[0]).isEqualTo(Events.INST_RETIRED | PmevtyperEl0.U);
        // Denied: an event the PE does not implement, EL0 and EL1 excluded; the guest still reads its value.
        assertThat(hw.pmevtyper()[1]).isEqualTo(PmevtyperEl0.P | PmevtyperEl0.U | 0x0001);
        assertThat(t.rd(PMEVTYPER_EL0, 1, 0).value()).isEqualTo(Events.L1D_CACHE);
        t.wr(PMCNTENSET_EL0, 0b11, 0);
        t.wr(PMCR_EL0, E, 0);
        t.guest(ExceptionLevel.EL0, 1_000);
        t.guest(ExceptionLevel.EL1, 2_000);

        assertThat(t.rd(PMEVCNTR_EL0, 0, 3_000).value()).isEqualTo(2 * 1_000 + 2 * 1_000); // EL0 excluded
        assertThat(t.rd(PMEVCNTR_EL0, 1, 3_000).value()).isZero();
        VcpuPmuStats s = t.vp.stats();
        assertThat(s.filterLeaks()).isZero();
        assertThat(s.counter(1).deniedNs()).isEqualTo(3_000);
        assertThat(s.trapsByRegister()).containsEntry(PMEVTYPER_EL0, 3L);
    }

    /**
     * A denied counter the guest writes itself changed value, but counted nothing: the next access
     * must measure leaks from the written value. (The accounting skips a refresh whose inputs did not
     * change; a counter write is not one of them, so the skip must not apply while a counter is denied.)
     */
    @Test
    void aGuestWriteToADeniedCounterIsNotALeak() {
        VpmuTestbed t = partitioned()
                .filter(KvmPmuEventFilter.deny(Events.L1D_CACHE, 1))
                .build();
        t.enter(0, 0);
        t.guestPmuReset(0);
        t.wr(PMEVTYPER_EL0, 1, Events.L1D_CACHE, 0);
        t.wr(PMCNTENSET_EL0, 0b10, 0);
        t.wr(PMCR_EL0, E, 0);
        t.guest(ExceptionLevel.EL1, 1_000);

        GuestAccess write = t.wr(PMEVCNTR_EL0, 1, 0xffff_0000L, 1_000);
        t.guest(ExceptionLevel.EL1, 2_000);
        GuestAccess read = t.rd(PMEVCNTR_EL0, 1, 2_000);
        t.rd(PMEVCNTR_EL0, 1, 3_000);

        assertThat(write.trapped()).isFalse();
        assertThat(read.value()).isEqualTo(0xffff_0000L);
        assertThat(t.vp.stats().filterLeaks()).isZero();
        assertThat(t.vp.stats().counter(1).deniedNs()).isEqualTo(3_000);
    }

    @Test
    void theOtherTrappedRegistersAreKvmsVirtualView() {
        VpmuTestbed t = partitioned().build();
        t.enter(0, 0);
        t.guestPmuReset(0);
        assertThat(t.rd(PMCEID0_EL0, 0)).isEqualTo(new GuestAccess(t.vm.pmu().pmceid0(), true, false));
        assertThat(t.wr(PMSELR_EL0, 1, 0).trapped()).isTrue();
        assertThat(t.pe().snapshot().pmselr()).isEqualTo(1); // kept in the hardware for PMXEVCNTR
        assertThat(t.rd(PMOVSSET_EL0, 0).trapped()).isTrue();
        // PMCR_EL0 reads are untrapped and show N = HPMN.
        GuestAccess pmcr = t.rd(PMCR_EL0, 0);
        assertThat(pmcr.trapped()).isFalse();
        assertThat(PmcrEl0.n(pmcr.value())).isEqualTo(2);
    }

    @Test
    void anAccessAtOrAboveHpmnAsksThePolicyAndRetryLandsInTheGrownShare() {
        VpmuTestbed t = partitioned().build();
        t.enter(0, 0);
        t.guestPmuReset(0);
        t.sink.clear();

        GuestAccess a = t.wr(PMEVCNTR_EL0, 3, 55, 10);

        assertThat(policy.outsideShareCalls).isEqualTo(1);
        assertThat(policy.lastCounterAsked).isEqualTo(3);
        assertThat(a).isEqualTo(new GuestAccess(0, true, false));
        assertThat(t.pe().effectiveHpmn()).isEqualTo(4);
        assertThat(t.pe().eventCounter(3)).isEqualTo(55); // the retried MSR went to the hardware
        // One trap, counters 2 and 3 swapped in (value and type) plus their enables, then the untrapped retry.
        assertThat(t.sink.costs())
                .startsWith(KernelCost.TRAP_SYSREG_EMULATION)
                .endsWith(KernelCost.GUEST_UNTRAPPED_ACCESS);
        VcpuPmuStats s = t.vp.stats();
        assertThat(s.outsideShareTraps()).isEqualTo(1);
        assertThat(s.outsideShareRetries()).isEqualTo(1);
        assertThat(s.visibleNChanges()).isEqualTo(1); // N went from 2 to 4 under the running guest
        assertThat(PmcrEl0.n(t.rd(PMCR_EL0, 20).value())).isEqualTo(4);
        assertThat(t.kvm.cpuView(0).hpmn()).isEqualTo(4);
    }

    @Test
    void emulateAndUndefinedResolutionsAndCountersBeyondTheVmsN() {
        VpmuTestbed t = partitioned().nrCounters(4).build();
        t.enter(0, 0);
        t.guestPmuReset(0);
        policy.resolution = TrappedAccessResolution.EMULATE;
        assertThat(t.wr(PMEVCNTR_EL0, 2, 77, 0)).isEqualTo(new GuestAccess(0, true, false));
        assertThat(t.rd(PMEVCNTR_EL0, 2, 500)).isEqualTo(new GuestAccess(77, true, false)); // virtual: it never counts
        assertThat(t.pe().eventCounter(2)).isZero();
        policy.resolution = TrappedAccessResolution.INJECT_UNDEFINED;
        assertThat(t.rd(PMEVCNTR_EL0, 3, 500)).isEqualTo(new GuestAccess(0, true, true));
        int asked = policy.outsideShareCalls;
        // At or above the VM's N (4): UNDEFINED without asking; at or above the hardware's N (6): the PE's own.
        assertThat(t.rd(PMEVCNTR_EL0, 5, 500)).isEqualTo(new GuestAccess(0, true, true));
        assertThat(t.rd(PMEVCNTR_EL0, 6, 500)).isEqualTo(new GuestAccess(0, false, true));
        assertThat(policy.outsideShareCalls).isEqualTo(asked);
        VcpuPmuStats s = t.vp.stats();
        assertThat(s.outsideShareEmulated()).isEqualTo(2);
        assertThat(s.outsideShareUndefined()).isEqualTo(1);
        assertThat(s.undefinedInjections()).isEqualTo(3);
    }

    @Test
    void putFoldsAHardwareOverflowIntoTheVirtualPmovsset() {
        VpmuTestbed t = partitioned().build();
        t.enter(0, 0);
        t.guestPmuReset(0);
        t.wr(PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);
        t.wr(PMEVCNTR_EL0, 0, 0xffff_fff0L, 0); // overflows after 16 events; its interrupt is off
        t.wr(PMCNTENSET_EL0, 1, 0);
        t.wr(PMCR_EL0, E, 0);
        t.guest(ExceptionLevel.EL1, 100);
        assertThat(t.pe().snapshot().pmovs() & 1).isEqualTo(1);
        assertThat(t.vcpu.pmuRegs().pmovs() & 1).isZero();

        t.exit(100);

        assertThat(t.vcpu.pmuRegs().pmovs() & 1).isEqualTo(1);
        Pe.Snapshot hw = t.pe(0).snapshot();
        assertThat(hw.pmovs() & 1).isZero();
        assertThat(hw.pmcnten() & 1).isZero(); // the guest's counters are stopped
        assertThat(t.vcpu.pmuRegs().counterValue(0) & 0xffff_ffffL).isEqualTo(200 - 16);
        assertThat(t.pe(0).effectiveHpmn()).isEqualTo(6); // the host's MDCR_EL2 is back
    }

    @Test
    void aGuestOverflowFiresTheHostInterruptAndKvmForwardsIt() {
        VpmuTestbed t = partitioned().build();
        t.enter(0, 0);
        t.guestPmuReset(0);
        t.wr(PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);
        t.wr(PMEVCNTR_EL0, 0, 0xffff_ff00L, 0);
        t.wr(PMINTENSET_EL1, 1, 0);
        t.wr(PMCNTENSET_EL0, 1, 0);
        t.wr(PMCR_EL0, E, 0);
        long when = t.perf.nextOverflowTime(0);
        assertThat(when).isEqualTo(128);
        t.guest(ExceptionLevel.EL1, when);
        assertThat(t.pe().irqAsserted()).isTrue();
        t.sink.clear();

        t.kvm.handlePmuIrq(0, when);

        assertThat(t.pe().irqAsserted()).isFalse();
        assertThat(t.pe().snapshot().pmovs()).isZero();
        assertThat(t.vcpu.pmuRegs().pmovs()).isEqualTo(1);
        assertThat(t.vp.irqLevel()).isTrue();
        // No host counter had overflowed: perf found nothing, KVM took the interrupt and injected.
        assertThat(t.sink.costs()).containsExactly(KernelCost.PMU_IRQ_HANDLING, KernelCost.GUEST_OVERFLOW_INJECT_LOCAL);
        assertThat(t.kvm.stats().guestIrqForwards()).isEqualTo(1);
        assertThat(t.rd(PMOVSSET_EL0, when).value()).isEqualTo(1);
    }

    @Test
    void theHostsCountersKeepCountingWhileTheGuestRunsAndAGuestPmcrPLeavesThemAlone() {
        VpmuTestbed t = partitioned().build();
        PerfEvent host = t.hostEvent(0, Events.INST_RETIRED, false, 0); // counts every level
        assertThat(host.hwIdx()).isGreaterThanOrEqualTo(2); // the host's range
        t.enter(0, 0);
        t.guestPmuReset(0);
        t.wr(PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);
        t.wr(PMCNTENSET_EL0, 1, 0);
        t.wr(PMCR_EL0, E, 0);

        GuestAccess reset = t.wr(PMCR_EL0, E | P, 1_000);

        assertThat(reset.trapped()).isFalse(); // FGT: PMCR_EL0 is the guest's
        assertThat(t.pe().eventCounter(0)).isZero(); // the guest's counters were reset
        assertThat(t.perf.read(host, 1_000)).isEqualTo(2 * 1_000); // the host's was not
        t.exit(2_000, 3_000); // the host at 7/ns from 2000
        assertThat(t.perf.read(host, 3_000)).isEqualTo(2 * 2_000 + 7 * 1_000);
        assertThat(t.kvm.stats().isolationBreaches()).isZero();
    }

    @Test
    void hostCountersStartedDuringAFreeLoadKeepCountingAfterThePut() {
        VpmuTestbed t = partitioned().build();
        t.enter(0, 0); // FREE: the guest never touches its PMU
        t.guest(ExceptionLevel.EL1, 100);
        PerfEvent host = t.hostEvent(0, Events.INST_RETIRED, false, 100); // started on HPME (HPMN < N)
        t.exit(1_000);
        t.pe(0).advanceTo(2_000); // the host at EL2, 7/ns

        // With HPMN = N again, PMCR_EL0.E enables the host's counter: it took over HPME's state.
        assertThat(t.perf.read(host, 2_000)).isEqualTo(2 * 900 + 7 * 1_000);
        assertThat(t.vp.stats().lazyRestores()).isZero();
    }

    @Test
    void withoutFgtEveryAccessTrapsAndKvmWritesThroughToTheHardware() {
        VpmuTestbed t = partitioned().fgt(false).build();
        PerfEvent host = t.hostEvent(0, Events.INST_RETIRED, false, 0);
        t.enter(0, 0);
        t.guestPmuReset(0);
        t.wr(PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);
        GuestAccess counter = t.wr(PMEVCNTR_EL0, 0, 100, 0);
        GuestAccess enable = t.wr(PMCNTENSET_EL0, 1, 0);
        GuestAccess pmcr = t.wr(PMCR_EL0, E, 0);
        assertThat(counter.trapped() && enable.trapped() && pmcr.trapped()).isTrue();
        assertThat(t.pe().eventCounter(0)).isEqualTo(100);

        GuestAccess read = t.rd(PMEVCNTR_EL0, 0, 1_000);
        GuestAccess cycles = t.rd(PMCCNTR_EL0, 1_000);
        GuestAccess reset = t.wr(PMCR_EL0, E | P, 1_000);

        assertThat(read).isEqualTo(new GuestAccess(2_100, true, false));
        assertThat(cycles.trapped()).isTrue();
        assertThat(reset.trapped()).isTrue();
        assertThat(t.pe().eventCounter(0)).isZero();
        assertThat(t.perf.read(host, 1_000)).isEqualTo(2 * 1_000); // KVM's PMCR.P did not reach the host range
        VcpuPmuStats s = t.vp.stats();
        assertThat(s.untrappedAccesses()).isZero();
        assertThat(t.sink.count(KernelCost.GUEST_UNTRAPPED_ACCESS)).isZero();
        assertThat(s.trappedAccesses()).isEqualTo(s.accesses());
    }

    @Test
    void theAccessModeSwitchesAtOnceWhileLoadedAndTheCountCarriesOver() {
        VpmuTestbed t = partitioned().build();
        t.enter(0, 0);
        t.guestPmuReset(0);
        t.wr(PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);
        t.wr(PMCNTENSET_EL0, 1, 0);
        t.wr(PMCR_EL0, E, 0);
        t.guest(ExceptionLevel.EL1, 1_000);

        t.kvm.control().setGuestAccess(t.vp.view(), GuestAccessMode.EMULATED);

        assertThat(t.vp.accessMode()).isEqualTo(GuestAccessMode.EMULATED);
        assertThat(t.vp.emul.event(0)).isNotNull(); // the enabled counter became a perf event
        assertThat(t.pe().effectiveHpmn()).isEqualTo(6);
        GuestAccess r = t.rd(PMEVCNTR_EL0, 0, 2_000);
        assertThat(r.trapped()).isTrue();
        assertThat(r.value()).isEqualTo(2 * 2_000);
        assertThat(t.vp.stats().visibleNChanges()).isEqualTo(1); // HPMN 2 → the VM's 6
        assertThat(t.kvm.stats().accessModeChanges()).isEqualTo(2); // direct at the first load, then back
    }

    @Test
    void anUntrappedAccessToAHostCounterIsAnIsolationBreach() {
        VpmuTestbed t = partitioned().build();
        t.enter(0, 0);
        t.guestPmuReset(0);
        // A careless policy: HPMN 4 while the host's cntr_mask still offers counters 2 and 3, then a
        // host event lands on counter 2, inside the guest's range.
        t.kvm.control().setHpmn(0, 4);
        t.hostEvent(0, Events.L1D_CACHE, false, 10);
        assertThat(t.perf.eventOnCounter(0, 2)).isNotNull();

        GuestAccess a = t.rd(PMEVCNTR_EL0, 2, 20);

        assertThat(a.trapped()).isFalse();
        assertThat(t.vp.stats().isolationBreaches()).isEqualTo(1);
        assertThat(t.kvm.stats().hostIsolationBreaches()).isEqualTo(1);
        assertThat(t.rd(PMEVCNTR_EL0, 0, 20).trapped()).isFalse();
        assertThat(t.vp.stats().isolationBreaches()).isEqualTo(1); // its own counter is no breach
    }

    @Test
    void registerNamesUsedByTheTrapSetAreTheDocumentedOnes() {
        // The constant is what the FGT registers get under a partition: exactly these still trap.
        VpmuTestbed t = partitioned().build();
        t.enter(0, 0);
        t.rd(PMCR_EL0, 0); // untrapped read, but FREE traps everything: claim on a trapped one
        t.wr(PMSELR_EL0, 0, 0);
        for (PmuRegister reg : new PmuRegister[] {
            PmuRegister.PMOVSSET_EL0,
            PmuRegister.PMOVSCLR_EL0,
            PmuRegister.PMCCFILTR_EL0,
            PmuRegister.PMCEID0_EL0,
            PmuRegister.PMSELR_EL0,
            PmuRegister.PMEVTYPER_EL0
        }) {
            assertThat(t.pe().check(reg, 0, false)).as("%s", reg).isEqualTo(AccessOutcome.TRAP_EL2);
        }
        for (PmuRegister reg : new PmuRegister[] {
            PmuRegister.PMCR_EL0,
            PmuRegister.PMCCNTR_EL0,
            PmuRegister.PMCNTENSET_EL0,
            PmuRegister.PMINTENSET_EL1,
            PmuRegister.PMEVCNTR_EL0,
            PmuRegister.PMUSERENR_EL0
        }) {
            assertThat(t.pe().check(reg, 0, false)).as("%s", reg).isEqualTo(AccessOutcome.OK);
        }
        assertThat(t.pe().check(PmuRegister.PMSWINC_EL0, 0, true)).isEqualTo(AccessOutcome.OK);
    }

    @Test
    void theV1TrapSetLeavesPmselrPmceidAndPmmirToTheGuest() {
        // v1 09/17 traps only PMOVS, PMEVTYPERn and PMCCFILTR; v8 adds PMCEIDn, PMMIR and PMSELR.
        VpmuTestbed t = partitioned().partitionFgt(PartitionFgtSet.V1).build();
        t.enter(0, 0);
        t.rd(PMCR_EL0, 0);
        t.wr(PMSELR_EL0, 0, 0); // FREE: traps and claims; from here the guest owns its registers
        for (PmuRegister reg : new PmuRegister[] {
            PmuRegister.PMOVSSET_EL0,
            PmuRegister.PMOVSCLR_EL0,
            PmuRegister.PMCCFILTR_EL0,
            PmuRegister.PMEVTYPER_EL0,
            PmuRegister.PMXEVTYPER_EL0
        }) {
            assertThat(t.pe().check(reg, 0, false)).as("%s", reg).isEqualTo(AccessOutcome.TRAP_EL2);
        }
        for (PmuRegister reg : new PmuRegister[] {
            PmuRegister.PMSELR_EL0,
            PmuRegister.PMCEID0_EL0,
            PmuRegister.PMCEID1_EL0,
            PmuRegister.PMMIR_EL1,
            PmuRegister.PMCR_EL0,
            PmuRegister.PMEVCNTR_EL0
        }) {
            assertThat(t.pe().check(reg, 0, false)).as("%s", reg).isEqualTo(AccessOutcome.OK);
        }
        // The guest reads the hardware's PMCEID0, not KVM's view of its PMU.
        GuestAccess pmceid = t.rd(PMCEID0_EL0, 0);
        assertThat(pmceid.trapped()).isFalse();
        assertThat(pmceid.value()).isEqualTo(t.pe().readChecked(PMCEID0_EL0, 0));
    }

    @Test
    void underV1AnUntrappedPmselrSelectsTheCounterOfATrappedPmxevtyper() {
        // v1 11/17: PMSELR is the guest's, so KVM takes the counter from the physical register.
        VpmuTestbed t = partitioned().partitionFgt(PartitionFgtSet.V1).build();
        t.enter(0, 0);
        t.guestPmuReset(0); // the first trapped write claims the registers
        assertThat(t.wr(PMSELR_EL0, 1, 10).trapped()).isFalse();
        GuestAccess type = t.wr(PmuRegister.PMXEVTYPER_EL0, 0, Events.L1D_CACHE, 20);

        assertThat(type.trapped()).isTrue();
        assertThat(t.rd(PMEVTYPER_EL0, 1, 30).value() & 0xffff).isEqualTo(Events.L1D_CACHE);
        assertThat(t.pe().snapshot().pmevtyper()[1] & 0xffff).isEqualTo(Events.L1D_CACHE);
        assertThat(t.rd(PMEVTYPER_EL0, 0, 40).value() & 0xffff).isNotEqualTo(Events.L1D_CACHE);
    }
}
