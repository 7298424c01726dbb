package dev.pmulab.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;

/**
 * A policy's settings as one typed value, usually a record: the settings it declares and how the
 * core's checked {@link Settings} become that value. The value's constructor is the one place a
 * policy checks what the types alone do not (ranges, combinations): it throws an
 * {@link IllegalArgumentException} naming the setting, which {@link #validate} reports before
 * anything runs. The per-kind descriptor bases ({@link AllocationPolicyDescriptor}, ...) bind the
 * value in each run's module, so the policy injects it.
 *
 * @param <S> the typed settings
 */
@Stable(since = "0.1")
public final class SettingsSchema<S> {
    private static final SettingsSchema<Void> NONE = new SettingsSchema<>(Void.class, s -> null, List.of());

    private final Class<S> type;
    private final Function<Settings, ? extends S> reader;
    private final List<SettingSpec> specs;

    private SettingsSchema(Class<S> type, Function<Settings, ? extends S> reader, List<SettingSpec> specs) {
        this.type = type;
        this.reader = reader;
        this.specs = specs;
    }

    /**
     * @param type the typed settings' class, which the policy injects
     * @param reader builds the value from checked settings, e.g. {@code s -> new MySettings(s.getInt(N))}
     * @param specs the settings, as scenarios write them
     */
    public static <S> SettingsSchema<S> of(
            Class<S> type, Function<Settings, ? extends S> reader, SettingSpec... specs) {
        requireNonNull(type, "type is null");
        requireNonNull(reader, "reader is null");
        if (type == Void.class) {
            throw new IllegalArgumentException("a policy without settings uses SettingsSchema.none()");
        }
        return new SettingsSchema<>(type, reader, List.of(specs));
    }

    /** No settings: nothing to inject. */
    public static SettingsSchema<Void> none() {
        return NONE;
    }

    public Class<S> type() {
        return type;
    }

    public List<SettingSpec> specs() {
        return specs;
    }

    /**
     * The typed value of {@code settings} (null for {@link #none()}).
     *
     * @throws IllegalArgumentException naming the setting the value rejects
     */
    public S read(Settings settings) {
        requireNonNull(settings, "settings is null");
        S value = reader.apply(settings);
        if (value == null && type != Void.class) {
            throw new IllegalStateException("the reader of " + type.getName() + " returned null");
        }
        return value;
    }

    /** What {@link #read} rejects, as one message naming the setting; empty when the settings are valid. */
    public List<String> validate(Settings settings) {
        try {
            read(settings);
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of(String.valueOf(e.getMessage()));
        }
    }
}
