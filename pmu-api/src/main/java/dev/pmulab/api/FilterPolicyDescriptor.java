package dev.pmulab.api;

/**
 * The base of a filter policy's descriptor: a subclass passes its name, one line of
 * description, its {@link SettingsSchema} and its {@link FilterPolicy} implementation, and
 * overrides {@link #behaviors()} if it declares more than the defaults. The policy is built by
 * constructor injection and may inject its typed settings and {@link PolicyContext}.
 *
 * @param <S> the typed settings ({@code Void} for none)
 */
@Stable(since = "0.1")
public abstract class FilterPolicyDescriptor<S> extends TypedPolicyDescriptor<S> {
    protected FilterPolicyDescriptor(
            String name, String description, SettingsSchema<S> settings, Class<? extends FilterPolicy> policy) {
        super(name, PolicyKind.FILTER, description, settings, FilterPolicy.class, policy);
    }
}
