package dev.pmulab.api;

import java.util.List;

/**
 * Guest event filtering: which event numbers a VM's guest may count. The filters are set on the VM
 * through {@code KVM_ARM_VCPU_PMU_V3_FILTER} in order, before the vCPUs are initialised; KVM's rules
 * then apply (the first filter sets the default, SW_INCR is never filtered, PMCEID is masked).
 */
@Stable(since = "0.1")
public interface FilterPolicy {
    /** The filters for {@code vm}, in the order the VMM sets them; empty for no filter. */
    List<EventFilter> eventFilters(VmView vm, HostView host);
}
