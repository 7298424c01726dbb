package dev.pmulab.policy.dynamichpmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

final class VcpuLoadReschedDescriptorTest {
    private final VcpuLoadReschedDescriptor descriptor = new VcpuLoadReschedDescriptor();

    private Settings settings(Map<String, ?> given) {
        return Settings.of(descriptor.settings(), given);
    }

    @Test
    void nameKindAndDescription() {
        assertThat(descriptor.name()).isEqualTo("vcpu-load-resched").isEqualTo(VcpuLoadReschedDescriptor.NAME);
        assertThat(descriptor.kind()).isEqualTo(PolicyKind.ALLOCATION);
        assertThat(descriptor.description()).contains("vcpu_load").contains("rescheduled only");
    }

    @Test
    void settingsDefaultToALimitOfEveryCounterAndThePerVmOptIn() {
        assertThat(descriptor.settings())
                .extracting(SettingSpec::name)
                .containsExactly("reserved_host_counters", "opt_in");
        assertThat(descriptor.settings())
                .allSatisfy(s -> assertThat(s.description()).isNotBlank());
        Settings defaults = Settings.defaults(descriptor.settings());
        assertThat(VcpuLoadReschedSettings.SCHEMA.read(defaults)).isEqualTo(new VcpuLoadReschedSettings(0, true));
        assertThat(VcpuLoadReschedSettings.SCHEMA.read(defaults).partitioned()).isTrue();
    }

    @Test
    void validationNamesTheSetting() {
        assertThat(descriptor.validate(Settings.defaults(descriptor.settings())))
                .isEmpty();
        assertThat(descriptor.validate(settings(Map.of("reserved_host_counters", -1L))))
                .isEmpty();
        assertThat(descriptor.validate(settings(Map.of("reserved_host_counters", -3L))))
                .containsExactly("reserved_host_counters must be -1 (no partition) or 0..31, not -3");
        assertThat(descriptor.validate(settings(Map.of("reserved_host_counters", 40L))))
                .containsExactly("reserved_host_counters must be -1 (no partition) or 0..31, not 40");
        assertThatThrownBy(() -> new VcpuLoadReschedSettings(-4, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved_host_counters");
    }

    @Test
    void theModuleBindsTheAllocationPolicy() {
        assertThat(Injection.policyOf(descriptor, settings(Map.of("reserved_host_counters", 2L))))
                .isInstanceOf(VcpuLoadReschedPolicy.class);
    }

    @Test
    void serviceLoaderFindsTheDescriptor() {
        assertThat(ServiceLoader.load(PolicyDescriptor.class).stream().map(ServiceLoader.Provider::type))
                .contains(VcpuLoadReschedDescriptor.class);
    }
}
