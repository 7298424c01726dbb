package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auto.service.AutoService;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.Settings;
import dev.pmulab.api.VcpuView;
import dev.pmulab.sim.report.ComparisonReport;
import dev.pmulab.sim.report.RunReport;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A policy that throws fails its own run; the other runs of the comparison complete and are reported. */
final class FaultIsolationTest {

    @AutoService(PolicyDescriptor.class)
    public static final class ThrowingAtLoadDescriptor implements PolicyDescriptor {
        @Override
        public String name() {
            return "test-throws-at-vcpu-load";
        }

        @Override
        public PolicyKind kind() {
            return PolicyKind.ALLOCATION;
        }

        @Override
        public String description() {
            return "divides by zero at every vcpu_load (a test policy)";
        }

        @Override
        public Module module(Settings settings) {
            return new AbstractModule() {
                @Override
                protected void configure() {
                    bind(AllocationPolicy.class).to(ThrowingAtLoad.class);
                }
            };
        }
    }

    public static final class ThrowingAtLoad implements AllocationPolicy {
        @Inject
        public ThrowingAtLoad() {}

        @Override
        public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
            int zero = cpu.counters() - cpu.counters();
            if (cpu.counters() / zero > 0) {
                throw new IllegalStateException("unreachable");
            }
        }
    }

    private static final String SCENARIO = """
            name: fault-isolation
            description: three policies, one of which throws
            seed: 2
            run: {duration: 50ms}
            host:
              cpus: [{core: neoverse-n2, count: 2}]
            vms:
              - name: vm0
                vcpus: 1
                pmu_usage: {kind: perf-stat, events: [cycles, instructions]}
                workload: cpu-bound
            """;

    @Test
    void aThrowingPolicyFailsOnlyItsRunAndIsNamedWithItsHook() {
        ComparisonReport report =
                Runs.compare(SCENARIO, List.of("emulated", "test-throws-at-vcpu-load", "vcpu-load-resched"));
        assertThat(report.runs())
                .extracting(RunReport::status)
                .containsExactly(RunReport.Status.OK, RunReport.Status.FAILED, RunReport.Status.OK);
        assertThat(report.runs().get(1).error())
                .isEqualTo("policy test-throws-at-vcpu-load failed in vcpu_load: / by zero");
        assertThat(report.runs().get(0).metrics().isEmpty()).isFalse();
        assertThat(report.runs().get(2).metrics().isEmpty()).isFalse();
    }
}
