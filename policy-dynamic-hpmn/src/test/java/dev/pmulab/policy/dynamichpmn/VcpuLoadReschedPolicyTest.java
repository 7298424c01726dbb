package dev.pmulab.policy.dynamichpmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.AllocationOrder;
import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.testing.FakeCpu;
import dev.pmulab.api.testing.FakeHost;
import dev.pmulab.api.testing.FakeVcpu;
import dev.pmulab.api.testing.PolicyFixture;
import dev.pmulab.api.testing.RecordingControl;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class VcpuLoadReschedPolicyTest {
    private static final PolicyFixture<VcpuLoadReschedSettings, VcpuLoadReschedPolicy> POLICY = new PolicyFixture<>(
            VcpuLoadReschedDescriptor.NAME, VcpuLoadReschedSettings.SCHEMA, VcpuLoadReschedPolicy::new);

    private static VcpuLoadReschedPolicy limiting(int reserved) {
        return POLICY.policy(VcpuLoadReschedSettings.RESERVED_HOST_COUNTERS, reserved);
    }

    @Test
    void bootSetsTopDownAllocationAndLeavesTheHostEveryCounter() {
        FakeHost host = FakeHost.vhe(2, 6, false);
        RecordingControl control = POLICY.boot(limiting(2), host);
        assertThat(control.actions).containsExactly("setHostAllocationOrder(TOP_DOWN)");
        assertThat(control.order).isEqualTo(AllocationOrder.TOP_DOWN);
        assertThat(host.fakeCpu(1).hostCounterMask()).isEqualTo(0x8000003fL);
    }

    @Test
    void noRescheduleWhenHostEventsStayAboveTheGuestCounters() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        FakeCpu cpu = host.fakeCpu(0).flexibleOn(5).pinnedOn(4);
        VcpuLoadReschedPolicy policy = limiting(2);
        RecordingControl control = POLICY.boot(policy, host);
        FakeVcpu vcpu = new FakeVcpu(0, 0, 6);
        for (int i = 0; i < 3; i++) {
            policy.vcpuLoad(vcpu, cpu, control);
            vcpu.ranOn(cpu);
            policy.vcpuPut(vcpu, cpu, control);
        }
        assertThat(control.count("reschedHostPerf")).isZero();
        assertThat(control.actions)
                .startsWith(
                        "setHostAllocationOrder(TOP_DOWN)",
                        "setHostCounterMask(0, 0x30)",
                        "setHpmn(0, 4)",
                        "setGuestAccess(vm0/0, DIRECT)",
                        "setHostCounterMask(0, 0x8000003f)",
                        "setHostCounterMask(0, 0x30)",
                        "setHpmn(0, 4)",
                        "setHostCounterMask(0, 0x8000003f)");
        assertThat(cpu.hostCounterMask()).isEqualTo(0x8000003fL);
    }

    @Test
    void hostEventsOnGuestCountersAreRescheduledAtLoadAndBackAtPut() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        FakeCpu cpu = host.fakeCpu(0).flexibleOn(1); // placed bottom-up before this policy booted
        VcpuLoadReschedPolicy policy = limiting(2);
        RecordingControl control = POLICY.boot(policy, host);
        control.actions.clear();
        FakeVcpu vcpu = new FakeVcpu(0, 0, 6);

        policy.vcpuLoad(vcpu, cpu, control);
        assertThat(control.actions)
                .containsExactly("reschedHostPerf(0, 0x30)", "setHpmn(0, 4)", "setGuestAccess(vm0/0, DIRECT)");
        assertThat(cpu.hostCountersInUse()).isEqualTo(1L << 5); // top-down into the host range
        assertThat(vcpu.accessMode()).isEqualTo(GuestAccessMode.DIRECT);

        control.actions.clear();
        policy.vcpuPut(vcpu, cpu, control);
        assertThat(control.actions).containsExactly("reschedHostPerf(0, 0x8000003f)");
        assertThat(cpu.hostCounterMask()).isEqualTo(0x8000003fL);
    }

    @Test
    void aHostCycleEventOnPmccntrIsACollisionBecauseTheGuestOwnsPmccntr() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        FakeCpu cpu = host.fakeCpu(0).pinnedOn(31);
        VcpuLoadReschedPolicy policy = limiting(2);
        RecordingControl control = POLICY.boot(policy, host);
        policy.vcpuLoad(new FakeVcpu(0, 0, 6), cpu, control);
        assertThat(control.only("reschedHostPerf")).containsExactly("reschedHostPerf(0, 0x30)");
        assertThat(cpu.hostPinnedCounters()).isEqualTo(1L << 5); // counting cycles on an event counter now
        assertThat(cpu.pinnedInError()).isZero();
        assertThat(control.only("noteGuestShareCut")).isEmpty();
    }

    @Test
    void theGuestTakesAtMostItsVmsCounterCount() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        VcpuLoadReschedPolicy policy = limiting(0);
        RecordingControl control = POLICY.boot(policy, host);
        policy.vcpuLoad(new FakeVcpu(0, 0, 2), host.fakeCpu(0), control);
        assertThat(host.fakeCpu(0).hpmn()).isEqualTo(2);
        assertThat(host.fakeCpu(0).hostCounterMask()).isEqualTo(0x3cL);
    }

    @Test
    void theLimitIsAppliedPerCpuOnHeterogeneousHosts() {
        FakeHost host =
                new FakeHost(true, new FakeCpu(0, "cortex-a510", 6, true), new FakeCpu(1, "cortex-a710", 20, true));
        VcpuLoadReschedPolicy policy = limiting(2);
        RecordingControl control = POLICY.boot(policy, host);
        control.actions.clear();
        FakeVcpu vcpu = new FakeVcpu(0, 0, 20);
        policy.vcpuLoad(vcpu, host.fakeCpu(0), control);
        vcpu.ranOn(host.fakeCpu(0));
        policy.vcpuPut(vcpu, host.fakeCpu(0), control);
        policy.vcpuLoad(vcpu, host.fakeCpu(1), control);
        assertThat(host.fakeCpu(0).hpmn()).isEqualTo(4);
        assertThat(host.fakeCpu(1).hpmn()).isEqualTo(18);
        assertThat(host.fakeCpu(1).hostCounterMask()).isEqualTo(0xc0000L);
        assertThat(control.only("noteGuestVisibleN")).containsExactly("noteGuestVisibleN(vm0/0, 18)");
    }

    @Test
    void reservingEveryCounterLeavesTheGuestPmccntrWithHpmn0OrCounterZeroWithout() {
        FakeHost withHpmn0 = FakeHost.vhe(1, 6, true);
        VcpuLoadReschedPolicy a = limiting(6);
        a.vcpuLoad(new FakeVcpu(0, 0, 6), withHpmn0.fakeCpu(0), POLICY.boot(a, withHpmn0));
        assertThat(withHpmn0.fakeCpu(0).hpmn()).isZero();
        assertThat(withHpmn0.fakeCpu(0).hostCounterMask()).isEqualTo(0x3fL);

        FakeHost without = FakeHost.vhe(1, 6, false);
        VcpuLoadReschedPolicy b = limiting(6);
        b.vcpuLoad(new FakeVcpu(0, 0, 6), without.fakeCpu(0), POLICY.boot(b, without));
        assertThat(without.fakeCpu(0).hpmn()).isEqualTo(1);
        assertThat(without.fakeCpu(0).hostCounterMask()).isEqualTo(0x3eL);
    }

    @Test
    void aPinnedHostEventInTheGuestRangeCutsTheShareBelowItAndIsRecorded() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        FakeCpu cpu = host.fakeCpu(0).pinnedOn(3, 5).flexibleOn(1);
        VcpuLoadReschedPolicy policy = limiting(0);
        RecordingControl control = POLICY.boot(policy, host);
        control.actions.clear();
        policy.vcpuLoad(new FakeVcpu(0, 0, 6), cpu, control);
        assertThat(control.actions)
                .containsExactly(
                        "noteGuestShareCut(vm0/0, 0, 6, 3)",
                        "reschedHostPerf(0, 0x38)",
                        "setHpmn(0, 3)",
                        "setGuestAccess(vm0/0, DIRECT)");
        // Every host event is above the guest's three counters again; none lost its counter.
        assertThat(cpu.pinnedInError()).isZero();
        assertThat(cpu.flexibleWaiting()).isZero();
        assertThat(cpu.hostCountersInUse()).isEqualTo(0b111000L);
    }

    @Test
    void withCounterZeroPinnedAndNoHpmn0TheVcpuRunsEmulatedUntilItsNextLoad() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        FakeCpu cpu = host.fakeCpu(0);
        VcpuLoadReschedPolicy policy = limiting(2);
        RecordingControl control = POLICY.boot(policy, host);
        FakeVcpu vcpu = new FakeVcpu(0, 0, 6);
        policy.vcpuLoad(vcpu, cpu, control);
        vcpu.ranOn(cpu);
        policy.vcpuPut(vcpu, cpu, control);
        cpu.pinnedOn(0, 1, 2, 3, 4, 5);
        control.actions.clear();

        policy.vcpuLoad(vcpu, cpu, control);
        assertThat(control.actions)
                .containsExactly(
                        "noteGuestShareCut(vm0/0, 0, 4, 0)",
                        "setGuestAccess(vm0/0, EMULATED)",
                        "noteGuestVisibleN(vm0/0, 6)");
        vcpu.ranOn(cpu);
        control.actions.clear();
        policy.vcpuPut(vcpu, cpu, control);
        assertThat(control.actions).isEmpty();

        cpu.events.clear();
        policy.vcpuLoad(vcpu, cpu, control);
        assertThat(control.actions)
                .containsExactly(
                        "setHostCounterMask(0, 0x30)",
                        "setHpmn(0, 4)",
                        "setGuestAccess(vm0/0, DIRECT)",
                        "noteGuestVisibleN(vm0/0, 4)");
    }

    @Test
    void hostEventsThatNoLongerFitWaitWhileTheVcpuIsLoaded() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        FakeCpu cpu = host.fakeCpu(0).flexibleOn(0, 1, 2, 3);
        VcpuLoadReschedPolicy policy = limiting(2);
        RecordingControl control = POLICY.boot(policy, host);
        FakeVcpu vcpu = new FakeVcpu(0, 0, 6);
        policy.vcpuLoad(vcpu, cpu, control);
        assertThat(cpu.flexibleWaiting()).isEqualTo(2);
        policy.vcpuPut(vcpu, cpu, control);
        assertThat(cpu.flexibleWaiting()).isZero();
        assertThat(control.count("reschedHostPerf")).isEqualTo(2);
    }

    @Test
    void onlyOptedInVcpusArePartitionedUnlessOptInIsOff() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        VcpuLoadReschedPolicy policy = limiting(2);
        RecordingControl control = POLICY.boot(policy, host);
        control.actions.clear();
        FakeVcpu plain = new FakeVcpu(0, 0, 6);
        plain.partitionRequested = false;
        policy.vcpuLoad(plain, host.fakeCpu(0), control);
        policy.vcpuPut(plain, host.fakeCpu(0), control);
        assertThat(control.actions).isEmpty();

        VcpuLoadReschedPolicy everyone = POLICY.policy(Map.of(VcpuLoadReschedSettings.OPT_IN, false));
        everyone.vcpuLoad(plain, host.fakeCpu(0), POLICY.boot(everyone, host));
        assertThat(plain.accessMode()).isEqualTo(GuestAccessMode.DIRECT);
        assertThat(host.fakeCpu(0).hpmn()).isEqualTo(6);
    }

    @Test
    void minusOneLeavesEverythingAsUpstreamEvenOnNvhe() {
        POLICY.assertUpstreamEvenOnNvhe(limiting(-1));
    }

    @Test
    void anNvheHostIsRefusedAtBootNamingThePolicyAndTheRule() {
        FakeHost host = new FakeHost(false, new FakeCpu(0, "cortex-a76", 6, false));
        RecordingControl control = new RecordingControl(host, VcpuLoadReschedDescriptor.NAME);
        assertThatThrownBy(() -> limiting(0).hostBoot(host, control))
                .isInstanceOf(ControlRefusedException.class)
                .hasMessageStartingWith("policy vcpu-load-resched broke the rule 'VHE only': reserved_host_counters=0");
        assertThat(control.actions).isEmpty();
    }

    @Test
    void hooksBeforeHostBootAreErrors() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        assertThatThrownBy(() -> limiting(0)
                        .vcpuPut(
                                new FakeVcpu(0, 0, 6),
                                host.fakeCpu(0),
                                new RecordingControl(host, VcpuLoadReschedDescriptor.NAME)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("vcpu-load-resched: vcpu_put before host_boot");
    }
}
