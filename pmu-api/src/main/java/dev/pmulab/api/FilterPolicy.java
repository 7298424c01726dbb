package dev.pmulab.api;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Guest event filtering: which event numbers a VM's guest may count. The policy sets the VM's
 * filters through {@code KVM_ARM_VCPU_PMU_V3_FILTER}, in order, before the vCPUs are initialised;
 * KVM's rules then apply (the first filter sets the default, SW_INCR is never filtered, PMCEID is
 * masked), and KVM answers each filter as the ioctl would.
 */
@Stable(since = "0.1")
public interface FilterPolicy {
    /**
     * Called once per VM, after the selection policy's {@link SelectionPolicy#configureVm} and before
     * the vCPUs are initialised: sets the VM's filters with {@link VmmPmuControl#setEventFilter}. The
     * default sets {@link #eventFilters} in order and fails the run on the first one KVM refuses.
     */
    default void configureVm(VmView vm, HostView host, VmmPmuControl vmm) {
        for (EventFilter f : requireNonNull(eventFilters(vm, host), "eventFilters returned null")) {
            int ret = vmm.setEventFilter(f);
            if (ret != 0) {
                throw new IllegalStateException(
                        "VM " + vm.vmName() + ": KVM_ARM_VCPU_PMU_V3_FILTER(" + f + ") returned " + Errno.name(ret));
            }
        }
    }

    /**
     * The filters for {@code vm}, in the order the default {@link #configureVm} sets them; empty (the
     * default) for no filter, which is not the same as an empty allow list.
     */
    default List<EventFilter> eventFilters(VmView vm, HostView host) {
        return List.of();
    }
}
