package dev.pmulab.api;

/**
 * Counter allocation: who owns which hardware counter, when. Every hook has a default that does
 * nothing, so a policy implements only the moments it cares about. Hooks run on the simulation's
 * thread, in simulated time; a hook that throws fails its run, and is named in the report with the
 * hook it failed in.
 */
@Stable(since = "0.1")
public interface AllocationPolicy {
    /** Once, when the host boots, before any VM exists (the driver's probe; boot parameters apply here). */
    default void hostBoot(HostView host, AllocationControl control) {}

    /** A vCPU is being loaded on a CPU ({@code kvm_arch_vcpu_load}); the policy may move the split. */
    default void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {}

    /** A vCPU is being put ({@code kvm_arch_vcpu_put}); the policy may give counters back. */
    default void vcpuPut(VcpuView vcpu, CpuView cpu, AllocationControl control) {}

    /**
     * A guest with direct counters accessed counter {@code counter} at or above HPMN, which trapped
     * to KVM. The default emulates it, as KVM would for a counter outside the partition.
     */
    default TrappedAccessResolution guestAccessOutsideShare(
            VcpuView vcpu, CpuView cpu, int counter, AllocationControl control) {
        return TrappedAccessResolution.EMULATE;
    }

    /**
     * An administrator wrote a control knob (a sysfs file such as {@code reserved_host_counters}),
     * at a time the scenario schedules.
     */
    default void adminWrite(String knob, long value, HostView host, AllocationControl control) {}
}
