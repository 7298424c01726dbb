package dev.pmulab.api;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A policy's settings for one run: every declared setting with its value (the scenario's or the
 * default), already checked against its {@link SettingSpec}. The core builds it; policies read it.
 */
@Stable(since = "0.1")
public final class Settings {
    private final Map<String, Object> values;

    private Settings(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * Builds settings from declared specs and given values (already of the right Java type:
     * Boolean, Long, String, List&lt;Long&gt;); a missing value takes its default.
     *
     * @throws IllegalArgumentException if a value is not declared or has the wrong type
     */
    public static Settings of(List<SettingSpec> specs, Map<String, ?> given) {
        requireNonNull(specs, "specs is null");
        requireNonNull(given, "given is null");
        Map<String, Object> v = new LinkedHashMap<>();
        for (SettingSpec s : specs) {
            Object value = given.containsKey(s.name()) ? given.get(s.name()) : s.defaultValue();
            new SettingSpec(s.name(), s.type(), value, s.description(), s.choices()); // type check
            v.put(s.name(), value instanceof List<?> l ? List.copyOf(l) : value);
        }
        for (String k : given.keySet()) {
            if (!v.containsKey(k)) {
                throw new IllegalArgumentException("unknown setting " + k);
            }
        }
        return new Settings(Map.copyOf(v));
    }

    /** Every declared setting at its default. */
    public static Settings defaults(List<SettingSpec> specs) {
        return of(specs, Map.of());
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no setting " + name + "; known: " + values.keySet());
        }
        return v;
    }

    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    public long getLong(String name) {
        return (Long) get(name);
    }

    /**
     * An INTEGER setting that must fit an int (counter counts, indices).
     *
     * @throws IllegalArgumentException naming the setting when its value does not fit
     */
    public int getInt(String name) {
        long v = (Long) get(name);
        if (v != (int) v) {
            throw new IllegalArgumentException(name + " must fit an int, not " + v);
        }
        return (int) v;
    }

    /** A STRING or CHOICE setting. */
    public String getString(String name) {
        return (String) get(name);
    }

    @SuppressWarnings("unchecked")
    public List<Long> getLongList(String name) {
        return (List<Long>) get(name);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && values.equals(s.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Settings" + new java.util.TreeMap<>(values);
    }
}
