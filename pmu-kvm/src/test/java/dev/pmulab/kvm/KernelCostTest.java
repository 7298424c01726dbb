package dev.pmulab.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

final class KernelCostTest {
    @Test
    void aKeyIsAnIdOrANameInAnyCase() {
        assertThat(KernelCost.fromKey("C9")).contains(KernelCost.PERF_EVENT_CREATE);
        assertThat(KernelCost.fromKey("c12")).contains(KernelCost.PERF_PMU_RESCHED);
        assertThat(KernelCost.fromKey("perf_event_destroy")).contains(KernelCost.PERF_EVENT_DESTROY);
        assertThat(KernelCost.fromKey("C15")).isEmpty();
        assertThat(KernelCost.fromKey("")).isEmpty();
    }

    @Test
    void theCostsCountedAgainstTheKernelPathHaveARangeAndSayWhereTheirDefaultLies() {
        List<KernelCost> counted = Arrays.stream(KernelCost.values())
                .filter(c -> c.sourcedBase().isPresent())
                .toList();
        assertThat(counted)
                .containsExactly(
                        KernelCost.PERF_EVENT_READ_VALUE,
                        KernelCost.PERF_EVENT_CREATE,
                        KernelCost.PERF_EVENT_DESTROY,
                        KernelCost.PERF_PMU_RESCHED,
                        KernelCost.PERF_EVENT_DISABLE,
                        KernelCost.PMU_IRQ_HANDLING,
                        KernelCost.GUEST_OVERFLOW_INJECT_LOCAL,
                        KernelCost.EXIT_GUEST_TIMED);
        for (KernelCost c : counted) {
            // A count is reasoning, not a measurement: still an estimate, and its text starts with it.
            assertThat(c.flag()).as(c.id()).isEqualTo(KernelCost.Flag.ESTIMATE);
            assertThat(c.source()).as(c.id()).startsWith("code count: ");
            boolean inside = c.sourcedBase().orElseThrow().contains(c.defaultBaseNs())
                    && c.sourcedPerUnit()
                            .map(r -> r.contains(c.defaultPerUnitNs()))
                            .orElse(true);
            // A default outside its range says so, so the reports never show it as the count's value.
            assertThat(c.source().contains("this default is above it")
                            || c.source().contains("this default is below it")
                            || c.source().contains("above this default"))
                    .as(c.id())
                    .isEqualTo(!inside);
        }
        // Only C12's per-event part was counted (C14's was not).
        assertThat(KernelCost.PERF_PMU_RESCHED.sourcedPerUnit()).contains(new KernelCost.Range(300, 500));
        assertThat(KernelCost.PERF_ROTATE_CONTEXT.sourcedPerUnit()).isEmpty();
        assertThat(KernelCost.TRAP_SYSREG_EMULATION.sourcedBase()).isEmpty();
        // C24 is a share of a full exit: it can be no more than the measured hvc round trip (C2).
        assertThat(KernelCost.EXIT_GUEST_TIMED.sourcedBase().orElseThrow().highNs())
                .isLessThan(KernelCost.HVC_ROUND_TRIP.defaultBaseNs());
    }

    @Test
    void aRangeIncludesBothEnds() {
        KernelCost.Range r = new KernelCost.Range(800, 1200);
        assertThat(r.contains(800)).isTrue();
        assertThat(r.contains(1200)).isTrue();
        assertThat(r.contains(1201)).isFalse();
        assertThatThrownBy(() -> new KernelCost.Range(5, 4)).hasMessage("not a range of ns: 5..4");
    }
}
