package dev.pmulab.kvm.vpmu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.policy.EmulatedDescriptor;
import dev.pmulab.kvm.policy.EmulatedPolicy;
import org.junit.jupiter.api.Test;

/** The {@code emulated} plugin on KVM: upstream KVM, the same as running without a policy. */
final class EmulatedPluginTest {
    private record Context(String policyName, long seed) implements PolicyContext {}

    private static VpmuTestbed withPlugin() {
        return VpmuTestbed.builder()
                .policy(new EmulatedPolicy(new Context(EmulatedDescriptor.NAME, 1)), EmulatedDescriptor.NAME)
                .partition(true)
                .build();
    }

    /** The same guest session on a host: program a counter, run, read it back; returns the counter's value. */
    private static long session(VpmuTestbed t) {
        t.enter(0, 0);
        t.guestPmuReset(0);
        t.wr(PmuRegister.PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);
        t.wr(PmuRegister.PMCNTENSET_EL0, 1, 0);
        t.wr(PmuRegister.PMCR_EL0, 1, 0);
        long v = t.rd(PmuRegister.PMEVCNTR_EL0, 0, 1_000).value();
        t.exit(1_000);
        return v;
    }

    @Test
    void everyVcpuStaysEmulatedAndHpmnStaysN() {
        VpmuTestbed t = withPlugin();
        long value = session(t);
        assertThat(value).isEqualTo(2_000);
        assertThat(t.vp.accessMode()).isEqualTo(GuestAccessMode.EMULATED);
        assertThat(t.kvm.cpuView(0).hpmn()).isEqualTo(6);
        assertThat(t.vp.stats().untrappedAccesses()).isZero();
        assertThat(t.kvm.stats().hpmnChanges()).isZero();
    }

    @Test
    void aDirectVcpuIsMadeEmulatedAgainAtItsNextLoad() {
        VpmuTestbed t = withPlugin();
        t.kvm.control().setGuestAccess(t.vp.view(), GuestAccessMode.DIRECT);
        t.enter(0, 0);
        assertThat(t.vp.accessMode()).isEqualTo(GuestAccessMode.EMULATED);
        assertThat(t.rd(PmuRegister.PMCCNTR_EL0, 0).trapped()).isTrue();
    }

    @Test
    void itChargesExactlyWhatRunningWithoutAPolicyCharges() {
        VpmuTestbed plugin = withPlugin();
        VpmuTestbed none = VpmuTestbed.builder().build();
        assertThat(session(plugin)).isEqualTo(session(none));
        assertThat(plugin.sink.charges()).isEqualTo(none.sink.charges());
        // Four accesses of the guest's PMU reset, three to program, one read.
        assertThat(plugin.sink.count(KernelCost.TRAP_SYSREG_EMULATION)).isEqualTo(8);
    }
}
