package dev.pmulab.hw;

import java.util.Locale;

/**
 * The model's choice for an EL0/EL1 access to an event counter HPMN &lt;= n &lt; N without FEAT_FGT,
 * which the Arm ARM leaves CONSTRAINED UNPREDICTABLE (Unpredictable_PMUEVENTCOUNTER, D24.5.10).
 * The default, {@link #TRAP}, is what FEAT_FGT makes architectural and what KVM's nested trap table
 * does (pmuv3-architecture.md §9 D1).
 */
public enum CuChoice {
    /** Trap to EL2 with EC 0x18. */
    TRAP("trap"),
    /** UNDEFINED, taken to EL1. */
    UNDEF("undef"),
    /** Reads return zero, writes are ignored. */
    RAZWI("razwi"),
    /**
     * The instruction is a NOP: nothing is written, and the destination of a read keeps its old
     * value, which the model shows as zero (a pmuscript has no general-purpose registers).
     */
    NOP("nop");

    private final String configName;

    CuChoice(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static CuChoice fromConfigName(String name) {
        for (CuChoice c : values()) {
            if (c.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cu choice '" + name + "'; known: trap, undef, razwi, nop");
    }
}
