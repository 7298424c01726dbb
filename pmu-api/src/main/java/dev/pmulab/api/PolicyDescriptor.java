package dev.pmulab.api;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import java.util.List;
import java.util.Set;

/**
 * A policy plugin, as ServiceLoader finds it: register an implementation with
 * {@code @AutoService(PolicyDescriptor.class)}. The engine reads the descriptor, checks the
 * scenario's settings against {@link #settings()}, and builds one Guice injector per run from its
 * core module and {@link #module(Settings)}; the module must bind {@link PolicyKind#policyInterface()}
 * (for example {@code bind(AllocationPolicy.class).to(MyPolicy.class)}), with constructor injection.
 *
 * <p>Most descriptors extend their kind's base ({@link AllocationPolicyDescriptor},
 * {@link SelectionPolicyDescriptor}, {@link FilterPolicyDescriptor}), which implements all of this
 * from a name, a description, a {@link SettingsSchema} and the policy class, and binds the typed
 * settings for the policy to inject. Implement this interface directly only for a module that
 * binds more.
 *
 * <p>What the core binds for a policy to inject: {@link Settings} (this policy's, validated) and
 * {@link PolicyContext}.
 */
@Stable(since = "0.1")
public interface PolicyDescriptor {
    /** Stable, lower-case, hyphenated name that scenarios use: {@code static-hpmn}. */
    String name();

    PolicyKind kind();

    /** One line: what the policy does. */
    String description();

    /** The settings it accepts, with types, defaults and descriptions. Names are {@code snake_case}. */
    default List<SettingSpec> settings() {
        return List.of();
    }

    /**
     * Checks of settings that their types alone do not express (ranges, combinations).
     *
     * @return one message per problem, naming the setting; empty when the settings are valid
     */
    default List<String> validate(Settings settings) {
        return List.of();
    }

    /**
     * What the policy supports and does, for the policy contract kit: it skips the contexts a
     * policy does not support (and reports them skipped) and holds it to what it declares.
     */
    default Set<PolicyBehavior> behaviors() {
        return PolicyBehavior.defaults();
    }

    /** The Guice module for one run with these (validated) settings. */
    Module module(Settings settings);

    /**
     * The module of a policy that needs nothing else bound: {@code implementation} as its kind's
     * policy interface, built by constructor injection. For example
     * {@code return PolicyDescriptor.bindPolicy(AllocationPolicy.class, MyPolicy.class);}.
     */
    static <T> Module bindPolicy(Class<T> policyInterface, Class<? extends T> implementation) {
        requireNonNull(policyInterface, "policyInterface is null");
        requireNonNull(implementation, "implementation is null");
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(policyInterface).to(implementation);
            }
        };
    }
}
