package dev.pmulab.policy.composite;

import static dev.pmulab.policy.composite.Fakes.cores;
import static dev.pmulab.policy.composite.Fakes.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.Errno;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SelectionPolicy;
import dev.pmulab.api.Settings;
import dev.pmulab.api.testing.RecordingVmm;
import dev.pmulab.policy.composite.Fakes.FakeHost;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class DefaultPmuPolicyTest {
    private static final FakeHost BIG_LITTLE =
            new FakeHost(cores("armv8_cortex_a55", 6, 0, 4), cores("armv9_cortex_a710", 20, 4, 4));
    private final DefaultPmuDescriptor descriptor = new DefaultPmuDescriptor();

    private SelectionPolicy policy(Map<String, ?> settings) {
        Settings s = Fakes.settings(descriptor, settings);
        assertThat(descriptor.validate(s)).isEmpty();
        return (SelectionPolicy) Fakes.instantiate(descriptor, s);
    }

    @Test
    void describesItself() {
        assertThat(descriptor.name()).isEqualTo(DefaultPmuDescriptor.NAME).isEqualTo("default-pmu");
        assertThat(descriptor.kind()).isEqualTo(PolicyKind.SELECTION);
        assertThat(descriptor.description()).contains("default PMU");
    }

    @Test
    void nrCountersDefaultsToUnset() {
        assertThat(Settings.defaults(descriptor.settings()).asMap()).containsExactly(Map.entry("nr_counters", -1L));
    }

    @Test
    void moduleBindsTheSelectionPolicy() {
        assertThat(Fakes.instantiate(descriptor, Settings.defaults(descriptor.settings())))
                .isInstanceOf(DefaultPmuPolicy.class);
    }

    @Test
    void makesNoCallByDefault() {
        RecordingVmm vmm = new RecordingVmm();
        policy(Map.of()).configureVm(vm(5, 0, 1, 2, 3, 4, 5, 6, 7), BIG_LITTLE, vmm);
        assertThat(vmm.calls).isEmpty();
    }

    @Test
    void setsOnlyTheCounterCountWhenAsked() {
        RecordingVmm vmm = new RecordingVmm();
        policy(Map.of("nr_counters", 4L)).configureVm(vm(0, 0, 1, 2, 3, 4, 5, 6, 7), BIG_LITTLE, vmm);
        assertThat(vmm.calls).containsExactly("setNrCounters(4)");
    }

    @ParameterizedTest
    @CsvSource({"-2", "32", "100"})
    void rejectsACounterCountOutsideTheArchitecture(long n) {
        assertThat(descriptor.validate(Fakes.settings(descriptor, Map.of("nr_counters", n))))
                .containsExactly("nr_counters must be -1 (leave PMCR_EL0.N alone) or 0..31, not " + n);
    }

    @ParameterizedTest
    @CsvSource({"-1", "0", "31"})
    void acceptsTheEdgesOfTheRange(long n) {
        assertThat(descriptor.validate(Fakes.settings(descriptor, Map.of("nr_counters", n))))
                .isEmpty();
    }

    @Test
    void moreCountersThanTheDefaultPmuHasIsFatalAndNamesIt() {
        RecordingVmm vmm = new RecordingVmm().answer("setNrCounters(8)", -Errno.EINVAL);
        assertThatThrownBy(() -> policy(Map.of("nr_counters", 8L)).configureVm(vm(1, 0, 1, 2, 3), BIG_LITTLE, vmm))
                .isInstanceOfSatisfying(VmmPmuSetupException.class, e -> {
                    assertThat(e.errno()).isEqualTo(-22);
                    assertThat(e.policy()).isEqualTo("default-pmu");
                    assertThat(e.vm()).isEqualTo("vm0");
                })
                .hasMessage("selection policy default-pmu, VM vm0: KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS(8) returned "
                        + "-EINVAL: more counters than the VM's PMU has, or no PMU chosen (§1.5); the default PMU is "
                        + "that of CPU 1 (armv8_cortex_a55, 6 counters)");
    }

    @ParameterizedTest
    @CsvSource({
        "16, -EBUSY, PMU INIT already done",
        "19, -ENODEV, no PMUv3 feature",
        "6, -ENXIO, does not know the attribute"
    })
    void everyErrnoIsFatal(int errno, String name, String reason) {
        RecordingVmm vmm = new RecordingVmm().answer("setNrCounters(2)", -errno);
        assertThatThrownBy(() -> policy(Map.of("nr_counters", 2L)).configureVm(vm(4, 4, 5), BIG_LITTLE, vmm))
                .isInstanceOf(VmmPmuSetupException.class)
                .hasMessageContaining("default-pmu")
                .hasMessageContaining("returned " + name + ": ")
                .hasMessageContaining(reason)
                .hasMessageContaining("armv9_cortex_a710");
        assertThat(vmm.calls).containsExactly("setNrCounters(2)");
    }
}
