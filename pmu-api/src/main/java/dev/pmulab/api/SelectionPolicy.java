package dev.pmulab.api;

/**
 * PMU selection: how the VMM chooses the host PMU (or combination) behind a VM's virtual PMU on
 * a heterogeneous host. KVM's own rules then decide what the guest sees (PMCR.N, PMCEID) and what
 * happens on a CPU of another type (counting stops, entry fails, or a fixed counter keeps counting).
 */
@Stable(since = "0.1")
public interface SelectionPolicy {
    /**
     * Called once per VM after its vCPUs are created and before they are initialised (INIT), with
     * the VMM's control of the PMU attributes. Doing nothing keeps KVM's default PMU.
     */
    void configureVm(VmView vm, HostView host, VmmPmuControl vmm);
}
