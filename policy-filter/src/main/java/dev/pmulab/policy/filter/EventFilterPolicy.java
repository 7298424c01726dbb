package dev.pmulab.policy.filter;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.EventFilter;
import dev.pmulab.api.FilterPolicy;
import dev.pmulab.api.HostView;
import dev.pmulab.api.Settings;
import dev.pmulab.api.VmView;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The same filters for every VM, computed once from the settings. Empty settings mean no filter
 * at all, which is not the same as an empty allow list (that would deny everything).
 */
public final class EventFilterPolicy implements FilterPolicy {
    private final List<EventFilter> filters;

    @Inject
    public EventFilterPolicy(Settings settings) {
        this.filters = EventFilterDescriptor.filters(requireNonNull(settings, "settings is null"));
    }

    @Override
    public List<EventFilter> eventFilters(VmView vm, HostView host) {
        requireNonNull(vm, "vm is null");
        requireNonNull(host, "host is null");
        return filters;
    }
}
