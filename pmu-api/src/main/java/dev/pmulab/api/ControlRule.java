package dev.pmulab.api;

/**
 * The hardware and kernel rules the core checks a policy's control actions against. A refusal
 * ({@link ControlRefusedException}) names one, and so does the report of the run it failed.
 */
@Stable(since = "0.1")
public enum ControlRule {
    /** MDCR_EL2.HPMN is at most PMCR_EL0.N (a larger value is reserved, Arm ARM D24.3 MDCR_EL2.HPMN). */
    HPMN_LE_N("HPMN <= N"),
    /** MDCR_EL2.HPMN = 0 is reserved without FEAT_HPMN0. */
    HPMN0("HPMN0"),
    /**
     * A partition (HPMN below N, a host cntr_mask without every counter, direct guest counters)
     * needs a VHE host: the counters above HPMN belong to EL2, where an nVHE host kernel does not run
     * (partitioning-and-policies.md §3.8).
     */
    VHE_ONLY("VHE only"),
    /** A guest share (counters below HPMN and PMCCNTR) may not cross a counter a pinned host event holds. */
    PINNED_HOST_EVENT("pinned host event"),
    /** A host cntr_mask names only counters the CPU's PMU implements. */
    IMPLEMENTED_COUNTERS("implemented counters");

    private final String ruleName;

    ControlRule(String ruleName) {
        this.ruleName = ruleName;
    }

    /** The short, stable name messages and reports use: {@code HPMN <= N}, {@code VHE only}. */
    public String ruleName() {
        return ruleName;
    }
}
