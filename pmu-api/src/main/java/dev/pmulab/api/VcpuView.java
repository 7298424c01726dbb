package dev.pmulab.api;

/** A read-only view of one vCPU's virtual PMU, as KVM sees it. */
@Stable(since = "0.1")
public interface VcpuView {
    /** The VM's name in the scenario. */
    String vmName();

    int vmId();

    int vcpuId();

    /** The vCPU has a PMUv3 and it is initialised. */
    boolean pmuEnabled();

    /** The most event counters the VM may have: its nr_counters, at most the backing PMU's N. */
    int guestCountersLimit();

    /** PMCR_EL0.N as the guest last saw it. */
    int guestVisibleN();

    /** The guest's enabled counters (its PMCNTENSET) as KVM last saw them. */
    long guestCountersInUse();

    /** How the guest reaches its counters now. */
    GuestAccessMode accessMode();

    /** The VM asked for a partitioned (direct) PMU: the per-VM opt-in of the partitioning series. */
    boolean partitionRequested();

    /** The physical CPU it last ran on, or -1 before it first ran. */
    int lastCpu();
}
