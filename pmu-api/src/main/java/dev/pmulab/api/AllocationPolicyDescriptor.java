package dev.pmulab.api;

/**
 * The base of an allocation policy's descriptor: a subclass passes its name, one line of
 * description, its {@link SettingsSchema} and its {@link AllocationPolicy} implementation, and
 * overrides {@link #behaviors()} if it declares more than the defaults. The policy is built by
 * constructor injection and may inject its typed settings and {@link PolicyContext}.
 *
 * @param <S> the typed settings ({@code Void} for none)
 */
@Stable(since = "0.1")
public abstract class AllocationPolicyDescriptor<S> extends TypedPolicyDescriptor<S> {
    protected AllocationPolicyDescriptor(
            String name, String description, SettingsSchema<S> settings, Class<? extends AllocationPolicy> policy) {
        super(name, PolicyKind.ALLOCATION, description, settings, AllocationPolicy.class, policy);
    }
}
