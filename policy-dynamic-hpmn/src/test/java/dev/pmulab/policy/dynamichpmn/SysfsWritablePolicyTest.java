package dev.pmulab.policy.dynamichpmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.testing.FakeCpu;
import dev.pmulab.api.testing.FakeHost;
import dev.pmulab.api.testing.FakeVcpu;
import dev.pmulab.api.testing.PolicyFixture;
import dev.pmulab.api.testing.RecordingControl;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class SysfsWritablePolicyTest {
    private static final String KNOB = "reserved_host_counters";

    private static final PolicyFixture<SysfsWritableSettings, SysfsWritablePolicy> POLICY =
            new PolicyFixture<>(SysfsWritableDescriptor.NAME, SysfsWritableSettings.SCHEMA, SysfsWritablePolicy::new);

    private static SysfsWritablePolicy bootingWith(int reserved) {
        return POLICY.policy(SysfsWritableSettings.RESERVED_HOST_COUNTERS, reserved);
    }

    @Test
    void bootAppliesTheBootValueOnEveryCpuWithoutAReschedule() {
        FakeHost host = FakeHost.vhe(2, 6, false);
        RecordingControl control = POLICY.boot(bootingWith(2), host);
        assertThat(control.actions)
                .containsExactly(
                        "setHostCounterMask(0, 0x30)", "setHpmn(0, 4)", "setHostCounterMask(1, 0x30)", "setHpmn(1, 4)");
    }

    @Test
    void byDefaultNothingIsPartitionedUntilTheKnobIsWritten() {
        SysfsWritablePolicy policy = POLICY.policy(Map.of());
        POLICY.assertUpstreamEvenOnNvhe(policy);
        assertThat(policy.reservedHostCounters()).isEqualTo(-1);
    }

    @Test
    void everyWriteReschedulesEveryCpuOnce() {
        FakeHost host = FakeHost.vhe(4, 6, false);
        SysfsWritablePolicy policy = bootingWith(2);
        RecordingControl control = POLICY.boot(policy, host);
        long[] writes = {3, 3, 1};
        for (long w : writes) {
            policy.adminWrite(KNOB, w, host, control);
        }
        assertThat(control.count("reschedHostPerf")).isEqualTo(writes.length * 4L);
        assertThat(control.only("reschedHostPerf"))
                .startsWith(
                        "reschedHostPerf(0, 0x38)",
                        "reschedHostPerf(1, 0x38)",
                        "reschedHostPerf(2, 0x38)",
                        "reschedHostPerf(3, 0x38)");
        assertThat(host.cpus).allSatisfy(c -> {
            assertThat(c.hpmn()).isEqualTo(5);
            assertThat(c.hostCounterMask()).isEqualTo(0x20L);
        });
        assertThat(policy.reservedHostCounters()).isEqualTo(1);
    }

    @Test
    void aWriteClampsPerCpuAsTheBootValueDoes() {
        FakeHost host = new FakeHost(
                true,
                new FakeCpu(0, "cortex-a510", 6, true),
                new FakeCpu(1, "cortex-a710", 20, true),
                new FakeCpu(2, "cortex-a55", 6, false));
        SysfsWritablePolicy policy = bootingWith(-1);
        RecordingControl control = POLICY.boot(policy, host);
        policy.adminWrite(KNOB, 8, host, control);
        assertThat(host.fakeCpu(0).hpmn()).isZero();
        assertThat(host.fakeCpu(1).hpmn()).isEqualTo(12);
        assertThat(host.fakeCpu(2).hpmn()).isEqualTo(1);
        assertThat(host.fakeCpu(2).hostCounterMask()).isEqualTo(0x3eL);
    }

    @Test
    void aLoadedGuestSeesItsNChangeUnderItAndHostEventsMoveOutOfTheNewGuestRange() {
        FakeHost host = FakeHost.vhe(2, 6, false);
        SysfsWritablePolicy policy = bootingWith(4);
        RecordingControl control = POLICY.boot(policy, host);
        FakeCpu cpu = host.fakeCpu(0);
        cpu.pinnedOn(2, 3); // the host's events in its range, counters 2..5
        FakeVcpu vcpu = new FakeVcpu(0, 0, 6);
        policy.vcpuLoad(vcpu, cpu, control);
        cpu.loaded = vcpu;
        vcpu.ranOn(cpu);
        control.actions.clear();

        policy.adminWrite(KNOB, 2, host, control);
        assertThat(control.actions)
                .containsExactly(
                        "reschedHostPerf(0, 0x30)",
                        "setHpmn(0, 4)",
                        "noteGuestVisibleN(vm0/0, 4)",
                        "reschedHostPerf(1, 0x30)",
                        "setHpmn(1, 4)");
        assertThat(cpu.hostPinnedCounters()).isEqualTo(0x30L);
        assertThat(cpu.pinnedInError()).isZero();
    }

    @Test
    void vcpuLoadGivesDirectAccessOnceAndVcpuPutDoesNothing() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        SysfsWritablePolicy policy = bootingWith(-1);
        RecordingControl control = POLICY.boot(policy, host);
        FakeCpu cpu = host.fakeCpu(0);
        FakeVcpu vcpu = new FakeVcpu(0, 0, 6);
        FakeVcpu plain = new FakeVcpu(1, 0, 6);
        plain.partitionRequested = false;
        policy.vcpuLoad(vcpu, cpu, control);
        vcpu.ranOn(cpu); // ran emulated: it read N = 6
        policy.vcpuPut(vcpu, cpu, control);
        policy.adminWrite(KNOB, 2, host, control);
        control.actions.clear();

        policy.vcpuLoad(vcpu, cpu, control);
        vcpu.ranOn(cpu);
        policy.vcpuPut(vcpu, cpu, control);
        policy.vcpuLoad(vcpu, cpu, control);
        policy.vcpuPut(vcpu, cpu, control);
        policy.vcpuLoad(plain, cpu, control);
        policy.vcpuPut(plain, cpu, control);
        assertThat(control.actions).containsExactly("setGuestAccess(vm0/0, DIRECT)", "noteGuestVisibleN(vm0/0, 4)");
        assertThat(plain.accessMode()).isEqualTo(GuestAccessMode.EMULATED);
    }

    @Test
    void writingMinusOneEndsThePartitionAndGuestsGoBackToEmulation() {
        FakeHost host = FakeHost.vhe(2, 6, false);
        SysfsWritablePolicy policy = bootingWith(2);
        RecordingControl control = POLICY.boot(policy, host);
        FakeVcpu loaded = new FakeVcpu(0, 0, 6);
        FakeVcpu away = new FakeVcpu(1, 0, 6);
        policy.vcpuLoad(loaded, host.fakeCpu(0), control);
        host.fakeCpu(0).loaded = loaded;
        loaded.ranOn(host.fakeCpu(0));
        policy.vcpuLoad(away, host.fakeCpu(1), control);
        away.ranOn(host.fakeCpu(1));
        policy.vcpuPut(away, host.fakeCpu(1), control);
        control.actions.clear();

        policy.adminWrite(KNOB, -1, host, control);
        assertThat(control.actions)
                .containsExactly(
                        "setGuestAccess(vm0/0, EMULATED)",
                        "noteGuestVisibleN(vm0/0, 6)",
                        "reschedHostPerf(0, 0x8000003f)",
                        "reschedHostPerf(1, 0x8000003f)");

        control.actions.clear();
        policy.vcpuLoad(away, host.fakeCpu(1), control);
        assertThat(control.actions).containsExactly("setGuestAccess(vm1/0, EMULATED)", "noteGuestVisibleN(vm1/0, 6)");
    }

    @Test
    void anUnknownKnobIsRefusedNamingItAndTheKnownOne() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        SysfsWritablePolicy policy = bootingWith(2);
        RecordingControl control = POLICY.boot(policy, host);
        control.actions.clear();
        assertThatThrownBy(() -> policy.adminWrite("reserved_guest_counters", 2, host, control))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "sysfs-writable has no knob 'reserved_guest_counters'; known knobs: reserved_host_counters");
        assertThat(control.actions).isEmpty();
    }

    @Test
    void anInvalidValueIsRefusedAndChangesNothing() {
        FakeHost host = FakeHost.vhe(1, 6, false);
        SysfsWritablePolicy policy = bootingWith(2);
        RecordingControl control = POLICY.boot(policy, host);
        control.actions.clear();
        assertThatThrownBy(() -> policy.adminWrite(KNOB, -2, host, control))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "sysfs-writable: cannot write -2 to reserved_host_counters; it takes -1 (no partition) or 0..31");
        assertThatThrownBy(() -> policy.adminWrite(KNOB, 32, host, control)).hasMessageContaining("cannot write 32");
        assertThat(control.actions).isEmpty();
        assertThat(policy.reservedHostCounters()).isEqualTo(2);
    }

    @Test
    void partitioningWritesAreRefusedOnNvheButTheDefaultBootsThere() {
        FakeHost host = new FakeHost(false, new FakeCpu(0, "cortex-a76", 6, false));
        SysfsWritablePolicy policy = bootingWith(-1);
        RecordingControl control = POLICY.boot(policy, host);
        assertThatThrownBy(() -> policy.adminWrite(KNOB, 2, host, control))
                .isInstanceOf(ControlRefusedException.class)
                .hasMessageStartingWith(
                        "policy sysfs-writable broke the rule 'VHE only': writing reserved_host_counters=2");
        assertThat(control.actions).isEmpty();
        assertThat(policy.reservedHostCounters()).isEqualTo(-1);
        assertThatThrownBy(() -> POLICY.boot(bootingWith(2), host)).isInstanceOf(ControlRefusedException.class);
    }
}
