package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.catalog.SocModel;
import dev.pmulab.kvm.KernelCost;
import java.util.Map;

/**
 * What the sections read so far tell the sections read after them. A scenario's sections are read
 * in this order, because each refers to the ones before it:
 *
 * <ol>
 *   <li>{@code costs}: nothing before it; a VM's exit rate is checked against the price of an
 *       exit (C2) it gives ({@link #priceNs}), so it is read first, wherever it is written.
 *   <li>{@code host}: the SoC. Every CPU number, core type and counter count after it is checked
 *       against it ({@link #soc}, {@link #cpus}).
 *   <li>{@code host_tasks}, then {@code vms}: one namespace of names ({@link ProcessNames}); VMs
 *       are placed on host CPUs, and their PMU usage is checked against the host's cores.
 *   <li>{@code run}: {@code until_work_done} names a VM ({@link #processes}); the run's end
 *       ({@link #runEndNs}) bounds every time read after it.
 *   <li>{@code host_perf}: host CPUs and PMUs, a task or VM by name, start and stop within the run.
 *   <li>{@code policies}: nothing here; their names and settings are resolved against the
 *       installed policies by {@link ScenarioPolicies#select} when a run is about to start.
 *   <li>{@code admin_writes}: before the end of the run.
 * </ol>
 *
 * <p>Each stage adds an immutable value. Asking for one before its section is read is a bug in the
 * reader's order, and throws.
 */
final class ReadContext {
    private final Map<KernelCost, CostOverride> costs;
    private final SocModel soc;
    private final CpuLists cpus;
    private final ProcessNames.Declared processes;
    private final boolean runRead;
    private final long runEndNs;

    private ReadContext(
            Map<KernelCost, CostOverride> costs,
            SocModel soc,
            CpuLists cpus,
            ProcessNames.Declared processes,
            boolean runRead,
            long runEndNs) {
        this.costs = costs;
        this.soc = soc;
        this.cpus = cpus;
        this.processes = processes;
        this.runRead = runRead;
        this.runEndNs = runEndNs;
    }

    /**
     * After {@code costs} and {@code host}: {@code costs} holds the overrides that could be read;
     * {@code soc} is null when the host could not be read.
     */
    static ReadContext afterHost(FieldReader in, Map<KernelCost, CostOverride> costs, SocModel soc) {
        return new ReadContext(Map.copyOf(costs), soc, new CpuLists(in, soc), null, false, -1);
    }

    /** After {@code host_tasks} and {@code vms}. */
    ReadContext afterProcesses(ProcessNames.Declared declared) {
        return new ReadContext(costs, soc, cpus, requireNonNull(declared, "declared is null"), runRead, runEndNs);
    }

    /** After {@code run}: {@code endNs} is the latest time the run reaches, or -1 if it could not be read. */
    ReadContext afterRun(long endNs) {
        processes();
        return new ReadContext(costs, soc, cpus, processes, true, endNs);
    }

    /** The base price of {@code cost} in this scenario: its override, or the default. */
    long priceNs(KernelCost cost) {
        CostOverride o = costs.get(cost);
        return o != null ? o.baseNs() : cost.defaultBaseNs();
    }

    /** The host's SoC; null when it could not be read, which turns off the checks that need it. */
    SocModel soc() {
        return soc;
    }

    /** CPU lists, checked against the host. */
    CpuLists cpus() {
        return cpus;
    }

    /** The host tasks and VMs. */
    ProcessNames.Declared processes() {
        if (processes == null) {
            throw new IllegalStateException("host tasks and VMs are not read yet");
        }
        return processes;
    }

    /** The latest time the run reaches; -1 when {@code run} could not be read, which turns off the checks. */
    long runEndNs() {
        if (!runRead) {
            throw new IllegalStateException("run is not read yet");
        }
        return runEndNs;
    }
}
