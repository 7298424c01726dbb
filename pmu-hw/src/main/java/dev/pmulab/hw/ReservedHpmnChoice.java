package dev.pmulab.hw;

/**
 * How the PE behaves when MDCR_EL2.HPMN holds a reserved value: greater than N, or 0 without
 * FEAT_HPMN0 (Unpredictable_RES_HPMN). A direct read of HPMN always returns the value written.
 * See pmuv3-architecture.md §9 D3/D4.
 */
public enum ReservedHpmnChoice {
    /** Behave as if HPMN = N: every counter in the first range (the model's default). */
    AS_N,
    /** Behave as if every event counter were in the second range (KVM nested, QEMU 7.2 for HPMN=0). */
    ALL_SECOND_RANGE
}
