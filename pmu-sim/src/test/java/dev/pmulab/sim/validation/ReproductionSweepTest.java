package dev.pmulab.sim.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.PmuUsage;
import dev.pmulab.sim.scenario.RunLength;
import dev.pmulab.sim.scenario.Sampling;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.VmSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ReproductionSweepTest {
    private final Scenario base = BuiltInScenarios.load(Benchmark.GZIP_PERF_RECORD.scenario());

    @Test
    void everyBenchmarkHasItsBuiltInScenarioWithBothPolicies() {
        for (Benchmark b : Benchmark.values()) {
            Scenario s = BuiltInScenarios.load(b.scenario());
            assertThat(s.policies().allocation())
                    .extracting(c -> c.name())
                    .contains(Benchmark.BEFORE_POLICY, Benchmark.AFTER_POLICY);
        }
    }

    @Test
    void aVariantChangesOnlyTheSampleRateTheEventsAndTheWork() {
        Scenario v = Reproduction.variant(base, 4000, 8);

        PmuUsage.PerfRecord original = perfRecord(base.vms().get(0));
        PmuUsage.PerfRecord changed = perfRecord(v.vms().get(0));
        assertThat(changed.sampling()).isEqualTo(Sampling.frequencyHz(4000));
        assertThat(changed.groups()).isEqualTo(original.groups().subList(0, 8));
        assertThat(changed.scope()).isEqualTo(original.scope());
        assertThat(v.run()).isEqualTo(new RunLength.UntilWorkDone("vm0", 3_000_000_000L, 5_000_000_000L));
        assertThat(v.host()).isEqualTo(base.host());
        assertThat(v.policies()).isEqualTo(base.policies());
        assertThat(v.vms().get(0).withPmuUsage(base.vms().get(0).pmuUsage()))
                .isEqualTo(base.vms().get(0));
        assertThat(v.seed()).isEqualTo(base.seed());
    }

    @Test
    void theSweepHasEachConfigurationOnceTheLettersIncluded() {
        // 3 rates at 15 events, then 4, 8 and 12 events at 1000 Hz (15 at 1000 Hz is already there).
        assertThat(Reproduction.sweepVariants())
                .containsExactly(
                        new Reproduction.Variant(250, 15),
                        new Reproduction.Variant(1000, 15),
                        new Reproduction.Variant(4000, 15),
                        new Reproduction.Variant(1000, 4),
                        new Reproduction.Variant(1000, 8),
                        new Reproduction.Variant(1000, 12));
    }

    @Test
    void aScenarioThatNoLongerMatchesTheLetterIsRefused() {
        Scenario other = Reproduction.variant(base, 4000, 8);
        assertThatThrownBy(() -> Reproduction.variant(other, 250, 4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no longer records 15 events at 1000 Hz");
        Scenario fixed = BuiltInScenarios.load(Benchmark.STRESS_NG_PERF_RECORD.scenario());
        assertThatThrownBy(() -> Reproduction.variant(fixed, 250, 4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no longer runs until its work is done");
    }

    private static PmuUsage.PerfRecord perfRecord(VmSpec vm) {
        List<PmuUsage.PerfRecord> r = vm.pmuUsage().stream()
                .filter(PmuUsage.PerfRecord.class::isInstance)
                .map(PmuUsage.PerfRecord.class::cast)
                .toList();
        assertThat(r).hasSize(1);
        return r.get(0);
    }
}
