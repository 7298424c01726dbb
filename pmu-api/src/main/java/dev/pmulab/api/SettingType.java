package dev.pmulab.api;

/** The types a policy setting can have, as scenario YAML writes them. */
@Stable(since = "0.1")
public enum SettingType {
    BOOLEAN("boolean"),
    /** A whole number (fits a Java long). */
    INTEGER("integer"),
    STRING("string"),
    /** One of {@link SettingSpec#choices()}. */
    CHOICE("choice"),
    /** A list of whole numbers. */
    INTEGER_LIST("list of integers");

    private final String displayName;

    SettingType(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
