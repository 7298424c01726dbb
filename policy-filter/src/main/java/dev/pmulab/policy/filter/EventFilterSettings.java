package dev.pmulab.policy.filter;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.EventFilter;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.SettingsSchema;
import java.util.List;
import java.util.Locale;

/**
 * The typed settings of {@code event-filter}.
 *
 * @param preset the ready-made deny list set first
 * @param filters the scenario's own filters, in order, set after the preset's
 */
public record EventFilterSettings(Preset preset, List<EventFilter> filters) {
    public static final String FILTERS = "filters";
    public static final String PRESET = "preset";

    /** The {@code preset} values. */
    public enum Preset {
        NONE,
        /** {@link NeighbourSafePreset}. */
        NEIGHBOUR_SAFE;

        /** As the setting spells it: {@code none}, {@code neighbour-safe}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The preset's filters on a host whose filter event space has {@code eventSpace} events. */
        public List<EventFilter> filters(int eventSpace) {
            return this == NEIGHBOUR_SAFE ? NeighbourSafePreset.filters(eventSpace) : List.of();
        }

        static Preset of(String configName) {
            for (Preset p : values()) {
                if (p.configName().equals(configName)) {
                    return p;
                }
            }
            throw new IllegalArgumentException(PRESET + ": unknown preset '" + configName + "'");
        }
    }

    public static final SettingsSchema<EventFilterSettings> SCHEMA = SettingsSchema.of(
            EventFilterSettings.class,
            s -> new EventFilterSettings(Preset.of(s.getString(PRESET)), EventFilterSyntax.parse(s.getString(FILTERS))),
            SettingSpec.string(
                    FILTERS,
                    "",
                    "ordered KVM filter ranges, e.g. \"deny:0x10-0x1f, allow:0x11\" (last event included); "
                            + "the first one sets the default: allow -> deny the rest, deny -> allow the rest"),
            SettingSpec.choice(
                    PRESET,
                    Preset.NONE.configName(),
                    List.of(Preset.NONE.configName(), Preset.NEIGHBOUR_SAFE.configName()),
                    "a ready-made deny list set before the filters: neighbour-safe denies cache, TLB, bus, "
                            + "memory and IMPLEMENTATION DEFINED events"));

    public EventFilterSettings {
        requireNonNull(preset, "preset is null");
        filters = List.copyOf(filters);
    }
}
