package dev.pmulab.policy.filter;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.Errno;
import dev.pmulab.api.EventFilter;
import dev.pmulab.api.FilterPolicy;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PmuVer;
import dev.pmulab.api.VmView;
import dev.pmulab.api.VmmPmuControl;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Sets the same filters on every VM: the preset's, sized to the host's event space, then the
 * scenario's own, each through the VMM's {@code KVM_ARM_VCPU_PMU_V3_FILTER}. KVM decides what they
 * mean and whether it takes them; a filter it refuses fails the run, naming the filter and the errno.
 * Empty settings set no filter at all, which is not the same as an empty allow list (that would
 * deny everything).
 */
public final class EventFilterPolicy implements FilterPolicy {
    private final EventFilterSettings settings;

    @Inject
    public EventFilterPolicy(EventFilterSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public void configureVm(VmView vm, HostView host, VmmPmuControl vmm) {
        requireNonNull(vm, "vm is null");
        requireNonNull(host, "host is null");
        requireNonNull(vmm, "vmm is null");
        // KVM sizes the filter from the host's PMU version, so the preset leaves out what lies past it.
        PmuVer version = host.pmuVersion();
        set(vm, version, vmm, settings.preset().filters(version.eventSpace()), EventFilterSettings.PRESET);
        set(vm, version, vmm, settings.filters(), EventFilterSettings.FILTERS);
    }

    private static void set(VmView vm, PmuVer version, VmmPmuControl vmm, List<EventFilter> filters, String setting) {
        for (EventFilter f : filters) {
            int ret = vmm.setEventFilter(f);
            if (ret != 0) {
                throw new IllegalArgumentException("VM " + vm.vmName() + ": KVM_ARM_VCPU_PMU_V3_FILTER(" + f + ") of "
                        + setting + " returned " + Errno.name(ret) + "; the host's PMU is " + version + ", with "
                        + version.eventSpace() + " event numbers");
            }
        }
    }
}
