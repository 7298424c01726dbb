package dev.pmulab.api;

import java.util.Optional;

/**
 * A read-only view of one physical CPU's PMU as the host sees it. Counter masks use the PMCNTENSET
 * layout: bit n for event counter n, bit 31 for PMCCNTR.
 */
@Stable(since = "0.1")
public interface CpuView {
    int id();

    /** The core type: {@code cortex-a76}, {@code neoverse-n1}. */
    String coreType();

    /** The host perf PMU of this CPU: {@code armv8_cortex_a76}. */
    String pmuName();

    /** PMCR_EL0.N at EL2: event counters implemented. */
    int counters();

    /** This CPU's PMU version (ID_AA64DFR0_EL1.PMUVer), which sets its event-number space. */
    PmuVer pmuVersion();

    /** The common events this CPU's PMU implements (PMCEID0/1_EL0). */
    CommonEvents commonEvents();

    /** FEAT_FGT: without it a direct guest counter costs a trap on every PMU register access. */
    boolean fgt();

    /** FEAT_HPMN0: HPMN = 0 (no guest event counter) is legal. */
    boolean hpmn0();

    /** MDCR_EL2.HPMN as the host programs it for guests on this CPU (N when nothing is partitioned). */
    int hpmn();

    /** The counters host perf may use on this CPU ({@code cntr_mask}). */
    long hostCounterMask();

    /** The counters host perf events occupy now ({@code used_mask}). */
    long hostCountersInUse();

    /** The counters occupied by pinned host events now: a guest share must not cross them. */
    long hostPinnedCounters();

    /** The vCPU loaded on this CPU, if any. */
    Optional<VcpuView> loadedVcpu();
}
