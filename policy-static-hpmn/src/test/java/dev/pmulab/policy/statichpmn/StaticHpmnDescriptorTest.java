package dev.pmulab.policy.statichpmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import dev.pmulab.api.testing.PolicyFixture;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

final class StaticHpmnDescriptorTest {
    private final StaticHpmnDescriptor descriptor = new StaticHpmnDescriptor();

    private Settings settings(Map<String, ?> given) {
        return Settings.of(descriptor.settings(), given);
    }

    @Test
    void nameKindAndDescription() {
        assertThat(descriptor.name()).isEqualTo("static-hpmn").isEqualTo(StaticHpmnDescriptor.NAME);
        assertThat(descriptor.kind()).isEqualTo(PolicyKind.ALLOCATION);
        assertThat(descriptor.description()).contains("HPMN").contains("reserved_host_counters");
    }

    @Test
    void settingsDefaultToTwoHostCountersAndThePerVmOptIn() {
        assertThat(descriptor.settings())
                .extracting(SettingSpec::name)
                .containsExactly("reserved_host_counters", "opt_in");
        assertThat(descriptor.settings())
                .allSatisfy(s -> assertThat(s.description()).isNotBlank());
        Settings defaults = Settings.defaults(descriptor.settings());
        assertThat(defaults.getLong("reserved_host_counters")).isEqualTo(2);
        assertThat(defaults.getBoolean("opt_in")).isTrue();
        assertThat(StaticHpmnSettings.SCHEMA.read(defaults)).isEqualTo(new StaticHpmnSettings(2, true));
        assertThat(StaticHpmnSettings.SCHEMA.read(defaults).partitioned()).isTrue();
    }

    @Test
    void validationNamesTheSettingAndTheAllowedValues() {
        assertThat(descriptor.validate(Settings.defaults(descriptor.settings())))
                .isEmpty();
        assertThat(descriptor.validate(settings(Map.of("reserved_host_counters", 0L))))
                .isEmpty();
        assertThat(descriptor.validate(settings(Map.of("reserved_host_counters", 31L))))
                .isEmpty();
        assertThat(descriptor.validate(settings(Map.of("reserved_host_counters", -2L))))
                .containsExactly("reserved_host_counters must be -1 (no partition) or 0..31, not -2");
        assertThat(descriptor.validate(settings(Map.of("reserved_host_counters", 32L))))
                .containsExactly("reserved_host_counters must be -1 (no partition) or 0..31, not 32");
        assertThatThrownBy(() -> StaticHpmnSettings.SCHEMA.read(settings(Map.of("reserved_host_counters", -5L))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved_host_counters must be -1");
    }

    @Test
    void theModuleBindsTheAllocationPolicyByConstructorInjection() {
        Settings settings = settings(Map.of("reserved_host_counters", 2L));
        Injector injector = Guice.createInjector(
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        binder().requireAtInjectOnConstructors();
                        bind(Settings.class).toInstance(settings);
                        bind(PolicyContext.class).toInstance(new PolicyFixture.Context("static-hpmn", 3));
                    }
                },
                descriptor.module(settings));
        assertThat(injector.getInstance(AllocationPolicy.class)).isInstanceOf(StaticHpmnPolicy.class);
        assertThat(injector.getInstance(StaticHpmnSettings.class))
                .as("the typed settings, for the policy to inject")
                .isEqualTo(new StaticHpmnSettings(2, true));
    }

    @Test
    void serviceLoaderFindsTheDescriptor() {
        assertThat(ServiceLoader.load(PolicyDescriptor.class).stream().map(ServiceLoader.Provider::type))
                .contains(StaticHpmnDescriptor.class);
    }
}
