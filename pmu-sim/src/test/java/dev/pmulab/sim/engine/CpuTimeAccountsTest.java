package dev.pmulab.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.pmulab.hw.Pe;
import dev.pmulab.hw.catalog.CpuCatalog;
import dev.pmulab.kvm.perf.PerfTask;
import dev.pmulab.sim.engine.CpuTimeAccounts.GuestMode;
import dev.pmulab.sim.metrics.Percentiles;
import dev.pmulab.sim.metrics.SampleCounts;
import dev.pmulab.sim.scenario.CputimeAccounting;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which buckets each kind of time lands in. Every expected number is the sum of the charges above it. */
final class CpuTimeAccountsTest {
    private final CpuTimeAccounts accounts = new CpuTimeAccounts(CputimeAccounting.TICK);
    private final SimCpu cpu = new SimCpu(0, new Pe(CpuCatalog.all().get(0).pmuConfig()));
    private final SimVcpu vcpu = new SimVcpu(1, "vm/vcpu0", new PerfTask(1001, "vm/vcpu0"), List.of(0), null, null);
    private final SimThread task = new SimThread(0, "stress/0", new PerfTask(1000, "stress"), List.of(0));

    @Test
    void hostKernelWorkCountsOnlyOnceTheCpuRanAVcpu() {
        accounts.hostKernel(cpu, 100); // the host boots: no vCPU on this CPU yet
        assertThat(accounts.ranVcpu(cpu)).isFalse();
        accounts.vcpuEntered(cpu);
        accounts.hostKernel(cpu, 250);
        accounts.hostKernel(cpu, 50);

        assertThat(accounts.ranVcpu(cpu)).isTrue();
        assertThat(accounts.hostKernelNs(cpu)).isEqualTo(300); // 250 + 50; the 100 before is not counted
        assertThat(accounts.guestNs(cpu)).isZero();
    }

    @Test
    void aTrappedAccessIsHostSysTimeButItsExitsWorldSwitchGuestTimeAndANativeOneGuestTime() {
        accounts.vcpuEntered(cpu);
        // A sched-in in process context (perf_event_task_sched_in): guest sys. One exit, 200 ns of
        // it (C24) inside the guest-timing bracket for the host.
        accounts.trappedPmuAccess(cpu, vcpu, GuestMode.SYS, 400, 200);
        accounts.guestPmuAccess(cpu, vcpu, GuestMode.SYS, 30);
        // The PMU interrupt handler, interrupting user mode, under tick accounting: guest user.
        accounts.trappedPmuAccess(cpu, vcpu, GuestMode.USER, 500, 200);
        accounts.guestPmuEoi(cpu, vcpu, GuestMode.USER, 20);

        assertThat(accounts.hostSysNs(cpu)).isEqualTo(500); // (400 - 200) + (500 - 200): handle_exit
        assertThat(accounts.hostIrqNs(cpu)).isZero();
        assertThat(accounts.hostKernelNs(cpu)).isEqualTo(500);
        assertThat(accounts.guestNs(cpu)).isEqualTo(450); // 200 + 200 world switch, 30 native, 20 EOI
        assertThat(accounts.trapNs(vcpu)).isEqualTo(900); // the whole traps, for the guest
        assertThat(accounts.guestSysNs(vcpu)).isEqualTo(430); // 400 + 30: the guest's clock ran through the trap
        assertThat(accounts.guestUserNs(vcpu)).isEqualTo(520); // 500 + 20
        assertThat(accounts.guestIrqNs(vcpu)).isZero();
    }

    @Test
    void theGuestTimedPartOfATrapCannotExceedTheTrap() {
        accounts.vcpuEntered(cpu);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> accounts.trappedPmuAccess(cpu, vcpu, GuestMode.USER, 100, 200))
                .withMessageContaining("200 of a 100 ns trap");
    }

    @Test
    void aPmiInterruptingUserModeIsUserTimeUnderTickAccountingAndIrqTimeUnderIrqTimeAccounting() {
        assertThat(GuestMode.interrupt(CputimeAccounting.TICK)).isEqualTo(GuestMode.USER);
        assertThat(GuestMode.interrupt(CputimeAccounting.IRQ_TIME)).isEqualTo(GuestMode.IRQ);
        accounts.vcpuEntered(cpu);
        // The handler: two trapped accesses of 451 ns and an EOI of 14 ns, under irq-time accounting.
        accounts.trappedPmuAccess(cpu, vcpu, GuestMode.interrupt(CputimeAccounting.IRQ_TIME), 451, 200);
        accounts.trappedPmuAccess(cpu, vcpu, GuestMode.interrupt(CputimeAccounting.IRQ_TIME), 451, 200);
        accounts.guestPmuEoi(cpu, vcpu, GuestMode.interrupt(CputimeAccounting.IRQ_TIME), 14);

        assertThat(accounts.guestIrqNs(vcpu)).isEqualTo(916); // 451 + 451 + 14: in neither utime nor stime
        assertThat(accounts.guestUserNs(vcpu)).isZero();
        assertThat(accounts.guestSysNs(vcpu)).isZero();
    }

    @Test
    void aGuestUserSpanIsGuestTimeItsExitsHostSysAndItsSyscallsGuestSys() {
        accounts.vcpuEntered(cpu);
        // 1000 ns in the guest's user mode, 100 of them in exits (40 of those their world switches,
        // inside the guest-timing bracket), 60 in syscalls.
        accounts.guestUser(cpu, vcpu, 1_000, 100, 40, 60);

        assertThat(accounts.guestNs(cpu)).isEqualTo(940); // 1000 - 100 + 40
        assertThat(accounts.hostSysNs(cpu)).isEqualTo(60); // 100 - 40: handle_exit
        assertThat(accounts.guestUserNs(vcpu)).isEqualTo(940); // 1000 - 60: the guest's clock ran through the exits
        assertThat(accounts.guestSysNs(vcpu)).isEqualTo(60);
    }

    @Test
    void aHostInterruptBeforeGuestTimingExitIsGuestTimeUnderTickAccounting() {
        accounts.vcpuEntered(cpu);
        // The PMU overflow interrupt of a host event backing a guest counter, 1750 ns (C16 + C18),
        // taken while the guest ran: PF_VCPU is still set, account_guest_time.
        accounts.hostInterrupt(cpu, vcpu, 1_750);
        // The same handler while a host task ran on the CPU: system time under tick accounting.
        accounts.hostInterrupt(cpu, null, 1_000);
        // vcpu_load in process context: system time.
        accounts.hostKernel(cpu, 300);

        assertThat(accounts.guestNs(cpu)).isEqualTo(1_750);
        assertThat(accounts.hostSysNs(cpu)).isEqualTo(1_300); // 1000 + 300
        assertThat(accounts.hostIrqNs(cpu)).isZero();
        assertThat(accounts.guestUserNs(vcpu)).isEqualTo(1_750); // the guest's clock ran on in user mode
    }

    @Test
    void aHostInterruptIsIrqTimeUnderHostIrqTimeAccounting() {
        CpuTimeAccounts irqTime = new CpuTimeAccounts(CputimeAccounting.IRQ_TIME);
        irqTime.vcpuEntered(cpu);
        irqTime.hostInterrupt(cpu, vcpu, 1_750);
        irqTime.hostInterrupt(cpu, null, 1_000);
        // Trap emulation stays sys; the world switch (200 of 451 ns) is still inside the guest-timing
        // bracket, which IRQ time accounting does not change.
        irqTime.trappedPmuAccess(cpu, vcpu, GuestMode.USER, 451, 200);

        assertThat(irqTime.hostIrqNs(cpu)).isEqualTo(2_750); // 1750 + 1000
        assertThat(irqTime.hostSysNs(cpu)).isEqualTo(251); // 451 - 200
        assertThat(irqTime.hostKernelNs(cpu)).isEqualTo(3_001); // %sys + %irq
        assertThat(irqTime.guestNs(cpu)).isEqualTo(200);
    }

    @Test
    void anExitRefillIsGuestTimeInTheModeThatResumes() {
        accounts.vcpuEntered(cpu);
        accounts.exitRefill(cpu, vcpu, GuestMode.USER, 450);
        accounts.exitRefill(cpu, vcpu, GuestMode.SYS, 450);

        assertThat(accounts.guestNs(cpu)).isEqualTo(900);
        assertThat(accounts.hostKernelNs(cpu)).isZero(); // not host time: no %sys
        assertThat(accounts.guestUserNs(vcpu)).isEqualTo(450);
        assertThat(accounts.guestSysNs(vcpu)).isEqualTo(450);
    }

    @Test
    void aVcpuThatNeverEnteredIsNotInGuestUserMode() {
        // It used to start "in guest user since 0", so a kernel entry before its first entry
        // closed a user span from time 0.
        assertThat(vcpu.guestUserSince).isEqualTo(-1);
    }

    @Test
    void aThreadThatWasNotRunnableWaitsForNothingWhenItSleeps() {
        // A crashed vCPU is on no run queue: its sleep adds no wait (it used to count from time 0).
        accounts.sleepsWhileWaiting(vcpu, 7_000_000);

        assertThat(accounts.waitNs(vcpu)).isZero();
    }

    @Test
    void aThreadWaitsFromRunnableUntilItRuns() {
        accounts.waiting(task, 1_000);
        accounts.stopsWaiting(task, 1_600); // 600
        accounts.stopsWaiting(task, 2_000); // not waiting: nothing
        accounts.waiting(task, 3_000);
        accounts.runsAtOnce(task); // picked at once: the mark is dropped
        accounts.stopsWaiting(task, 4_000); // nothing
        accounts.waiting(task, 5_000);
        accounts.sleepsWhileWaiting(task, 5_400); // 400

        assertThat(accounts.waitNs(task)).isEqualTo(1_000); // 600 + 400
    }

    @Test
    void aVcpuRunsFromVcpuLoadToVcpuPut() {
        accounts.vcpuLoaded(cpu, vcpu, 1_000);
        accounts.vcpuPut(cpu, vcpu, 4_000); // 3000
        accounts.vcpuLoaded(cpu, vcpu, 5_000);
        accounts.vcpuPut(cpu, vcpu, 5_500); // 500

        assertThat(accounts.runNs(vcpu)).isEqualTo(3_500);
        assertThat(accounts.brbeBlackoutNs(vcpu)).isZero(); // no BRBE recording on this PE
    }

    @Test
    void vcpuLoadAndPutSamplesKeepEveryValue() {
        for (int i = 0; i < 1_500; i++) {
            accounts.vcpuLoadPmuWork(i);
        }
        accounts.vcpuPutPmuWork(7);

        SampleCounts loads = accounts.vcpuLoadPmuWork();
        assertThat(loads.count()).isEqualTo(1_500);
        assertThat(loads.sum()).isEqualTo(1_499L * 1_500 / 2); // 0 + 1 + ... + 1499
        assertThat(Percentiles.nearestRank(loads, 99)).isEqualTo(1_484); // rank ceil(0.99 * 1500) = 1485
        assertThat(accounts.vcpuPutPmuWork().count()).isEqualTo(1);
        assertThat(Percentiles.nearestRank(accounts.vcpuPutPmuWork(), 100)).isEqualTo(7);
    }
}
