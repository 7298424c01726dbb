package dev.pmulab.hw;

import dev.pmulab.hw.regs.HdfgxtrEl2;
import dev.pmulab.hw.regs.MdcrEl2;
import dev.pmulab.hw.regs.PmuserenrEl0;

/**
 * The access checks of the PMU registers (Arm ARM D24.5 accessibility pseudocode;
 * pmuv3-architecture.md §2.11, §2.12): whether an MRS or MSR at the PE's current Exception level
 * happens, is UNDEFINED, or traps to EL1 or EL2, in the Arm ARM's order. First the decode (the
 * other direction of a read-only or write-only register, a counter index at or above N, a register
 * the PE lacks or the level may not name), then at EL0 PMUSERENR_EL0, then the fine-grained trap,
 * then MDCR_EL2.TPM and TPMCR, last HPMN.
 *
 * <p>Static functions of a {@link Pe}'s configuration and registers, each register read only when
 * the decision gets to it: {@link Pe} owns the state and asks before every access. Static and
 * reading the PE directly because the check runs on every guest access: an instance with its own
 * copy of the configuration, or the registers passed as arguments, measured some 5% slower in
 * {@code PeBenchmark.trappedAccessCheck}. Allocates nothing.
 */
final class AccessCheck {
    private AccessCheck() {}

    /**
     * Decides an MRS ({@code write == false}) or MSR of {@code reg} (index {@code index} for
     * PMEVCNTR/PMEVTYPER) at {@code pe}'s current Exception level.
     */
    static AccessOutcome check(Pe pe, PmuRegister reg, int index, boolean write) {
        ExceptionLevel el = pe.exceptionLevel();
        PmuConfig config = pe.config();
        // Decode: the other direction of a read-only or write-only register is UNDEFINED.
        if ((reg.access() == PmuRegister.Access.RO && write) || (reg.access() == PmuRegister.Access.WO && !write)) {
            return AccessOutcome.UNDEFINED;
        }
        switch (reg) {
            case PMEVCNTR_EL0, PMEVTYPER_EL0 -> {
                // n >= N: UNDEFINED before any other check (FGT rule RSRPKH; model choice D2 without FGT).
                if (index < 0 || index >= config.n()) {
                    return AccessOutcome.UNDEFINED;
                }
            }
            case MDCR_EL2 -> {
                return el == ExceptionLevel.EL2 ? AccessOutcome.OK : AccessOutcome.UNDEFINED;
            }
            case PMMIR_EL1 -> {
                if (!config.version().atLeast(PmuVersion.P4) || el == ExceptionLevel.EL0) {
                    return AccessOutcome.UNDEFINED;
                }
            }
            case PMINTENSET_EL1, PMINTENCLR_EL1 -> {
                if (el == ExceptionLevel.EL0) {
                    return AccessOutcome.UNDEFINED;
                }
            }
            case BRBCR_EL1, BRBFCR_EL1 -> {
                return config.brbe() && el != ExceptionLevel.EL0 ? AccessOutcome.OK : AccessOutcome.UNDEFINED;
            }
            case BRBCR_EL2 -> {
                return config.brbe() && el == ExceptionLevel.EL2 ? AccessOutcome.OK : AccessOutcome.UNDEFINED;
            }
            case HDFGRTR_EL2, HDFGWTR_EL2 -> {
                return config.fgt() && el == ExceptionLevel.EL2 ? AccessOutcome.OK : AccessOutcome.UNDEFINED;
            }
            default -> {}
        }
        if (el == ExceptionLevel.EL2) {
            if (reg == PmuRegister.PMXEVCNTR_EL0 || reg == PmuRegister.PMXEVTYPER_EL0) {
                return selectedCounterUndefined(reg, pe.pmselr(), config.n())
                        ? AccessOutcome.UNDEFINED
                        : AccessOutcome.OK;
            }
            return AccessOutcome.OK;
        }
        if (el == ExceptionLevel.EL0) {
            if (reg == PmuRegister.PMUSERENR_EL0) {
                // Readable at EL0 whatever its value; not writable there.
                if (write) {
                    return AccessOutcome.UNDEFINED;
                }
            } else if (!el0Permitted(reg, write, pe.pmuserenr())) {
                return AccessOutcome.TRAP_EL1;
            }
        }
        // Arm ARM D24.5 step 2: a fine-grained trap comes before MDCR_EL2.TPM.
        if (config.fgt() && (fineGrainedTrapBit(reg, write) & pe.fineGrainedTraps(write)) != 0) {
            return AccessOutcome.TRAP_EL2;
        }
        long mdcr = pe.mdcr();
        if ((mdcr & MdcrEl2.TPM) != 0) {
            return AccessOutcome.TRAP_EL2;
        }
        if (reg == PmuRegister.PMCR_EL0 && (mdcr & MdcrEl2.TPMCR) != 0) {
            return AccessOutcome.TRAP_EL2;
        }
        int counter = switch (reg) {
            case PMEVCNTR_EL0, PMEVTYPER_EL0 -> index;
            case PMXEVCNTR_EL0, PMXEVTYPER_EL0 -> {
                int pmselr = pe.pmselr();
                if (selectedCounterUndefined(reg, pmselr, config.n())) {
                    yield -2;
                }
                yield pmselr == Pe.CYCLE_COUNTER ? -1 : pmselr;
            }
            default -> -1;
        };
        if (counter == -2) {
            return AccessOutcome.UNDEFINED;
        }
        if (counter >= pe.effectiveHpmn()) {
            // HPMN <= n < N from EL0/EL1: FGT makes it a trap to EL2; without FGT it is
            // CONSTRAINED UNPREDICTABLE and follows the configured choice (D1).
            if (config.fgt()) {
                return AccessOutcome.TRAP_EL2;
            }
            return switch (config.cu()) {
                case TRAP -> AccessOutcome.TRAP_EL2;
                case UNDEF -> AccessOutcome.UNDEFINED;
                case RAZWI, NOP -> AccessOutcome.OK;
            };
        }
        return AccessOutcome.OK;
    }

    /**
     * Whether an access that {@link #check} allowed to event counter {@code counter} at {@code el}
     * is RAZ/WI or a NOP: a second-range counter from EL0/EL1 without FGT, by the model's choice.
     */
    static boolean cuIgnored(boolean cuIgnorable, int counter, ExceptionLevel el, int effectiveHpmn) {
        return cuIgnorable && el != ExceptionLevel.EL2 && counter >= effectiveHpmn;
    }

    /**
     * The part of {@link #cuIgnored} that depends on the PE's configuration alone (no FGT, and the
     * model's choice is RAZ/WI or NOP), which a PE computes once.
     */
    static boolean cuIgnorable(PmuConfig config) {
        return !config.fgt() && (config.cu() == CuChoice.RAZWI || config.cu() == CuChoice.NOP);
    }

    /** The HDFGRTR_EL2/HDFGWTR_EL2 bit that traps this access (pmuv3-architecture.md §3.1), 0 if none. */
    private static long fineGrainedTrapBit(PmuRegister reg, boolean write) {
        return switch (reg) {
            case PMEVCNTR_EL0, PMXEVCNTR_EL0 -> HdfgxtrEl2.PMEVCNTRN_EL0;
            case PMEVTYPER_EL0, PMXEVTYPER_EL0 -> HdfgxtrEl2.PMEVTYPERN_EL0;
            case PMCCFILTR_EL0 -> HdfgxtrEl2.PMCCFILTR_EL0;
            case PMCCNTR_EL0 -> HdfgxtrEl2.PMCCNTR_EL0;
            case PMCNTENSET_EL0, PMCNTENCLR_EL0 -> HdfgxtrEl2.PMCNTEN;
            case PMINTENSET_EL1, PMINTENCLR_EL1 -> HdfgxtrEl2.PMINTEN;
            case PMOVSSET_EL0, PMOVSCLR_EL0 -> HdfgxtrEl2.PMOVS;
            case PMSELR_EL0 -> HdfgxtrEl2.PMSELR_EL0;
            case PMSWINC_EL0 -> HdfgxtrEl2.PMSWINC_EL0;
            case PMCR_EL0 -> write ? HdfgxtrEl2.PMCR_EL0 : 0;
            case PMMIR_EL1 -> HdfgxtrEl2.PMMIR_EL1;
            case PMUSERENR_EL0 -> HdfgxtrEl2.PMUSERENR_EL0;
            case PMCEID0_EL0, PMCEID1_EL0 -> HdfgxtrEl2.PMCEIDN_EL0;
            default -> 0;
        };
    }

    /** PMXEV* with SEL &gt;= N (other than PMXEVTYPER with SEL = 31) is UNDEFINED (D2, D5). */
    private static boolean selectedCounterUndefined(PmuRegister reg, int pmselr, int n) {
        if (pmselr == Pe.CYCLE_COUNTER) {
            return reg == PmuRegister.PMXEVCNTR_EL0;
        }
        return pmselr >= n;
    }

    /** PMUSERENR_EL0 gating of EL0: EN opens everything; SW, CR and ER open one access each. */
    private static boolean el0Permitted(PmuRegister reg, boolean write, long pmuserenr) {
        if ((pmuserenr & PmuserenrEl0.EN) != 0) {
            return true;
        }
        return switch (reg) {
            case PMSWINC_EL0 -> (pmuserenr & PmuserenrEl0.SW) != 0;
            case PMCCNTR_EL0 -> !write && (pmuserenr & PmuserenrEl0.CR) != 0;
            case PMEVCNTR_EL0, PMXEVCNTR_EL0 -> !write && (pmuserenr & PmuserenrEl0.ER) != 0;
            case PMSELR_EL0 -> (pmuserenr & PmuserenrEl0.ER) != 0;
            default -> false;
        };
    }
}
