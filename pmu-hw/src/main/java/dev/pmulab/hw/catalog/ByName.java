package dev.pmulab.hw.catalog;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** A catalog's entries by lower-case name, with the unknown-name error that lists every known name. */
final class ByName<T> {
    private final String kind;
    private final Map<String, T> entries = new LinkedHashMap<>();

    ByName(String kind, List<T> all, Function<T, String> name) {
        this.kind = kind;
        for (T t : all) {
            if (entries.put(name.apply(t), t) != null) {
                throw new IllegalStateException("duplicate " + kind + " name " + name.apply(t));
            }
        }
    }

    List<String> names() {
        return List.copyOf(entries.keySet());
    }

    T get(String name) {
        requireNonNull(name, "name is null");
        T t = entries.get(name.toLowerCase(Locale.ROOT));
        if (t == null) {
            throw new IllegalArgumentException(
                    "unknown " + kind + " '" + name + "'; known: " + String.join(", ", entries.keySet()));
        }
        return t;
    }
}
