package dev.pmulab.policy.dynamichpmn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

final class TrapAndGrowDescriptorTest {
    private final TrapAndGrowDescriptor descriptor = new TrapAndGrowDescriptor();

    private Settings settings(Map<String, ?> given) {
        return Settings.of(descriptor.settings(), given);
    }

    @Test
    void nameKindAndDescription() {
        assertThat(descriptor.name()).isEqualTo("trap-and-grow").isEqualTo(TrapAndGrowDescriptor.NAME);
        assertThat(descriptor.kind()).isEqualTo(PolicyKind.ALLOCATION);
        assertThat(descriptor.description()).contains("grows").contains("vcpu_put");
    }

    @Test
    void settingsDefaultToASmallStartNoCapAndDisplacingFlexibleHostEvents() {
        assertThat(descriptor.settings())
                .extracting(SettingSpec::name)
                .containsExactly("start", "cap", "displace_flexible", "opt_in");
        assertThat(descriptor.settings())
                .allSatisfy(s -> assertThat(s.description()).isNotBlank());
        assertThat(TrapAndGrowSettings.SCHEMA.read(Settings.defaults(descriptor.settings())))
                .isEqualTo(new TrapAndGrowSettings(1, 31, true, true));
    }

    @Test
    void validationNamesTheSettings() {
        assertThat(descriptor.validate(Settings.defaults(descriptor.settings())))
                .isEmpty();
        assertThat(descriptor.validate(settings(Map.of("start", 0L, "cap", 0L))))
                .isEmpty();
        assertThat(descriptor.validate(settings(Map.of("start", 4L, "cap", 2L))))
                .containsExactly("start (4) must not exceed cap (2)");
        assertThat(descriptor.validate(settings(Map.of("start", -1L, "cap", 32L))))
                .containsExactly("start must be 0..31, not -1; cap must be 0..31, not 32");
    }

    @Test
    void theModuleBindsTheAllocationPolicy() {
        assertThat(Injection.policyOf(descriptor, settings(Map.of("cap", 4L)))).isInstanceOf(TrapAndGrowPolicy.class);
    }

    @Test
    void serviceLoaderFindsTheDescriptor() {
        assertThat(ServiceLoader.load(PolicyDescriptor.class).stream().map(ServiceLoader.Provider::type))
                .contains(TrapAndGrowDescriptor.class);
    }
}
