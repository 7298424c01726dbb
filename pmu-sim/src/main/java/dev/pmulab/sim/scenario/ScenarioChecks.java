package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.catalog.CpuCatalog;
import dev.pmulab.hw.catalog.CpuModel;
import dev.pmulab.hw.catalog.SocModel;
import dev.pmulab.kvm.perf.CounterAllocationOrder;
import dev.pmulab.kvm.perf.GroupValidation;
import dev.pmulab.kvm.perf.PerfEventAttr;
import dev.pmulab.kvm.perf.PerfPmu;
import dev.pmulab.sim.scenario.PerfEventsReader.ReadGroup;
import dev.pmulab.sim.scenario.YamlTree.Node;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules between sections: a value that is well formed on its own but does not fit what
 * another section says (a VM the run waits for, the host's cores under a VM's placement, a host
 * group on the host's PMUs, a time after the end of the run). Each method reports its problem at
 * the value and says whether the value passed. Where the kernel has the rule, it is the kernel
 * model's own ({@link GroupValidation}), not a copy.
 */
final class ScenarioChecks {
    private final FieldReader in;

    ScenarioChecks(FieldReader in) {
        this.in = requireNonNull(in, "in is null");
    }

    // ------------------------------------------------------------------------------------------
    // run × vms, host_perf × host_tasks and vms

    /** {@code run.until_work_done.vm}: a VM of the scenario whose workload retires instructions. */
    boolean workTargetRuns(Node node, String path, String vm, ProcessNames.Declared processes) {
        if (!processes.vmNames().contains(vm)) {
            in.problem(
                    node.mark(), path, "no VM is named '" + vm + "'; VMs: " + FieldReader.known(processes.vmNames()));
            return false;
        }
        VmSpec target = processes.vms().get(vm);
        if (target != null
                && (target.workload().profile() == WorkloadProfile.IDLE
                        || target.workload().load() == 0.0)) {
            in.problem(
                    node.mark(),
                    path,
                    "VM " + vm + " runs nothing (its workload is idle), so it never retires the"
                            + " instructions the run waits for");
            return false;
        }
        return true;
    }

    /** A task session's {@code task}: a host task or a VM. */
    boolean processExists(Node node, String path, String name, ProcessNames.Declared processes) {
        if (!processes.names().containsKey(name)) {
            in.problem(
                    node.mark(),
                    path,
                    "no host task or VM is named '" + name + "'; known: "
                            + FieldReader.known(processes.names().keySet()));
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // vms × host

    /**
     * A VM's {@code nr_counters}: at most the event counters of the largest PMU of the host (the VM's
     * PMU is the selection policy's choice, made when it runs; KVM then refuses more than that PMU has).
     */
    boolean nrCountersFit(Node node, String path, long n, SocModel soc) {
        int maxN = soc == null
                ? 31
                : soc.coreTypes().stream().mapToInt(c -> c.n().value()).max().orElse(31);
        if (n < 0 || n > maxN) {
            in.problem(
                    node.mark(),
                    path,
                    "must be 0.." + maxN
                            + (soc == null ? " (PMCR_EL0.N)" : " (the most event counters a PMU of this host has)")
                            + ", was " + n);
            return false;
        }
        return true;
    }

    /** {@code migrate.across_core_types} needs CPUs of two core types among the placement's. */
    boolean twoCoreTypes(Node node, String path, List<Integer> cpus, SocModel soc) {
        if (soc == null || cpus == null) {
            return true;
        }
        Set<String> types = new LinkedHashSet<>();
        for (int c : cpus) {
            types.add(soc.cpu(c).name());
        }
        if (types.size() < 2) {
            in.problem(
                    node.mark(),
                    path,
                    "needs CPUs of two core types in placement.cpus; they are all "
                            + types.iterator().next());
            return false;
        }
        return true;
    }

    /**
     * A {@code brbe} usage needs FEAT_BRBE on every CPU the VM can run on: elsewhere the guest's
     * first BRBCR_EL1 write would be UNDEFINED, an impossible setup rather than a result.
     */
    boolean brbeOnEveryCpu(Node node, String path, Placement placement, SocModel soc) {
        if (soc == null || placement == null) {
            return true;
        }
        Set<String> without = new LinkedHashSet<>();
        for (int c : placement.cpus()) {
            if (!soc.cpu(c).brbe().value()) {
                without.add(soc.cpu(c).name());
            }
        }
        if (without.isEmpty()) {
            return true;
        }
        List<String> withBrbe = CpuCatalog.all().stream()
                .filter(c -> c.brbe().value())
                .map(CpuModel::name)
                .toList();
        in.problem(
                node.mark(),
                path,
                "brbe needs FEAT_BRBE on every CPU the VM can run on; "
                        + String.join(" and ", without) + (without.size() == 1 ? " has" : " have")
                        + " none (catalog cores"
                        + " with it: " + String.join(", ", withBrbe) + ")");
        return false;
    }

    // ------------------------------------------------------------------------------------------
    // host_perf × host

    /**
     * Each group written in {@code groups} must pass arm_pmu's {@code validate_group} on every PMU
     * its events are opened on, or perf_event_open refuses it (perf-core-and-costs.md §1.2): the
     * perf core's own rule, {@link GroupValidation}, on an empty PMU with every counter the
     * hardware has. A lone event of {@code events} is not validated as a group. {@code scope} is
     * null when it could not be read; the groups are then checked as a system-wide session's.
     */
    void groupsFit(List<ReadGroup> groups, PerfScope scope, List<Integer> cpus, SocModel soc) {
        List<CpuModel> pmus = pmusOpenedOn(scope, cpus, soc);
        for (ReadGroup g : groups) {
            if (!g.fromGroups()) {
                continue;
            }
            // The allocator looks at the event number and config1 only; the engine opens a host
            // session's events as 32-bit counting or sampling events (no `long`, no `rdpmc`).
            List<PerfEventAttr> members = g.group().events().stream()
                    .map(e -> PerfEventAttr.builder(0, e.number()).build())
                    .toList();
            for (CpuModel pmu : pmus) {
                int n = pmu.n().value();
                if (!GroupValidation.validateGroup(
                        PerfPmu.probeCntrMask(n), pmu.version().value(), CounterAllocationOrder.LOW_TO_HIGH, members)) {
                    in.problem(
                            g.mark(),
                            g.path(),
                            "a group of " + g.group().size() + " events cannot fit these CPUs'"
                                    + " PMU (" + n
                                    + " event counters and the cycle counter), so perf_event_open would refuse"
                                    + " it; split it");
                    break;
                }
            }
        }
    }

    /**
     * The core types whose PMUs a session's events are opened on, fewest event counters first (so
     * a refusal names the PMU the group must be split for): each CPU's own for a system-wide
     * session; for a task session the host's first PMU, which the engine opens task events on
     * (Simulation.openGroups), as {@code perf record -e armv8_cortex_a55/.../ -p PID} would.
     */
    private static List<CpuModel> pmusOpenedOn(PerfScope scope, List<Integer> cpus, SocModel soc) {
        if (scope == PerfScope.TASK) {
            return List.of(soc.pmus().get(0).cpu());
        }
        Map<String, CpuModel> types = new LinkedHashMap<>();
        for (int c : cpus) {
            types.putIfAbsent(soc.cpu(c).name(), soc.cpu(c));
        }
        return types.values().stream()
                .sorted(Comparator.comparingInt(c -> c.n().value()))
                .toList();
    }

    // ------------------------------------------------------------------------------------------
    // host_perf and admin_writes × run

    /** A session's {@code start}: before the run's end ({@code endNs}, -1 if unknown). */
    boolean startsBeforeEnd(Node node, String path, long startNs, long endNs) {
        if (endNs >= 0 && startNs >= endNs) {
            in.problem(
                    node.mark(),
                    path,
                    "starts at " + Durations.format(startNs) + ", not before the end of the run ("
                            + Durations.format(endNs) + ")");
            return false;
        }
        return true;
    }

    /** A session's {@code stop}: at the run's end at the latest. */
    boolean stopsByEnd(Node node, String path, long stopNs, long endNs) {
        if (endNs >= 0 && stopNs > endNs) {
            in.problem(
                    node.mark(),
                    path,
                    "stops at " + Durations.format(stopNs) + ", after the end of the run (" + Durations.format(endNs)
                            + ")");
            return false;
        }
        return true;
    }

    /** An administrator write's {@code at}: before the run's end. */
    boolean writtenBeforeEnd(Node node, String path, long atNs, long endNs) {
        if (endNs >= 0 && atNs >= endNs) {
            in.problem(
                    node.mark(),
                    path,
                    "at " + Durations.format(atNs) + " is not before the end of the run (" + Durations.format(endNs)
                            + ")");
            return false;
        }
        return true;
    }
}
