package dev.pmulab.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Pe;
import dev.pmulab.hw.catalog.CpuCatalog;
import dev.pmulab.kvm.perf.PerfTask;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which buckets each kind of time lands in. Every expected number is the sum of the charges above it. */
final class CpuTimeAccountsTest {
    private final CpuTimeAccounts accounts = new CpuTimeAccounts();
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
    void aTrappedAccessIsHostKernelTimeAndANativeOneGuestTimeBothGuestSys() {
        accounts.vcpuEntered(cpu);
        accounts.trappedPmuAccess(cpu, vcpu, 400);
        accounts.guestPmuAccess(cpu, vcpu, 30);
        accounts.guestPmuEoi(cpu, vcpu, 20);

        assertThat(accounts.hostKernelNs(cpu)).isEqualTo(400); // the trap
        assertThat(accounts.guestNs(cpu)).isEqualTo(50); // 30 native + 20 EOI
        assertThat(accounts.trapNs(vcpu)).isEqualTo(400);
        assertThat(accounts.guestSysNs(vcpu)).isEqualTo(450); // 400 + 30 + 20: time(1)'s sys sees all three
    }

    @Test
    void aGuestUserSpanIsGuestTimeAndItsExitsHostKernelTime() {
        accounts.vcpuEntered(cpu);
        accounts.guestUser(cpu, 900);
        accounts.exitHandling(cpu, 100);

        assertThat(accounts.guestNs(cpu)).isEqualTo(900);
        assertThat(accounts.hostKernelNs(cpu)).isEqualTo(100);
        assertThat(accounts.guestSysNs(vcpu)).isZero();
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
    void vcpuLoadAndPutSamplesKeepEveryValueInOrderPastTheFirstArray() {
        for (int i = 0; i < 1_500; i++) {
            accounts.vcpuLoadPmuWork(i);
        }
        accounts.vcpuPutPmuWork(7);

        long[] loads = accounts.vcpuLoadPmuWork();
        assertThat(loads).hasSize(1_500);
        assertThat(loads[0]).isZero();
        assertThat(loads[1_499]).isEqualTo(1_499);
        assertThat(accounts.vcpuPutPmuWork()).containsExactly(7);
    }
}
