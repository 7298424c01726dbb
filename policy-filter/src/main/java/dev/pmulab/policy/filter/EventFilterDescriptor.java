package dev.pmulab.policy.filter;

import com.google.auto.service.AutoService;
import com.google.inject.Module;
import dev.pmulab.api.EventFilter;
import dev.pmulab.api.FilterPolicy;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code event-filter}: the VMM sets KVM_ARM_VCPU_PMU_V3_FILTER ranges, an optional preset's
 * first and then the scenario's own, in order (partitioning-and-policies.md §6.7,
 * kvm-vpmu-uapi.md §1.3). docs/policies/event-filter.md.
 */
@AutoService(PolicyDescriptor.class)
public final class EventFilterDescriptor implements PolicyDescriptor {
    public static final String NAME = "event-filter";

    public static final String FILTERS = "filters";
    public static final String PRESET = "preset";
    public static final String HOST_PMUVER = "host_pmuver";

    public static final String PRESET_NONE = "none";

    static final List<SettingSpec> SETTINGS = List.of(
            SettingSpec.string(FILTERS, "",
                    "ordered KVM filter ranges, e.g. \"deny:0x10-0x1f, allow:0x11\" (last event included); "
                            + "the first one sets the default: allow -> deny the rest, deny -> allow the rest"),
            SettingSpec.choice(PRESET, PRESET_NONE, List.of(PRESET_NONE, NeighbourSafePreset.NAME),
                    "a ready-made deny list set before the filters: neighbour-safe denies cache, TLB, bus, "
                            + "memory and IMPLEMENTATION DEFINED events"),
            SettingSpec.choice(HOST_PMUVER, HostPmuVersion.P1.shortName(), HostPmuVersion.shortNames(),
                    "the host PMU version, which sizes KVM's filter event space: v3 has 1024 events, p1 and "
                            + "later 65536"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PolicyKind kind() {
        return PolicyKind.FILTER;
    }

    @Override
    public String description() {
        return "KVM's guest event filter: ordered allow/deny ranges, optionally after the neighbour-safe preset";
    }

    @Override
    public List<SettingSpec> settings() {
        return SETTINGS;
    }

    @Override
    public List<String> validate(Settings settings) {
        List<String> problems = new ArrayList<>();
        List<EventFilter> own;
        try {
            own = EventFilterSyntax.parse(settings.getString(FILTERS));
        } catch (IllegalArgumentException e) {
            return List.of(FILTERS + ": " + e.getMessage() + " (expected " + EventFilterSyntax.FORMAT + ")");
        }
        int nrEvents = HostPmuVersion.fromShortName(settings.getString(HOST_PMUVER)).nrEvents();
        for (EventFilter f : own) {
            if (f.baseEvent() + f.nevents() > nrEvents) {
                problems.add(FILTERS + ": " + KvmPmuEventFilterModel.describe(f) + " ends past the " + nrEvents
                        + "-event space of a " + settings.getString(HOST_PMUVER)
                        + " host; KVM would refuse it with -EINVAL");
            }
        }
        return problems;
    }

    /**
     * The filters these settings set, in order: the preset's, then the scenario's own.
     *
     * @throws IllegalArgumentException if {@code filters} cannot be read
     */
    static List<EventFilter> filters(Settings settings) {
        int nrEvents = HostPmuVersion.fromShortName(settings.getString(HOST_PMUVER)).nrEvents();
        List<EventFilter> out = new ArrayList<>();
        if (settings.getString(PRESET).equals(NeighbourSafePreset.NAME)) {
            out.addAll(NeighbourSafePreset.filters(nrEvents));
        }
        out.addAll(EventFilterSyntax.parse(settings.getString(FILTERS)));
        return List.copyOf(out);
    }

    @Override
    public Module module(Settings settings) {
        return PolicyDescriptor.bindPolicy(FilterPolicy.class, EventFilterPolicy.class);
    }
}
