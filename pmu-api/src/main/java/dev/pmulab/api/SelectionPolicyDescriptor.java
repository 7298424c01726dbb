package dev.pmulab.api;

/**
 * The base of a selection policy's descriptor: a subclass passes its name, one line of
 * description, its {@link SettingsSchema} and its {@link SelectionPolicy} implementation, and
 * overrides {@link #behaviors()} if it declares more than the defaults. The policy is built by
 * constructor injection and may inject its typed settings and {@link PolicyContext}.
 *
 * @param <S> the typed settings ({@code Void} for none)
 */
@Stable(since = "0.1")
public abstract class SelectionPolicyDescriptor<S> extends TypedPolicyDescriptor<S> {
    protected SelectionPolicyDescriptor(
            String name, String description, SettingsSchema<S> settings, Class<? extends SelectionPolicy> policy) {
        super(name, PolicyKind.SELECTION, description, settings, SelectionPolicy.class, policy);
    }
}
