package dev.pmulab.kvm.vpmu;

import static dev.pmulab.hw.PmuRegister.PMCCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCNTENSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMCR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVTYPER_EL0;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.Settings;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.kvm.perf.PerfEvent;
import dev.pmulab.kvm.perf.PerfEventState;
import dev.pmulab.policy.dynamichpmn.SysfsWritableDescriptor;
import dev.pmulab.policy.dynamichpmn.TrapAndGrowDescriptor;
import dev.pmulab.policy.dynamichpmn.VcpuLoadReschedDescriptor;
import dev.pmulab.policy.statichpmn.StaticHpmnDescriptor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The four partitioning policies, built as the engine builds them (descriptor, settings, Guice),
 * drive KVM's control surface on a host with a pinned cycles event (a watchdog) and a flexible
 * event: nothing is refused, nothing crosses between host and guest, the guest's direct counters
 * count exactly its time, and the host's pinned event never loses its counter.
 */
final class PartitioningPoliciesOnKvmTest {
    private record Context(String policyName, long seed) implements PolicyContext {}

    static Stream<Arguments> policies() {
        return Stream.of(
                Arguments.of(new StaticHpmnDescriptor(), Map.of("reserved_host_counters", 2L, "opt_in", true)),
                Arguments.of(new VcpuLoadReschedDescriptor(), Map.of("reserved_host_counters", 2L, "opt_in", true)),
                Arguments.of(new SysfsWritableDescriptor(), Map.of("reserved_host_counters", 2L, "opt_in", true)),
                Arguments.of(new TrapAndGrowDescriptor(), Map.of("start", 1L, "cap", 4L, "opt_in", true)));
    }

    private static AllocationPolicy build(PolicyDescriptor d, Map<String, ?> given) {
        Settings settings = Settings.of(d.settings(), given);
        assertThat(d.validate(settings)).isEmpty();
        return Guice.createInjector(
                        new AbstractModule() {
                            @Override
                            protected void configure() {
                                bind(Settings.class).toInstance(settings);
                                bind(PolicyContext.class).toInstance(new Context(d.name(), 1));
                            }
                        },
                        d.module(settings))
                .getInstance(AllocationPolicy.class);
    }

    @Test
    void sysfsWritesMoveHpmnUnderARunningGuestAndEndThePartition() {
        SysfsWritableDescriptor d = new SysfsWritableDescriptor();
        VpmuTestbed t = VpmuTestbed.builder()
                .policy(build(d, Map.of("reserved_host_counters", 2L, "opt_in", true)), d.name())
                .partition(true)
                .build();
        PerfEvent watchdog = t.hostEvent(0, Events.CPU_CYCLES, true, 0);
        t.enter(0, 0);
        t.guestPmuReset(0);
        for (int i = 0; i < 4; i++) {
            t.wr(PMEVTYPER_EL0, i, Events.INST_RETIRED, 0);
        }
        t.wr(PMCNTENSET_EL0, 0b1111, 0);
        t.wr(PMCR_EL0, 1, 0);
        assertThat(t.pe().effectiveHpmn()).isEqualTo(4);

        t.guest(ExceptionLevel.EL1, 1_000);
        t.kvm.adminWrite("reserved_host_counters", 3, 1_000); // HPMN 4 → 3 under the running guest

        assertThat(t.pe().effectiveHpmn()).isEqualTo(3);
        // The guest's range shrinks, so the policy moves HPMN first (KVM saves counter 3) and only
        // then reschedules host perf: the host's pinned event lands on counter 3 without a breach.
        assertThat(t.kvm.stats().hostIsolationBreaches()).isZero();
        assertThat(t.perf.eventOnCounter(0, 3)).isSameAs(watchdog);
        assertThat(t.rd(PMEVCNTR_EL0, 0, 2_000).value()).isEqualTo(4_000);
        // Counter 3 is the host's now; the guest's access to it traps and is emulated on the saved state.
        GuestAccess outside = t.rd(PMEVCNTR_EL0, 3, 2_000);
        assertThat(outside.trapped()).isTrue();
        assertThat(t.vp.stats().outsideShareEmulated()).isEqualTo(1);
        assertThat(t.vp.stats().counter(3).stoppedEpisodes()).isEqualTo(1);
        assertThat(t.vp.stats().counter(0).stoppedEpisodes()).isZero();
        assertThat(t.vp.stats().visibleNChanges()).isEqualTo(1);

        t.kvm.adminWrite("reserved_host_counters", -1, 2_000); // no partition: emulated at once

        assertThat(t.vp.accessMode()).isEqualTo(GuestAccessMode.EMULATED);
        assertThat(t.pe().effectiveHpmn()).isEqualTo(6);
        // The policy makes the vCPU emulated before it gives the counters back: the guest's new pinned
        // events meet the host's cntr_mask (3..5) beside the watchdog, and the last two go to ERROR.
        assertThat(t.vp.emul.event(0).state()).isEqualTo(PerfEventState.ACTIVE);
        assertThat(t.vp.emul.event(2).state()).isEqualTo(PerfEventState.ERROR);
        assertThat(t.vp.emul.event(3).state()).isEqualTo(PerfEventState.ERROR);
        long c2 = t.rd(PMEVCNTR_EL0, 2, 2_000).value();
        assertThat(t.rd(PMEVCNTR_EL0, 0, 3_000).value()).isEqualTo(6_000);
        assertThat(t.rd(PMEVCNTR_EL0, 2, 3_000).value()).isEqualTo(c2); // silently stopped
        t.wr(PMCNTENSET_EL0, 0b1100, 3_000); // the guest re-enables: perf_event_enable leaves ERROR
        assertThat(t.rd(PMEVCNTR_EL0, 2, 4_000).value() - c2).isEqualTo(2_000);
        t.exit(4_000);
        VcpuPmuStats v = t.vp.stats();
        assertThat(v.counter(2).stoppedEpisodes()).isEqualTo(1); // ERROR
        assertThat(v.counter(3).stoppedEpisodes()).isEqualTo(1); // HPMN lowered; still stopped in ERROR
        assertThat(v.counter(0).stoppedEpisodes()).isZero();
        assertThat(v.visibleNChanges()).isEqualTo(2); // 4 → 3 → 6
        assertThat(t.kvm.stats().refusedControls()).isZero();
        assertThat(t.kvm.stats().isolationBreaches()).isZero();
        assertThat(t.kvm.stats().guestVisibleNNotes()).isEqualTo(2);
        assertThat(watchdog.state()).isEqualTo(PerfEventState.ACTIVE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void aGuestCountsItsOwnTimeBesideTheHostsEventsWithNothingRefusedOrCrossed(
            PolicyDescriptor d, Map<String, ?> settings) {
        VpmuTestbed t = VpmuTestbed.builder()
                .policy(build(d, settings), d.name())
                .partition(true)
                .build();
        PerfEvent watchdog = t.hostEvent(0, Events.CPU_CYCLES, true, 0);
        PerfEvent flexible = t.hostEvent(0, Events.L1D_CACHE, false, 0);

        t.enter(0, 0);
        t.guestPmuReset(0);
        for (int i = 0; i < 4; i++) {
            t.wr(PMEVTYPER_EL0, i, Events.INST_RETIRED, 0);
            // perf's armpmu_event_set_period: PMCR_EL0.P only reached the counters then below HPMN.
            t.wr(PMEVCNTR_EL0, i, 0, 0);
        }
        t.wr(PMCNTENSET_EL0, 0b1111 | 1L << 31, 0);
        t.wr(PMCR_EL0, 1, 0);
        t.exit(1_000, 1_500);
        t.pe(0).advanceTo(2_000);
        t.enter(0, 2_000);
        long[] values = new long[4];
        for (int i = 0; i < 4; i++) {
            values[i] = t.rd(PMEVCNTR_EL0, i, 3_000).value();
        }
        long cycles = t.rd(PMCCNTR_EL0, 3_000).value();
        t.exit(3_000);

        assertThat(t.vp.accessMode()).as(d.name()).isEqualTo(GuestAccessMode.DIRECT);
        assertThat(values).as(d.name()).containsOnly(2 * 2_000L); // INST_RETIRED at 2/ns, 2000 ns of guest EL1
        assertThat(cycles).as(d.name()).isEqualTo(3 * 2_000L);
        KvmPmuStats s = t.kvm.stats();
        assertThat(s.refusedControls()).as(d.name()).isZero();
        assertThat(s.isolationBreaches()).as(d.name()).isZero();
        assertThat(watchdog.state()).as(d.name()).isNotEqualTo(PerfEventState.ERROR);
        assertThat(t.perf.read(watchdog, 3_000)).as(d.name()).isPositive();
        assertThat(t.perf.read(flexible, 3_000)).as(d.name()).isPositive();
        VcpuPmuStats v = t.vp.stats();
        assertThat(v.counter(0).coverage()).as(d.name()).isEqualTo(1.0);
        assertThat(v.filterLeaks()).isZero();
    }
}
