package dev.pmulab.sim.plugin;

import dev.pmulab.api.SettingSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Converts raw setting values (as YAML or a command line gives them) to the declared types, strictly. */
final class SettingValues {
    private SettingValues() {}

    static Map<String, Object> convert(LoadedPolicy p, Map<String, ?> raw) {
        Map<String, SettingSpec> specs = new LinkedHashMap<>();
        for (SettingSpec s : p.descriptor().settings()) {
            specs.put(s.name(), s);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            SettingSpec spec = specs.get(e.getKey());
            if (spec == null) {
                throw new PluginException("unknown setting '" + e.getKey() + "' for "
                        + p.kind().configName() + " policy '" + p.name() + "'; known settings: " + describeAll(p));
            }
            Object v = convert(spec, e.getValue());
            if (v == null) {
                throw new PluginException("setting '" + e.getKey() + "' of "
                        + p.kind().configName() + " policy '"
                        + p.name() + "' must be " + typeOf(spec) + ", not '" + e.getValue() + "'; known settings: "
                        + describeAll(p));
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    static String describeAll(LoadedPolicy p) {
        List<SettingSpec> s = p.descriptor().settings();
        return s.isEmpty() ? "(none)" : s.stream().map(SettingSpec::describe).collect(Collectors.joining("; "));
    }

    private static String typeOf(SettingSpec spec) {
        return switch (spec.type()) {
            case CHOICE -> "one of " + String.join(", ", spec.choices());
            case INTEGER -> "an integer";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            case INTEGER_LIST -> "a list of integers";
        };
    }

    /** The value in the declared type, or null when it cannot be one. */
    private static Object convert(SettingSpec spec, Object raw) {
        if (raw == null) {
            return null;
        }
        switch (spec.type()) {
            case BOOLEAN -> {
                if (raw instanceof Boolean b) {
                    return b;
                }
                String s = raw.toString().toLowerCase(Locale.ROOT);
                return s.equals("true") ? Boolean.TRUE : s.equals("false") ? Boolean.FALSE : null;
            }
            case INTEGER -> {
                return integer(raw);
            }
            case STRING -> {
                return raw instanceof String s ? s : null;
            }
            case CHOICE -> {
                String s = raw.toString();
                return spec.choices().contains(s) ? s : null;
            }
            case INTEGER_LIST -> {
                List<?> items;
                if (raw instanceof List<?> l) {
                    items = l;
                } else if (raw instanceof String s) {
                    items = s.isBlank() ? List.of() : List.of((Object[]) s.split(","));
                } else {
                    return null;
                }
                List<Long> out = new ArrayList<>();
                for (Object o : items) {
                    Long v = integer(o instanceof String str ? str.strip() : o);
                    if (v == null) {
                        return null;
                    }
                    out.add(v);
                }
                return List.copyOf(out);
            }
            default -> throw new IllegalStateException("unhandled setting type " + spec.type());
        }
    }

    private static Long integer(Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof java.math.BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        if (raw instanceof String s) {
            try {
                return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
