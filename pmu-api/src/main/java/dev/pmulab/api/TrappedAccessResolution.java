package dev.pmulab.api;

/** What KVM does with a guest access to a counter at or above HPMN, as the allocation policy decides. */
@Stable(since = "0.1")
public enum TrappedAccessResolution {
    /** The policy moved HPMN to cover the counter: the guest re-executes the access, which now succeeds. */
    RETRY,
    /** KVM emulates the access on the vCPU's virtual counter state (reads as zero if never written). */
    EMULATE,
    /** KVM injects an UNDEFINED exception, as for a counter the vCPU does not have. */
    INJECT_UNDEFINED
}
