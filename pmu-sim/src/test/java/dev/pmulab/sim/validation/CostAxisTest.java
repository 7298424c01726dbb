package dev.pmulab.sim.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.kvm.KernelCost;
import java.util.List;
import org.junit.jupiter.api.Test;

final class CostAxisTest {
    @Test
    void anIdOrANameInAnyCaseNamesTheFixedPart() {
        CostAxis a = CostAxis.parse("C12=250,500,1000");
        assertThat(a).isEqualTo(new CostAxis(KernelCost.PERF_PMU_RESCHED, false, List.of(250L, 500L, 1000L)));
        assertThat(a.label()).isEqualTo("C12");
        assertThat(a.defaultNs()).isEqualTo(1000);
        assertThat(CostAxis.parse("perf_event_create=1500").cost()).isEqualTo(KernelCost.PERF_EVENT_CREATE);
        assertThat(CostAxis.parse(" c9 = 0, 5000 ").valuesNs()).containsExactly(0L, 5000L);
    }

    @Test
    void perUnitNamesTheSecondPartOfC12AndC14Only() {
        CostAxis a = CostAxis.parse("C12.per_unit=100,400");
        assertThat(a.perUnit()).isTrue();
        assertThat(a.label()).isEqualTo("C12.per_unit");
        assertThat(a.defaultNs()).isEqualTo(200);
        assertThat(CostAxis.parse("PERF_ROTATE_CONTEXT.PER_UNIT=50").cost()).isEqualTo(KernelCost.PERF_ROTATE_CONTEXT);
        assertThatThrownBy(() -> CostAxis.parse("C9.per_unit=100"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "--fit 'C9.per_unit=100': C9 (PERF_EVENT_CREATE) has no per-unit part; only C12 and C14 do");
    }

    @Test
    void badSpecsAreRefusedNamingWhatIsAccepted() {
        assertThatThrownBy(() -> CostAxis.parse("C12")).hasMessageContaining("write KEY=V1,V2,... (ns)");
        assertThatThrownBy(() -> CostAxis.parse("C15=1")).hasMessageContaining("unknown cost 'C15'");
        assertThatThrownBy(() -> CostAxis.parse("C12=1us"))
                .hasMessage("--fit 'C12=1us': '1us' is not a whole number of ns");
        assertThatThrownBy(() -> CostAxis.parse("C12=-5"))
                .hasMessage("--fit 'C12=-5': C12: a cost is not negative, was -5");
        assertThatThrownBy(() -> CostAxis.parse("C12=5,5"))
                .hasMessage("--fit 'C12=5,5': C12: a value is repeated in [5, 5]");
        assertThatThrownBy(() -> CostAxis.parse("C12=5,")).hasMessage("--fit 'C12=5,': '' is not a whole number of ns");
    }
}
