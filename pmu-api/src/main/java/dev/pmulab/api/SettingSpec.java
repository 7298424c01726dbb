package dev.pmulab.api;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One typed setting of a policy.
 *
 * @param name {@code snake_case} name, as the scenario writes it
 * @param type its type
 * @param defaultValue the default: Boolean, Long, String (also for CHOICE) or List&lt;Long&gt;
 * @param description one line, with the unit where there is one
 * @param choices the allowed values of a CHOICE setting; empty otherwise
 */
@Stable(since = "0.1")
public record SettingSpec(
        String name, SettingType type, Object defaultValue, String description, List<String> choices) {
    public SettingSpec {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(description, "description is null");
        choices = List.copyOf(choices);
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("setting name must be snake_case: " + name);
        }
        boolean ok = switch (type) {
            case BOOLEAN -> defaultValue instanceof Boolean;
            case INTEGER -> defaultValue instanceof Long;
            case STRING -> defaultValue instanceof String;
            case CHOICE -> defaultValue instanceof String s && choices.contains(s);
            case INTEGER_LIST -> defaultValue instanceof List<?> l && l.stream().allMatch(Long.class::isInstance);
        };
        if (!ok) {
            throw new IllegalArgumentException(
                    "default of setting " + name + " is not a valid " + type.displayName() + ": " + defaultValue);
        }
        if (defaultValue instanceof List<?> l) {
            defaultValue = List.copyOf(l);
        }
    }

    public static SettingSpec bool(String name, boolean defaultValue, String description) {
        return new SettingSpec(name, SettingType.BOOLEAN, defaultValue, description, List.of());
    }

    public static SettingSpec integer(String name, long defaultValue, String description) {
        return new SettingSpec(name, SettingType.INTEGER, defaultValue, description, List.of());
    }

    public static SettingSpec string(String name, String defaultValue, String description) {
        return new SettingSpec(name, SettingType.STRING, defaultValue, description, List.of());
    }

    public static SettingSpec choice(String name, String defaultValue, List<String> choices, String description) {
        return new SettingSpec(name, SettingType.CHOICE, defaultValue, description, choices);
    }

    public static SettingSpec integerList(String name, List<Long> defaultValue, String description) {
        return new SettingSpec(name, SettingType.INTEGER_LIST, defaultValue, description, List.of());
    }

    /** {@code name (type, default X): description}, as error messages and {@code pmulab policies} print it. */
    public String describe() {
        String t = type == SettingType.CHOICE ? "one of " + String.join("|", choices) : type.displayName();
        return name + " (" + t + ", default " + defaultValue + "): " + description;
    }
}
