package dev.pmulab.hw;

import java.util.Locale;

/**
 * The AArch64 system registers of the PMU (Arm ARM D24.5) plus MDCR_EL2 and the BRBE freeze
 * controls. {@link #PMEVCNTR_EL0} and {@link #PMEVTYPER_EL0} stand for the 31 indexed registers
 * PMEVCNTR&lt;n&gt;_EL0 and PMEVTYPER&lt;n&gt;_EL0; an access names the index separately.
 */
public enum PmuRegister {
    PMCR_EL0(Access.RW),
    PMCNTENSET_EL0(Access.RW),
    PMCNTENCLR_EL0(Access.RW),
    PMOVSSET_EL0(Access.RW),
    PMOVSCLR_EL0(Access.RW),
    PMINTENSET_EL1(Access.RW),
    PMINTENCLR_EL1(Access.RW),
    PMSWINC_EL0(Access.WO),
    PMSELR_EL0(Access.RW),
    PMCEID0_EL0(Access.RO),
    PMCEID1_EL0(Access.RO),
    PMCCNTR_EL0(Access.RW),
    PMCCFILTR_EL0(Access.RW),
    PMXEVTYPER_EL0(Access.RW),
    PMXEVCNTR_EL0(Access.RW),
    PMUSERENR_EL0(Access.RW),
    PMEVCNTR_EL0(Access.RW),
    PMEVTYPER_EL0(Access.RW),
    PMMIR_EL1(Access.RO),
    MDCR_EL2(Access.RW),
    /** BRBE branch record control at EL1; only FZP and the enables matter to the model (FEAT_BRBE). */
    BRBCR_EL1(Access.RW),
    /** BRBE branch record control at EL2 (FEAT_BRBE). */
    BRBCR_EL2(Access.RW),
    /** BRBE function control; PAUSED is bit 7 (FEAT_BRBE). */
    BRBFCR_EL1(Access.RW),
    /** FEAT_FGT read traps of EL0/EL1 accesses; the model keeps its PMU bits (pmuv3-architecture.md §3.1). */
    HDFGRTR_EL2(Access.RW),
    /** FEAT_FGT write traps of EL0/EL1 accesses; the model keeps its PMU bits. */
    HDFGWTR_EL2(Access.RW);

    /** Which directions the register's encodings allow; the other direction is UNDEFINED. */
    public enum Access {
        RW,
        RO,
        WO
    }

    private final Access access;

    PmuRegister(Access access) {
        this.access = access;
    }

    public Access access() {
        return access;
    }

    public boolean indexed() {
        return this == PMEVCNTR_EL0 || this == PMEVTYPER_EL0;
    }

    /** The Arm ARM name of this register at index {@code n} (n ignored unless indexed). */
    public String archName(int n) {
        return switch (this) {
            case PMEVCNTR_EL0 -> "PMEVCNTR" + n + "_EL0";
            case PMEVTYPER_EL0 -> "PMEVTYPER" + n + "_EL0";
            default -> name();
        };
    }

    /** A register and its index, as named in a script: {@code PMEVCNTR3_EL0}, {@code PMCR_EL0}. */
    public record Named(PmuRegister register, int index) {
        public String archName() {
            return register.archName(index);
        }
    }

    /**
     * Parses an Arm ARM register name (upper case, as the Arm ARM writes it).
     *
     * @throws IllegalArgumentException for a name that is not a PMU register of the model
     */
    public static Named parse(String name) {
        for (String prefix : new String[] {"PMEVCNTR", "PMEVTYPER"}) {
            if (name.startsWith(prefix) && name.endsWith("_EL0")) {
                String digits = name.substring(prefix.length(), name.length() - 4);
                if (digits.matches("[0-9]|[12][0-9]|30")) {
                    return new Named(
                            prefix.equals("PMEVCNTR") ? PMEVCNTR_EL0 : PMEVTYPER_EL0, Integer.parseInt(digits));
                }
                throw new IllegalArgumentException(
                        "unknown register " + name + " (" + prefix + "<n>_EL0 takes n = 0..30)");
            }
        }
        if (!name.equals(name.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("unknown register " + name + " (register names are upper case)");
        }
        try {
            PmuRegister r = valueOf(name);
            if (r.indexed()) {
                throw new IllegalArgumentException("unknown register " + name);
            }
            return new Named(r, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown register " + name, e);
        }
    }
}
