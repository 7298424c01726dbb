package dev.pmulab.policy.dynamichpmn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

final class SysfsWritableDescriptorTest {
    private final SysfsWritableDescriptor descriptor = new SysfsWritableDescriptor();

    private Settings settings(Map<String, ?> given) {
        return Settings.of(descriptor.settings(), given);
    }

    @Test
    void nameKindAndDescription() {
        assertThat(descriptor.name()).isEqualTo("sysfs-writable").isEqualTo(SysfsWritableDescriptor.NAME);
        assertThat(descriptor.kind()).isEqualTo(PolicyKind.ALLOCATION);
        assertThat(descriptor.description()).contains("reserved_host_counters").contains("every CPU");
    }

    @Test
    void settingsDefaultToNoPartitionAtBootAndThePerVmOptIn() {
        assertThat(descriptor.settings())
                .extracting(SettingSpec::name)
                .containsExactly("reserved_host_counters", "opt_in");
        assertThat(descriptor.settings())
                .allSatisfy(s -> assertThat(s.description()).isNotBlank());
        assertThat(SysfsWritableSettings.SCHEMA.read(Settings.defaults(descriptor.settings())))
                .isEqualTo(new SysfsWritableSettings(-1, true));
    }

    @Test
    void validationNamesTheSetting() {
        assertThat(descriptor.validate(settings(Map.of("reserved_host_counters", 0L))))
                .isEmpty();
        assertThat(descriptor.validate(settings(Map.of("reserved_host_counters", -7L))))
                .containsExactly("reserved_host_counters must be -1 (no partition) or 0..31, not -7");
    }

    @Test
    void theModuleBindsTheAllocationPolicy() {
        assertThat(Injection.policyOf(descriptor, Settings.defaults(descriptor.settings())))
                .isInstanceOf(SysfsWritablePolicy.class);
    }

    @Test
    void serviceLoaderFindsTheDescriptor() {
        assertThat(ServiceLoader.load(PolicyDescriptor.class).stream().map(ServiceLoader.Provider::type))
                .contains(SysfsWritableDescriptor.class);
    }
}
