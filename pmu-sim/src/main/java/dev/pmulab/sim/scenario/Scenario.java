package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.kvm.KernelCost;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated scenario: everything one comparison needs except the policies' own code. Two loads of
 * the same text give equal scenarios, and a run is a pure function of (scenario, policies, seed).
 *
 * @param name the scenario's name
 * @param description one line: what it runs
 * @param source the file it was read from, as messages name it
 * @param seed the seed of every random choice the engine makes
 * @param run how long it runs
 * @param host the host machine and kernel
 * @param hostPerf the host's perf sessions, in the order they are opened
 * @param hostTasks host processes beside the VMs
 * @param vms the VMs, in the order they are created
 * @param policies the policies to run (several allocation policies: one run each)
 * @param adminWrites administrator knob writes, by time (file order within one time)
 * @param costs the scenario's prices, by cost; a cost not here keeps its default
 */
public record Scenario(
        String name,
        String description,
        String source,
        long seed,
        RunLength run,
        HostSpec host,
        List<PerfSession> hostPerf,
        List<HostTask> hostTasks,
        List<VmSpec> vms,
        Policies policies,
        List<AdminWrite> adminWrites,
        Map<KernelCost, CostOverride> costs) {

    public Scenario {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(source, "source is null");
        requireNonNull(run, "run is null");
        requireNonNull(host, "host is null");
        hostPerf = List.copyOf(hostPerf);
        hostTasks = List.copyOf(hostTasks);
        vms = List.copyOf(vms);
        requireNonNull(policies, "policies is null");
        adminWrites = List.copyOf(adminWrites);
        costs = costs.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(costs));
    }

    /** The VM called {@code name}. */
    public Optional<VmSpec> vm(String name) {
        return vms.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** The total number of vCPUs over every VM. */
    public int vcpuCount() {
        return vms.stream().mapToInt(VmSpec::vcpus).sum();
    }

    /** The same scenario with other VMs (a variant built in code, e.g. another sample rate). */
    public Scenario withVms(List<VmSpec> newVms) {
        return new Scenario(
                name, description, source, seed, run, host, hostPerf, hostTasks, newVms, policies, adminWrites, costs);
    }

    /** The same scenario with another run length (a shorter look, a longer soak). */
    public Scenario withRun(RunLength newRun) {
        return new Scenario(
                name,
                description,
                source,
                seed,
                newRun,
                host,
                hostPerf,
                hostTasks,
                vms,
                policies,
                adminWrites.stream().filter(w -> w.atNs() < newRun.limitNs()).toList(),
                costs);
    }

    /**
     * The same scenario with other kernel cost prices in place of its own (a cost not in
     * {@code newCosts} keeps its default): how the cost fit sweeps constants over the built-in
     * benchmark scenarios without writing overrides into them.
     */
    public Scenario withCosts(Map<KernelCost, CostOverride> newCosts) {
        requireNonNull(newCosts, "newCosts is null");
        return new Scenario(
                name, description, source, seed, run, host, hostPerf, hostTasks, vms, policies, adminWrites, newCosts);
    }
}
