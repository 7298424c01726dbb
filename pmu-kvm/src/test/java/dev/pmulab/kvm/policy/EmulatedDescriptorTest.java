package dev.pmulab.kvm.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.Settings;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

final class EmulatedDescriptorTest {
    private final EmulatedDescriptor descriptor = new EmulatedDescriptor();

    private record Context(String policyName, long seed) implements PolicyContext {}

    @Test
    void nameKindDescriptionAndNoSettings() {
        assertThat(descriptor.name()).isEqualTo("emulated").isEqualTo(EmulatedDescriptor.NAME);
        assertThat(descriptor.kind()).isEqualTo(PolicyKind.ALLOCATION);
        assertThat(descriptor.description()).contains("perf event").contains("traps");
        assertThat(descriptor.settings()).isEmpty();
        assertThat(descriptor.validate(Settings.defaults(descriptor.settings())))
                .isEmpty();
        assertThatThrownBy(() -> Settings.of(descriptor.settings(), Map.of("reserved_host_counters", 2L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting");
    }

    @Test
    void theModuleBindsTheAllocationPolicyByConstructorInjection() {
        Settings settings = Settings.defaults(descriptor.settings());
        Injector injector = Guice.createInjector(
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        binder().requireAtInjectOnConstructors();
                        bind(Settings.class).toInstance(settings);
                        bind(PolicyContext.class).toInstance(new Context("emulated", 7));
                    }
                },
                descriptor.module(settings));
        AllocationPolicy policy = injector.getInstance(AllocationPolicy.class);
        assertThat(policy).isInstanceOf(EmulatedPolicy.class);
        assertThatThrownBy(() -> policy.adminWrite("reserved_host_counters", 2, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("emulated has no knob");
    }

    @Test
    void serviceLoaderFindsTheDescriptor() {
        assertThat(ServiceLoader.load(PolicyDescriptor.class).stream().map(ServiceLoader.Provider::type))
                .contains(EmulatedDescriptor.class);
    }
}
