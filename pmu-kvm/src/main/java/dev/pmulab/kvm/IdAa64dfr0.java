package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EBUSY;
import static dev.pmulab.api.Errno.EINVAL;

import dev.pmulab.hw.PmuVersion;

/**
 * ID_AA64DFR0_EL1 as KVM keeps it: one value per VM ({@code kvm->arch.id_regs}, ID registers are
 * VM-wide), set from the sanitised value at the VM's first KVM_ARM_VCPU_INIT
 * (kvm_reset_sys_regs() / reset_vm_ftr_id_reg(), once) and writable from userspace until a vCPU
 * has run (sys_regs.c set_id_aa64dfr0_el1() and set_id_reg()). Its PMUVer is the guest's PMU
 * version: kvm_pmu_event_mask(), kvm_pmu_evtyper_mask(), kvm_pmc_is_64bit() and PMCR_EL0.LP read
 * it; the event filter's size does not (it keeps the host limit, kvm-vpmu-uapi.md §1.3).
 *
 * <p>The model's register has DebugVer = 6 (Armv8.0 debug) and PMUVer; every other field reads 0.
 */
final class IdAa64dfr0 {
    static final int PMUVER_SHIFT = 8;
    static final long PMUVER_MASK = 0xfL << PMUVER_SHIFT;
    static final long DEBUGVER_MASK = 0xfL;
    /** ID_AA64DFR0_EL1_PMUVer_IMP_DEF: an IMPLEMENTATION DEFINED PMU, not PMUv3. */
    static final int PMUVER_IMP_DEF = 0xf;
    /** ID_AA64DFR0_EL1_PMUVer_V3P5: 64-bit event counters and PMCR_EL0.LP (FEAT_PMUv3p5). */
    static final int PMUVER_V3P5 = 0b0110;
    /** ID_AA64DFR0_EL1_DebugVer_IMP: Armv8.0 debug, the lowest value a guest may be given. */
    static final int DEBUGVER_IMP = 6;

    private IdAa64dfr0() {}

    /**
     * sanitise_id_aa64dfr0_el1() for this model: PMUVer is kvm_arm_pmu_get_pmuver_limit() when the
     * vCPU has the PMU feature, else 0 (no PMU); DebugVer is Armv8.0. It is the reset value and the
     * limit a userspace write is checked against.
     */
    static long sanitised(boolean hasPmu, PmuVersion pmuVerLimit) {
        long pmuVer = hasPmu && pmuVerLimit != null ? pmuVerLimit.idAa64dfr0PmuVer() : 0;
        return (pmuVer << PMUVER_SHIFT) | DEBUGVER_IMP;
    }

    /** The PMUVer field of a register value. */
    static int pmuVer(long value) {
        return (int) ((value & PMUVER_MASK) >>> PMUVER_SHIFT);
    }

    /**
     * KVM_SET_ONE_REG of ID_AA64DFR0_EL1 from {@code vcpu}, checked in Linux's order:
     * <ol>
     *   <li>set_id_aa64dfr0_el1(): a PMUVer of IMP_DEF is replaced by 0 (no PMU), since older KVMs
     *       gave that value to userspace; then a DebugVer below Armv8.0 is -EINVAL;</li>
     *   <li>set_id_reg(): once a vCPU of the VM has run the register is immutable: the same value is
     *       0, any other -EBUSY;</li>
     *   <li>arm64_check_features(): every field must be "safe" against the sanitised limit of this
     *       vCPU: PMUVer and DebugVer are lower-safe in KVM (kvm_arm64_ftr_safe_value), compared
     *       unsigned (PMUVer has been an unsigned field since commit d1dcc20bcc40), so any PMUVer up
     *       to the limit is accepted, the reserved 2 and 3 and 0 included, and 0 is the only value a
     *       vCPU without the PMU feature accepts. Of the other fields Linux lets DoubleLock and WRPs
     *       be written too, but this model's limit has 0 in all of them, so each must be 0. Its
     *       -E2BIG becomes -EINVAL, the existing ONE_REG ABI.</li>
     * </ol>
     * Success stores the value for the whole VM.
     */
    static int set(Vcpu vcpu, long value) {
        Vm kvm = vcpu.vm();
        long val = value;
        if (pmuVer(val) == PMUVER_IMP_DEF) {
            val &= ~PMUVER_MASK;
        }
        if ((val & DEBUGVER_MASK) < DEBUGVER_IMP) {
            return -EINVAL;
        }
        if (kvm.hasRanOnce) {
            return val == kvm.idAa64dfr0 ? 0 : -EBUSY;
        }
        long limit = sanitised(vcpu.hasPmu(), kvm.host().pmuVerLimit());
        long lowerSafe = PMUVER_MASK | DEBUGVER_MASK;
        boolean safe = pmuVer(val) <= pmuVer(limit)
                && (val & DEBUGVER_MASK) <= (limit & DEBUGVER_MASK)
                && (val & ~lowerSafe) == (limit & ~lowerSafe);
        if (!safe) {
            return -EINVAL;
        }
        kvm.idAa64dfr0 = val;
        return 0;
    }
}
