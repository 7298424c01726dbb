package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.kvm.perf.PerfSysctls;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One VM.
 *
 * @param name unique among VMs and host tasks
 * @param vcpus the number of vCPUs, at least 1
 * @param guestOs the guest OS model
 * @param guestHz the guest kernel's CONFIG_HZ, which sets its tick and its default perf mux interval
 * @param pmu the VM has a virtual PMUv3 (KVM_ARM_VCPU_PMU_V3)
 * @param nrCounters {@code KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS}: the event counters the VMM asks
 *     for; empty for the backing PMU's N
 * @param partition the VM opts in to a partitioned (direct) PMU where the allocation policy offers one
 * @param placement where its vCPUs run
 * @param pmuUsage how the guest uses its PMU; never empty ({@link PmuUsage.Idle} when it does not)
 * @param workload what the guest runs
 * @param cputimeAccounting how the guest kernel accounts interrupt time, which decides whether its
 *     PMU interrupt handlers show in the workload's user time or in neither user nor sys
 *     ({@code vms[].cputime_accounting})
 * @param perfSysctls the guest kernel's {@code kernel.perf_event_max_sample_rate} and
 *     {@code kernel.perf_cpu_time_max_percent} when the run starts ({@code vms[].sysctl}): the
 *     guest's sampling limits start from them, and perf record lowers a higher {@code -F} to the rate
 */
public record VmSpec(
        String name,
        int vcpus,
        GuestOs guestOs,
        int guestHz,
        boolean pmu,
        OptionalInt nrCounters,
        boolean partition,
        Placement placement,
        List<PmuUsage> pmuUsage,
        Workload workload,
        CputimeAccounting cputimeAccounting,
        PerfSysctls perfSysctls) {

    public VmSpec {
        requireNonNull(name, "name is null");
        requireNonNull(guestOs, "guestOs is null");
        requireNonNull(nrCounters, "nrCounters is null");
        requireNonNull(placement, "placement is null");
        pmuUsage = List.copyOf(pmuUsage);
        requireNonNull(workload, "workload is null");
        requireNonNull(cputimeAccounting, "cputimeAccounting is null");
        requireNonNull(perfSysctls, "perfSysctls is null");
        if (vcpus < 1) {
            throw new IllegalArgumentException("VM " + name + " needs at least one vCPU, had " + vcpus);
        }
        if (pmuUsage.isEmpty()) {
            throw new IllegalArgumentException("VM " + name + ": say idle for a guest that does not use its PMU");
        }
        Set<String> kinds = new HashSet<>();
        for (PmuUsage u : pmuUsage) {
            if (!kinds.add(u.kind())) {
                throw new IllegalArgumentException("VM " + name + " lists PMU usage " + u.kind() + " twice");
            }
            if (!u.runsOn(guestOs)) {
                throw new IllegalArgumentException(
                        "VM " + name + ": " + u.kind() + " is not a " + guestOs.configName() + " behaviour");
            }
        }
    }

    /**
     * A VM whose guest kernel uses tick-based CPU time accounting and its perf sysctls' defaults (the
     * kernel's defaults).
     */
    public VmSpec(
            String name,
            int vcpus,
            GuestOs guestOs,
            int guestHz,
            boolean pmu,
            OptionalInt nrCounters,
            boolean partition,
            Placement placement,
            List<PmuUsage> pmuUsage,
            Workload workload) {
        this(
                name,
                vcpus,
                guestOs,
                guestHz,
                pmu,
                nrCounters,
                partition,
                placement,
                pmuUsage,
                workload,
                CputimeAccounting.TICK,
                PerfSysctls.DEFAULTS);
    }

    /** The same VM with another PMU usage (a variant built in code). */
    public VmSpec withPmuUsage(List<PmuUsage> newUsage) {
        return new VmSpec(
                name,
                vcpus,
                guestOs,
                guestHz,
                pmu,
                nrCounters,
                partition,
                placement,
                newUsage,
                workload,
                cputimeAccounting,
                perfSysctls);
    }

    /** The guest never touches its PMU. */
    public boolean pmuIdle() {
        return pmuUsage.size() == 1 && pmuUsage.get(0) instanceof PmuUsage.Idle;
    }
}
