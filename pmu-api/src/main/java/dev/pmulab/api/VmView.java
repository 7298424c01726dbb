package dev.pmulab.api;

/** A read-only view of a VM being set up, before its vCPUs first run. */
@Stable(since = "0.1")
public interface VmView {
    String vmName();

    int vmId();

    int vcpuCount();

    /** The guest OS model, as the scenario names it ({@code linux}, {@code windows}). */
    String guestOs();

    /** The CPU the VMM thread runs on when it initialises the vCPUs (which picks KVM's default PMU). */
    int initCpu();

    /** The pCPUs the scenario allows the VM's vCPU threads on, before any policy narrows them. */
    int[] allowedCpus();
}
