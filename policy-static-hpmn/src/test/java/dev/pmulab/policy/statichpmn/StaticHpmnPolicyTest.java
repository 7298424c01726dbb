package dev.pmulab.policy.statichpmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.api.ControlRule;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.TrappedAccessResolution;
import dev.pmulab.api.testing.FakeCpu;
import dev.pmulab.api.testing.FakeHost;
import dev.pmulab.api.testing.FakeVcpu;
import dev.pmulab.api.testing.PolicyFixture;
import dev.pmulab.api.testing.RecordingControl;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class StaticHpmnPolicyTest {
    private static final PolicyFixture<StaticHpmnSettings, StaticHpmnPolicy> POLICY =
            new PolicyFixture<>(StaticHpmnDescriptor.NAME, StaticHpmnSettings.SCHEMA, StaticHpmnPolicy::new);

    private static StaticHpmnPolicy reserving(int reserved) {
        return POLICY.policy(StaticHpmnSettings.RESERVED_HOST_COUNTERS, reserved);
    }

    @Test
    void hpmnIsNMinusTheReservationAndTheHostLosesTheGuestCountersAndPmccntr() {
        FakeHost host = FakeHost.vhe(2, 6, false);
        RecordingControl control = POLICY.boot(reserving(2), host);
        assertThat(control.actions)
                .containsExactly(
                        "setHostCounterMask(0, 0x30)", "setHpmn(0, 4)",
                        "setHostCounterMask(1, 0x30)", "setHpmn(1, 4)");
        assertThat(host.fakeCpu(0).hostCounterMask()).isEqualTo(0b110000L);
        assertThat(host.fakeCpu(1).hpmn()).isEqualTo(4);
    }

    @Test
    void reservingEveryCounterGivesHpmnZeroWithFeatHpmn0AndOneWithout() {
        FakeHost withHpmn0 = FakeHost.vhe(1, 6, true);
        POLICY.boot(reserving(6), withHpmn0);
        assertThat(withHpmn0.fakeCpu(0).hpmn()).isZero();
        assertThat(withHpmn0.fakeCpu(0).hostCounterMask()).isEqualTo(0x3fL);

        FakeHost without = FakeHost.vhe(1, 6, false);
        POLICY.boot(reserving(6), without);
        assertThat(without.fakeCpu(0).hpmn()).isEqualTo(1);
        assertThat(without.fakeCpu(0).hostCounterMask()).isEqualTo(0x3eL);

        FakeHost beyondN = FakeHost.vhe(1, 6, false);
        POLICY.boot(reserving(20), beyondN);
        assertThat(beyondN.fakeCpu(0).hpmn()).isEqualTo(1);
    }

    @Test
    void reservingNothingGivesTheGuestEveryCounterAndTheHostNone() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        RecordingControl control = POLICY.boot(reserving(0), host);
        assertThat(control.actions).containsExactly("setHostCounterMask(0, 0x0)", "setHpmn(0, 6)");
    }

    @Test
    void heterogeneousCpusAreClampedEachToItsOwnN() {
        FakeHost host = new FakeHost(
                true,
                new FakeCpu(0, "cortex-a510", 6, true),
                new FakeCpu(1, "cortex-a710", 20, true),
                new FakeCpu(2, "cortex-a55", 6, false));
        POLICY.boot(reserving(4), host);
        assertThat(host.fakeCpu(0).hpmn()).isEqualTo(2);
        assertThat(host.fakeCpu(1).hpmn()).isEqualTo(16);
        assertThat(host.fakeCpu(1).hostCounterMask()).isEqualTo(0xf0000L);
        assertThat(host.fakeCpu(2).hpmn()).isEqualTo(2);

        FakeHost again = new FakeHost(
                true,
                new FakeCpu(0, "cortex-a510", 6, true),
                new FakeCpu(1, "cortex-a710", 20, true),
                new FakeCpu(2, "cortex-a55", 6, false));
        POLICY.boot(reserving(10), again);
        assertThat(again.fakeCpu(0).hpmn()).isZero();
        assertThat(again.fakeCpu(1).hpmn()).isEqualTo(10);
        assertThat(again.fakeCpu(2).hpmn()).isEqualTo(1);
    }

    @Test
    void anNvheHostIsRefusedBeforeAnyCpuIsTouched() {
        FakeHost host = new FakeHost(false, new FakeCpu(0, "cortex-a76", 6, false));
        RecordingControl control = new RecordingControl(host, StaticHpmnDescriptor.NAME);
        StaticHpmnPolicy policy = reserving(2);
        assertThatThrownBy(() -> policy.hostBoot(host, control))
                .isInstanceOf(ControlRefusedException.class)
                .hasMessageStartingWith("policy static-hpmn broke the rule 'VHE only'")
                .hasMessageContaining("reserved_host_counters=2")
                .satisfies(e -> assertThat(((ControlRefusedException) e).rule()).isEqualTo(ControlRule.VHE_ONLY))
                .satisfies(
                        e -> assertThat(((ControlRefusedException) e).policy()).isEqualTo("static-hpmn"));
        assertThat(control.actions).isEmpty();
        assertThat(host.fakeCpu(0).hostCounterMask()).isEqualTo(0x8000003fL);
    }

    @Test
    void withoutAPartitionNothingChangesEvenOnNvhe() {
        POLICY.assertUpstreamEvenOnNvhe(reserving(StaticHpmnSettings.NO_PARTITION));
    }

    @Test
    void hostEventsOnGuestCountersAtBootAreRescheduledIntoTheHostRange() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        host.fakeCpu(0).pinnedOn(31).flexibleOn(0);
        RecordingControl control = POLICY.boot(reserving(2), host);
        assertThat(control.actions).containsExactly("reschedHostPerf(0, 0x30)", "setHpmn(0, 4)");
        assertThat(host.fakeCpu(0).hostCountersInUse()).isEqualTo(0x30L);
        assertThat(host.fakeCpu(0).pinnedInError()).isZero();
    }

    @Test
    void optedInVcpusGetDirectCountersOnceAndTheOthersStayEmulated() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        StaticHpmnPolicy policy = reserving(2);
        RecordingControl control = POLICY.boot(policy, host);
        control.actions.clear();
        FakeVcpu partitioned = new FakeVcpu(0, 0, 6);
        FakeVcpu plain = new FakeVcpu(1, 0, 6);
        plain.partitionRequested = false;
        FakeVcpu noPmu = new FakeVcpu(2, 0, 6);
        noPmu.pmuEnabled = false;

        policy.vcpuLoad(partitioned, host.fakeCpu(0), control);
        partitioned.ranOn(host.fakeCpu(0));
        policy.vcpuPut(partitioned, host.fakeCpu(0), control);
        policy.vcpuLoad(partitioned, host.fakeCpu(0), control);
        policy.vcpuLoad(plain, host.fakeCpu(0), control);
        policy.vcpuLoad(noPmu, host.fakeCpu(0), control);

        assertThat(control.actions).containsExactly("setGuestAccess(vm0/0, DIRECT)");
        assertThat(partitioned.accessMode()).isEqualTo(GuestAccessMode.DIRECT);
        assertThat(plain.accessMode()).isEqualTo(GuestAccessMode.EMULATED);
        assertThat(noPmu.accessMode()).isEqualTo(GuestAccessMode.EMULATED);
    }

    @Test
    void withoutOptInEveryVcpuWithAPmuIsPartitioned() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        StaticHpmnPolicy policy =
                POLICY.policy(Map.of(StaticHpmnSettings.RESERVED_HOST_COUNTERS, 2L, StaticHpmnSettings.OPT_IN, false));
        RecordingControl control = POLICY.boot(policy, host);
        FakeVcpu plain = new FakeVcpu(1, 0, 6);
        plain.partitionRequested = false;
        policy.vcpuLoad(plain, host.fakeCpu(0), control);
        assertThat(plain.accessMode()).isEqualTo(GuestAccessMode.DIRECT);
    }

    @Test
    void migratingBetweenCoreTypesShowsTheGuestADifferentN() {
        FakeHost host = new FakeHost(
                true,
                new FakeCpu(0, "cortex-a510", 6, true),
                new FakeCpu(1, "cortex-a710", 20, true),
                new FakeCpu(2, "cortex-a510", 6, true));
        StaticHpmnPolicy policy = reserving(2);
        RecordingControl control = POLICY.boot(policy, host);
        control.actions.clear();
        FakeVcpu vcpu = new FakeVcpu(0, 0, 20);

        policy.vcpuLoad(vcpu, host.fakeCpu(0), control); // first load: the guest has seen nothing yet
        vcpu.ranOn(host.fakeCpu(0));
        policy.vcpuLoad(vcpu, host.fakeCpu(2), control); // same N: nothing to note
        vcpu.ranOn(host.fakeCpu(2));
        policy.vcpuLoad(vcpu, host.fakeCpu(1), control);

        assertThat(control.actions).containsExactly("setGuestAccess(vm0/0, DIRECT)", "noteGuestVisibleN(vm0/0, 18)");
    }

    @Test
    void theSplitNeverMovesAfterBoot() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        StaticHpmnPolicy policy = reserving(2);
        RecordingControl control = POLICY.boot(policy, host);
        FakeVcpu vcpu = new FakeVcpu(0, 0, 6);
        policy.vcpuLoad(vcpu, host.fakeCpu(0), control);
        control.actions.clear();
        assertThat(policy.guestAccessOutsideShare(vcpu, host.fakeCpu(0), 5, control))
                .isEqualTo(TrappedAccessResolution.EMULATE);
        policy.vcpuPut(vcpu, host.fakeCpu(0), control);
        policy.adminWrite(StaticHpmnSettings.RESERVED_HOST_COUNTERS, 0, host, control);
        assertThat(control.actions).isEmpty();
        assertThat(host.fakeCpu(0).hpmn()).isEqualTo(4);
    }

    @Test
    void vcpuLoadBeforeHostBootIsAnError() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        assertThatThrownBy(() -> reserving(2)
                        .vcpuLoad(
                                new FakeVcpu(0, 0, 6),
                                host.fakeCpu(0),
                                new RecordingControl(host, StaticHpmnDescriptor.NAME)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("static-hpmn: vcpu_load before host_boot");
    }
}
