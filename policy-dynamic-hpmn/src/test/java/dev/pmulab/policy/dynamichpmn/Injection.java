package dev.pmulab.policy.dynamichpmn;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.Settings;
import dev.pmulab.api.testing.PolicyFixture;

/** Builds a descriptor's policy as the core does: Settings and PolicyContext bound, constructor injection only. */
final class Injection {
    private Injection() {}

    static AllocationPolicy policyOf(PolicyDescriptor descriptor, Settings settings) {
        return Guice.createInjector(
                        new AbstractModule() {
                            @Override
                            protected void configure() {
                                binder().requireAtInjectOnConstructors();
                                binder().disableCircularProxies();
                                bind(Settings.class).toInstance(settings);
                                bind(PolicyContext.class).toInstance(new PolicyFixture.Context(descriptor.name(), 5));
                            }
                        },
                        descriptor.module(settings))
                .getInstance(AllocationPolicy.class);
    }
}
