package dev.pmulab.sim.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.kvm.KernelCost;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class CostModelTest {
    @Test
    void chargesDefaultsWithPerUnitParts() {
        CostModel m = CostModel.defaults();
        assertThat(m.charge(KernelCost.TRAP_SYSREG_EMULATION, 0)).isEqualTo(451);
        // C12: 1000 ns + 200 ns per event on the PMU.
        assertThat(m.charge(KernelCost.PERF_PMU_RESCHED, 5)).isEqualTo(2000);
        assertThat(m.occurrences(KernelCost.PERF_PMU_RESCHED)).isEqualTo(1);
    }

    @Test
    void overridesReplaceDefaultsAndAreNotReportedAsEstimates() {
        CostModel m = new CostModel(Map.of(KernelCost.PERF_EVENT_CREATE, new CostModel.Price(4000, 0)));
        m.charge(KernelCost.PERF_EVENT_CREATE, 0);
        m.charge(KernelCost.PERF_EVENT_DESTROY, 0);
        m.charge(KernelCost.HVC_ROUND_TRIP, 0);
        assertThat(m.used())
                .extracting(CostModel.Use::cost)
                .containsExactly(
                        KernelCost.HVC_ROUND_TRIP, KernelCost.PERF_EVENT_CREATE, KernelCost.PERF_EVENT_DESTROY);
        // C2 is measured, C9 is overridden: only C10 remains a default estimate the result leans on.
        assertThat(m.estimatesLeanedOn())
                .extracting(CostModel.Use::cost)
                .containsExactly(KernelCost.PERF_EVENT_DESTROY);
        assertThat(m.used().get(1).totalNs()).isEqualTo(4000);
    }
}
