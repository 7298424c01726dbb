package dev.pmulab.sim.plugin;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;

/** A policy descriptor found by discovery, with where it came from and the class loader that loaded it. */
public record LoadedPolicy(PolicyDescriptor descriptor, PolicySource source, ClassLoader classLoader) {
    public LoadedPolicy {
        requireNonNull(descriptor, "descriptor is null");
        requireNonNull(source, "source is null");
        requireNonNull(classLoader, "classLoader is null");
    }

    public String name() {
        return descriptor.name();
    }

    public PolicyKind kind() {
        return descriptor.kind();
    }
}
