package dev.pmulab.hw;

/** What a system-register access at the current Exception level does, decided before it happens. */
public enum AccessOutcome {
    /** The access happens (a RAZ/WI access also counts as happening). */
    OK,
    /** UNDEFINED: taken to EL1 from EL0/EL1, to EL2 from EL2. */
    UNDEFINED,
    /** Trapped to EL1 as an MSR/MRS trap (EC 0x18). */
    TRAP_EL1,
    /** Trapped to EL2 as an MSR/MRS trap (EC 0x18). */
    TRAP_EL2;

    /** The exception class an MSR/MRS trap reports in ESR_ELx.EC. */
    public static final int EC_MSR_MRS = 0x18;

    public boolean isTrap() {
        return this == TRAP_EL1 || this == TRAP_EL2;
    }
}
