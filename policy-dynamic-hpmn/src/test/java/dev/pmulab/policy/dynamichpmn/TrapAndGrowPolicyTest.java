package dev.pmulab.policy.dynamichpmn;

import static dev.pmulab.api.TrappedAccessResolution.EMULATE;
import static dev.pmulab.api.TrappedAccessResolution.INJECT_UNDEFINED;
import static dev.pmulab.api.TrappedAccessResolution.RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.testing.FakeCpu;
import dev.pmulab.api.testing.FakeHost;
import dev.pmulab.api.testing.FakeVcpu;
import dev.pmulab.api.testing.PolicyFixture;
import dev.pmulab.api.testing.RecordingControl;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TrapAndGrowPolicyTest {
    private static final PolicyFixture<TrapAndGrowSettings, TrapAndGrowPolicy> POLICY =
            new PolicyFixture<>(TrapAndGrowDescriptor.NAME, TrapAndGrowSettings.SCHEMA, TrapAndGrowPolicy::new);

    private final FakeHost host = FakeHost.vhe(1, 6, false);
    private final FakeCpu cpu = host.fakeCpu(0);
    private final FakeVcpu vcpu = new FakeVcpu(0, 0, 6);
    private RecordingControl control;

    private TrapAndGrowPolicy booted(Object... settings) {
        Map<String, Object> given = new HashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            Object v = settings[i + 1];
            given.put((String) settings[i], v instanceof Integer n ? Long.valueOf(n) : v);
        }
        TrapAndGrowPolicy policy = POLICY.policy(given);
        control = POLICY.boot(policy, host);
        return policy;
    }

    /** Loads the vCPU and lets it run, as the engine would. */
    private void loadAndRun(TrapAndGrowPolicy policy) {
        policy.vcpuLoad(vcpu, cpu, control);
        cpu.loaded = vcpu;
        vcpu.ranOn(cpu);
    }

    private void put(TrapAndGrowPolicy policy) {
        policy.vcpuPut(vcpu, cpu, control);
        cpu.loaded = null;
    }

    @Test
    void bootSetsTopDownAllocationOnly() {
        booted();
        assertThat(control.actions).containsExactly("setHostAllocationOrder(TOP_DOWN)");
        assertThat(cpu.hostCounterMask()).isEqualTo(0x8000003fL);
    }

    @Test
    void anNvheHostIsRefusedNamingThePolicyAndTheRule() {
        FakeHost nvhe = new FakeHost(false, new FakeCpu(0, "cortex-a76", 6, false));
        TrapAndGrowPolicy policy = POLICY.policy(Map.of());
        RecordingControl refused = new RecordingControl(nvhe, TrapAndGrowDescriptor.NAME);
        assertThatThrownBy(() -> policy.hostBoot(nvhe, refused))
                .isInstanceOf(ControlRefusedException.class)
                .hasMessageStartingWith("policy trap-and-grow broke the rule 'VHE only'");
        assertThat(refused.actions).isEmpty();
    }

    @Test
    void aGuestStartsWithStartCounters() {
        TrapAndGrowPolicy policy = booted("start", 2);
        control.actions.clear();
        policy.vcpuLoad(vcpu, cpu, control);
        assertThat(control.actions)
                .containsExactly("setHostCounterMask(0, 0x3c)", "setHpmn(0, 2)", "setGuestAccess(vm0/0, DIRECT)");
        assertThat(vcpu.accessMode()).isEqualTo(GuestAccessMode.DIRECT);
    }

    @Test
    void startZeroIsHpmnZeroWithFeatHpmn0AndOneWithout() {
        TrapAndGrowPolicy without = booted("start", 0);
        without.vcpuLoad(vcpu, cpu, control);
        assertThat(cpu.hpmn()).isEqualTo(1);

        FakeHost modern = FakeHost.vhe(1, 6, true);
        TrapAndGrowPolicy with = POLICY.policy("start", 0);
        RecordingControl c = POLICY.boot(with, modern);
        with.vcpuLoad(new FakeVcpu(0, 0, 6), modern.fakeCpu(0), c);
        assertThat(modern.fakeCpu(0).hpmn()).isZero();
        assertThat(modern.fakeCpu(0).hostCounterMask()).isEqualTo(0x3fL);
    }

    @Test
    void aTrappedAccessGrowsTheShareAndTheGuestSeesTheNewN() {
        TrapAndGrowPolicy policy = booted();
        cpu.flexibleOn(5);
        loadAndRun(policy);
        control.actions.clear();
        assertThat(policy.guestAccessOutsideShare(vcpu, cpu, 3, control)).isEqualTo(RETRY);
        assertThat(control.actions)
                .containsExactly("setHostCounterMask(0, 0x30)", "setHpmn(0, 4)", "noteGuestVisibleN(vm0/0, 4)");
        assertThat(cpu.hostCountersInUse()).isEqualTo(1L << 5);
    }

    @Test
    void growingOverFlexibleHostEventsReschedulesThemWhenAllowed() {
        TrapAndGrowPolicy policy = booted("displace_flexible", true);
        cpu.flexibleOn(2, 5);
        loadAndRun(policy);
        control.actions.clear();
        assertThat(policy.guestAccessOutsideShare(vcpu, cpu, 3, control)).isEqualTo(RETRY);
        assertThat(control.actions)
                .containsExactly("reschedHostPerf(0, 0x30)", "setHpmn(0, 4)", "noteGuestVisibleN(vm0/0, 4)");
        assertThat(cpu.hostCountersInUse()).isEqualTo(0x30L);

        control.actions.clear();
        put(policy);
        assertThat(control.actions).containsExactly("reschedHostPerf(0, 0x8000003f)");
    }

    @Test
    void flexibleHostEventsBlockGrowthWhenDisplacingIsOff() {
        TrapAndGrowPolicy policy = booted("displace_flexible", false);
        cpu.flexibleOn(2);
        loadAndRun(policy);
        control.actions.clear();
        assertThat(policy.guestAccessOutsideShare(vcpu, cpu, 3, control)).isEqualTo(EMULATE);
        assertThat(control.actions).containsExactly("noteGuestShareCut(vm0/0, 0, 4, 1)");
        assertThat(policy.guestAccessOutsideShare(vcpu, cpu, 1, control)).isEqualTo(RETRY);
        assertThat(cpu.hpmn()).isEqualTo(2);
    }

    @Test
    void pinnedHostEventsAreNeverDisplaced() {
        TrapAndGrowPolicy policy = booted("displace_flexible", true);
        cpu.pinnedOn(4);
        loadAndRun(policy);
        control.actions.clear();
        assertThat(policy.guestAccessOutsideShare(vcpu, cpu, 5, control)).isEqualTo(EMULATE);
        assertThat(control.actions).containsExactly("noteGuestShareCut(vm0/0, 0, 6, 1)");
        assertThat(policy.guestAccessOutsideShare(vcpu, cpu, 3, control)).isEqualTo(RETRY);
        assertThat(cpu.hpmn()).isEqualTo(4);
        assertThat(cpu.pinnedInError()).isZero();
    }

    @Test
    void aGreedyGuestStarvesTheHostUnlessCapped() {
        TrapAndGrowPolicy uncapped = booted();
        cpu.flexibleOn(5, 4, 3);
        loadAndRun(uncapped);
        assertThat(uncapped.guestAccessOutsideShare(vcpu, cpu, 5, control)).isEqualTo(RETRY);
        assertThat(cpu.hostCounterMask()).isZero();
        assertThat(cpu.flexibleWaiting()).isEqualTo(3);

        cpu.events.clear();
        TrapAndGrowPolicy capped = booted("cap", 2);
        cpu.flexibleOn(5, 4, 3);
        loadAndRun(capped);
        control.actions.clear();
        assertThat(capped.guestAccessOutsideShare(vcpu, cpu, 5, control)).isEqualTo(EMULATE);
        assertThat(capped.guestAccessOutsideShare(vcpu, cpu, 2, control)).isEqualTo(EMULATE);
        assertThat(control.actions).isEmpty();
        assertThat(capped.guestAccessOutsideShare(vcpu, cpu, 1, control)).isEqualTo(RETRY);
        assertThat(cpu.hpmn()).isEqualTo(2);
        assertThat(cpu.flexibleWaiting()).isZero();
    }

    @Test
    void aCounterTheVmWasNotGivenIsUndefined() {
        FakeVcpu small = new FakeVcpu(1, 0, 3);
        TrapAndGrowPolicy policy = booted();
        policy.vcpuLoad(small, cpu, control);
        control.actions.clear();
        assertThat(policy.guestAccessOutsideShare(small, cpu, 3, control)).isEqualTo(INJECT_UNDEFINED);
        assertThat(policy.guestAccessOutsideShare(small, cpu, 2, control)).isEqualTo(RETRY);
        assertThat(cpu.hpmn()).isEqualTo(3);
    }

    @Test
    void theShareShrinksAtPutToWhatTheGuestStillUsesAndTheGuestSeesItAtItsNextLoad() {
        TrapAndGrowPolicy policy = booted();
        loadAndRun(policy);
        policy.guestAccessOutsideShare(vcpu, cpu, 3, control);
        vcpu.ranOn(cpu);
        vcpu.uses(0, 1, 31);
        control.actions.clear();

        put(policy);
        assertThat(control.actions).containsExactly("setHostCounterMask(0, 0x8000003f)");
        assertThat(cpu.hostCounterMask()).isEqualTo(0x8000003fL);

        control.actions.clear();
        loadAndRun(policy);
        assertThat(control.actions)
                .containsExactly("setHostCounterMask(0, 0x3c)", "setHpmn(0, 2)", "noteGuestVisibleN(vm0/0, 2)");

        put(policy);
        vcpu.uses();
        control.actions.clear();
        loadAndRun(policy);
        assertThat(control.actions)
                .containsExactly("setHostCounterMask(0, 0x3e)", "setHpmn(0, 1)", "noteGuestVisibleN(vm0/0, 1)");
    }

    @Test
    void everyChangeOfNTheGuestSeesIsRecorded() {
        TrapAndGrowPolicy policy = booted();
        loadAndRun(policy);
        policy.guestAccessOutsideShare(vcpu, cpu, 1, control);
        policy.guestAccessOutsideShare(vcpu, cpu, 3, control);
        vcpu.uses(0, 3);
        put(policy);
        loadAndRun(policy); // the same four counters: no change to see
        vcpu.uses(0);
        put(policy);
        loadAndRun(policy);
        assertThat(control.only("noteGuestVisibleN"))
                .containsExactly(
                        "noteGuestVisibleN(vm0/0, 2)", "noteGuestVisibleN(vm0/0, 4)", "noteGuestVisibleN(vm0/0, 1)");
    }

    @Test
    void reTakingUsedCountersAtLoadFollowsTheGrowthRule() {
        TrapAndGrowPolicy policy = booted("displace_flexible", false);
        loadAndRun(policy);
        policy.guestAccessOutsideShare(vcpu, cpu, 3, control);
        vcpu.ranOn(cpu);
        vcpu.uses(0, 1, 2, 3);
        put(policy);
        cpu.flexibleOn(2); // a host event took counter 2 while the vCPU was away
        control.actions.clear();

        loadAndRun(policy);
        assertThat(control.actions)
                .containsExactly(
                        "noteGuestShareCut(vm0/0, 0, 4, 2)",
                        "setHostCounterMask(0, 0x3c)",
                        "setHpmn(0, 2)",
                        "noteGuestVisibleN(vm0/0, 2)");
    }

    @Test
    void theStartCountersAreTakenEvenFromFlexibleHostEvents() {
        TrapAndGrowPolicy policy = booted("start", 2, "displace_flexible", false);
        cpu.flexibleOn(0);
        control.actions.clear();
        policy.vcpuLoad(vcpu, cpu, control);
        assertThat(control.actions)
                .containsExactly("reschedHostPerf(0, 0x3c)", "setHpmn(0, 2)", "setGuestAccess(vm0/0, DIRECT)");
    }

    @Test
    void vcpusItDidNotPartitionAreLeftAlone() {
        TrapAndGrowPolicy policy = booted();
        FakeVcpu plain = new FakeVcpu(1, 0, 6);
        plain.partitionRequested = false;
        control.actions.clear();
        policy.vcpuLoad(plain, cpu, control);
        assertThat(policy.guestAccessOutsideShare(plain, cpu, 3, control)).isEqualTo(EMULATE);
        policy.vcpuPut(plain, cpu, control);
        assertThat(control.actions).isEmpty();
    }
}
