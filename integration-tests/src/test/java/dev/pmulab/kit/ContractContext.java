package dev.pmulab.kit;

import dev.pmulab.api.PolicyBehavior;
import dev.pmulab.api.PolicyKind;
import java.util.Optional;

/**
 * The host and guest situations every policy must survive, each a small scenario of a few tens of
 * simulated milliseconds (enough for every hook to run many times, little enough to keep the kit
 * well under a second per policy). A context a policy does not support, by its declared
 * {@link PolicyBehavior}s, is skipped and reported skipped.
 */
public enum ContractContext {
    /** No VM at all: only host_boot runs, on a host whose perf sessions own every counter. */
    IDLE_HOST("an idle host", null, """
            host:
              cpus: [{core: neoverse-n2, count: 2}]
            host_perf:
              - {name: stat, mode: stat, scope: system, groups: [[cycles, instructions]]}
            """),
    /**
     * PMCR_EL0.N = 0 on every CPU (with FEAT_HPMN0 and FGT, so that HPMN = N = 0 is legal) and a VM
     * without a virtual PMU: a policy must not assume a counter exists.
     */
    HOST_WITHOUT_PMU("a host with no PMU", null, """
            host:
              cpus: [{core: neoverse-n2, count: 2}]
              cpu_overrides:
                neoverse-n2: {n: 0, hpmn0: true, fgt: true}
            vms:
              - {name: nopmu, vcpus: 2, pmu: false, workload: cpu-bound}
            """),
    /** An RK3588: each vCPU moves between a Cortex-A55 and a Cortex-A76 every few milliseconds. */
    MIGRATION_ACROSS_CORE_TYPES("a vCPU migrating across core types", PolicyBehavior.SUPPORTS_HETEROGENEOUS_HOSTS, """
            host:
              soc: rk3588
            vms:
              - name: wanderer
                vcpus: 2
                pmu_usage: {kind: perf-stat, events: [cycles, instructions]}
                placement: {migrate: {every: 3ms, across_core_types: true}}
                workload: cpu-bound
            """),
    /**
     * A guest that never touches its PMU, with more vCPUs than CPUs so that the scheduler puts and
     * loads them many times.
     */
    GUEST_NEVER_TOUCHES_PMU("a guest that never touches the PMU", null, """
            host:
              cpus: [{core: neoverse-n2, count: 2}]
            vms:
              - {name: quiet, vcpus: 3, pmu_usage: idle, workload: cpu-bound}
            """),
    /**
     * A guest that programs every counter PMCR.N shows and writes the ones above it, beside host
     * perf stat and a polite guest: the isolation rules matter here.
     */
    GREEDY_GUEST("a greedy guest", null, """
            host:
              cpus: [{core: neoverse-n2, count: 2}]
            host_perf:
              - {name: stat, mode: stat, scope: system, groups: [[cycles, instructions]]}
            vms:
              - name: greedy
                vcpus: 1
                pmu_usage: {kind: greedy, reprogram_every: 2ms, asks_for_more: true}
                workload: cpu-bound
              - name: polite
                vcpus: 1
                pmu_usage: {kind: perf-stat, events: [cycles, instructions]}
                workload: cpu-bound
            """),
    /**
     * The greedy guest while an administrator moves the split (reserved_host_counters = 2, then -1,
     * the series' "no partition"): admin_write runs between loads and puts of a busy guest.
     */
    ADMIN_MOVES_THE_SPLIT(
            "an administrator moving the split under a greedy guest", PolicyBehavior.RESERVED_HOST_COUNTERS_KNOB, """
            host:
              cpus: [{core: neoverse-n2, count: 2}]
            host_perf:
              - {name: stat, mode: stat, scope: system, groups: [[cycles, instructions]]}
            vms:
              - name: greedy
                vcpus: 1
                pmu_usage: {kind: greedy, reprogram_every: 2ms, asks_for_more: true}
                workload: cpu-bound
              - name: polite
                vcpus: 1
                pmu_usage: {kind: perf-stat, events: [cycles, instructions]}
                workload: cpu-bound
            admin_writes:
              - {at: 10ms, knob: reserved_host_counters, value: 2}
              - {at: 20ms, knob: reserved_host_counters, value: -1}
            """),
    /**
     * An nVHE host, where no partition is possible. A policy that declares
     * {@link PolicyBehavior#PARTITIONS_PMU} may be refused here with the rule {@code VHE only} (a
     * clean refusal is its documented limit); any other failure breaks the contract.
     */
    NVHE_HOST("an nVHE host", PolicyBehavior.SUPPORTS_NVHE_HOSTS, """
            host:
              cpus: [{core: neoverse-n2, count: 2}]
              vhe: false
            host_perf:
              - {name: stat, mode: stat, scope: system, groups: [[cycles, instructions]]}
            vms:
              - name: guest
                vcpus: 1
                pmu_usage: {kind: perf-stat, events: [cycles, instructions]}
                workload: cpu-bound
            """);

    /** Simulated time per run: long enough for tens of loads, puts and timer ticks per vCPU. */
    static final String DURATION = "30ms";

    static final long SEED = 7;

    private final String description;
    private final PolicyBehavior requires;
    private final String hostAndGuests;

    ContractContext(String description, PolicyBehavior requires, String hostAndGuests) {
        this.description = description;
        this.requires = requires;
        this.hostAndGuests = hostAndGuests;
    }

    /** {@code a greedy guest}, as failure messages and skip reasons say it. */
    public String description() {
        return description;
    }

    /** The behaviour a policy must declare for this context to apply; empty when every policy must. */
    public Optional<PolicyBehavior> requires() {
        return Optional.ofNullable(requires);
    }

    /**
     * The scenario that runs {@code policy} alone in its kind. A selection or filter policy runs
     * beside {@code emulated}, the allocation KVM has today, so that its own effect is what is seen.
     */
    public String scenario(PolicyUnderTest policy) {
        String policies = policy.kind() == PolicyKind.ALLOCATION
                ? "  allocation: " + policy.name() + "\n"
                : "  allocation: emulated\n  " + policy.kind().configName() + ": " + policy.name() + "\n";
        return "name: contract-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "\n"
                + "seed: " + SEED + "\n"
                + "run: {duration: " + DURATION + "}\n"
                + hostAndGuests
                + "policies:\n" + policies;
    }
}
