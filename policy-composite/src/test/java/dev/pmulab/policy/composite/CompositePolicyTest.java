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

final class CompositePolicyTest {
    private static final FakeHost BIG_LITTLE =
            new FakeHost(cores("armv8_cortex_a55", 6, 0, 4), cores("armv9_cortex_a710", 20, 4, 4));
    private final CompositeDescriptor descriptor = new CompositeDescriptor();

    private SelectionPolicy policy() {
        return (SelectionPolicy) Fakes.instantiate(descriptor, Settings.defaults(descriptor.settings()));
    }

    @Test
    void describesItselfWithNoSettings() {
        assertThat(descriptor.name()).isEqualTo(CompositeDescriptor.NAME).isEqualTo("composite");
        assertThat(descriptor.kind()).isEqualTo(PolicyKind.SELECTION);
        assertThat(descriptor.settings()).isEmpty();
        assertThatThrownBy(() -> Fakes.settings(descriptor, Map.of("pmu", "largest")))
                .hasMessage("unknown setting pmu");
    }

    @Test
    void moduleBindsTheSelectionPolicy() {
        assertThat(policy()).isInstanceOf(CompositePolicy.class);
    }

    @Test
    void setsFixedCountersOnlyAndPinsNothing() {
        RecordingVmm vmm = new RecordingVmm();
        policy().configureVm(vm(0, 0, 1, 2, 3, 4, 5, 6, 7), BIG_LITTLE, vmm);
        assertThat(vmm.calls).containsExactly("setFixedCountersOnly()");
    }

    @Test
    void ebusyAfterAFilterOrSetPmuIsFatal() {
        RecordingVmm vmm = new RecordingVmm().answer("setFixedCountersOnly()", -Errno.EBUSY);
        assertThatThrownBy(() -> policy().configureVm(vm(0, 0, 1), BIG_LITTLE, vmm))
                .isInstanceOfSatisfying(VmmPmuSetupException.class, e -> {
                    assertThat(e.errno()).isEqualTo(-16);
                    assertThat(e.policy()).isEqualTo("composite");
                })
                .hasMessage("selection policy composite, VM vm0: KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY returned "
                        + "-EBUSY: a vCPU already ran, PMU INIT already done, an event filter is set, or SET_PMU was "
                        + "used: FIXED_COUNTERS_ONLY excludes FILTER and SET_PMU (Odaki v8, §1.7, §4.4)");
    }

    @ParameterizedTest
    @CsvSource({"6, -ENXIO, unmerged RFC", "19, -ENODEV, no PMUv3 feature", "22, -EINVAL, not a documented result"})
    void everyOtherErrnoIsFatalToo(int errno, String name, String reason) {
        RecordingVmm vmm = new RecordingVmm().answer("setFixedCountersOnly()", -errno);
        assertThatThrownBy(() -> policy().configureVm(vm(0, 0), BIG_LITTLE, vmm))
                .isInstanceOf(VmmPmuSetupException.class)
                .hasMessageContaining("FIXED_COUNTERS_ONLY returned " + name + ": ")
                .hasMessageContaining(reason);
        assertThat(vmm.calls).containsExactly("setFixedCountersOnly()");
    }
}
