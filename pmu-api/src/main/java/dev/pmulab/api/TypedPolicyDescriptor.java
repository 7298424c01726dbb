package dev.pmulab.api;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the per-kind descriptor bases share: a fixed name, kind and description, settings from a
 * {@link SettingsSchema}, and a module that binds the policy and its typed settings.
 */
abstract class TypedPolicyDescriptor<S> implements PolicyDescriptor {
    private final String name;
    private final PolicyKind kind;
    private final String description;
    private final SettingsSchema<S> settings;
    private final Supplier<Module> policyBinding;

    <T> TypedPolicyDescriptor(
            String name,
            PolicyKind kind,
            String description,
            SettingsSchema<S> settings,
            Class<T> policyInterface,
            Class<? extends T> policy) {
        this.name = requireNonNull(name, "name is null");
        this.kind = kind;
        this.description = requireNonNull(description, "description is null");
        this.settings = requireNonNull(settings, "settings is null");
        requireNonNull(policy, "policy is null");
        // A module per run: Guice modules are not meant to be shared between injectors.
        this.policyBinding = () -> PolicyDescriptor.bindPolicy(policyInterface, policy);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final PolicyKind kind() {
        return kind;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final List<SettingSpec> settings() {
        return settings.specs();
    }

    /** What the typed settings' constructor rejects. */
    @Override
    public final List<String> validate(Settings values) {
        return settings.validate(values);
    }

    /** The policy as its kind's interface, and its typed settings (read from {@code values}) for it to inject. */
    @Override
    public final Module module(Settings values) {
        S typed = settings.read(values);
        Module policy = policyBinding.get();
        return new AbstractModule() {
            @Override
            protected void configure() {
                install(policy);
                if (typed != null) {
                    bind(settings.type()).toInstance(typed);
                }
            }
        };
    }
}
