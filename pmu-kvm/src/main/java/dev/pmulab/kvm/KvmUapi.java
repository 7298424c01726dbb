package dev.pmulab.kvm;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;

/**
 * The KVM arm64 UAPI constants this package implements, named and valued as Linux's
 * include/uapi/linux/kvm.h and arch/arm64/include/uapi/asm/kvm.h name them (kvm-vpmu-uapi.md §1.0),
 * and the KVM_{GET,SET}_ONE_REG register ids of the PMU system registers.
 */
public final class KvmUapi {
    // kvm_vcpu_init.features[0] bits.
    public static final int KVM_ARM_VCPU_POWER_OFF = 0;
    public static final int KVM_ARM_VCPU_EL1_32BIT = 1;
    public static final int KVM_ARM_VCPU_PSCI_0_2 = 2;
    public static final int KVM_ARM_VCPU_PMU_V3 = 3;
    public static final int KVM_ARM_VCPU_SVE = 4;
    public static final int KVM_ARM_VCPU_PTRAUTH_ADDRESS = 5;
    public static final int KVM_ARM_VCPU_PTRAUTH_GENERIC = 6;
    public static final int KVM_ARM_VCPU_HAS_EL2 = 7;
    public static final int KVM_ARM_VCPU_HAS_EL2_E2H0 = 8;
    /** Feature bits at or above this are unknown to KVM: KVM_ARM_VCPU_INIT returns -ENOENT. */
    public static final int KVM_VCPU_MAX_FEATURES = 9;

    public static final int KVM_CAP_ARM_PMU_V3 = 126;
    /** A VM without an in-kernel irqchip: the timers' and the PMU's lines go to userspace through kvm_run. */
    public static final int KVM_CAP_ARM_USER_IRQ = 144;

    // vCPU device-attribute group and its attributes (§1.0; attribute 5 is the unmerged RFC, §1.7).
    public static final int KVM_ARM_VCPU_PMU_V3_CTRL = 0;
    public static final int KVM_ARM_VCPU_PMU_V3_IRQ = 0;
    public static final int KVM_ARM_VCPU_PMU_V3_INIT = 1;
    public static final int KVM_ARM_VCPU_PMU_V3_FILTER = 2;
    public static final int KVM_ARM_VCPU_PMU_V3_SET_PMU = 3;
    public static final int KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS = 4;
    public static final int KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY = 5;

    // struct kvm_pmu_event_filter.action
    public static final int KVM_PMU_EVENT_ALLOW = 0;
    public static final int KVM_PMU_EVENT_DENY = 1;

    // kvm_run.exit_reason
    public static final int KVM_EXIT_UNKNOWN = 0;
    public static final int KVM_EXIT_MMIO = 6;
    /** linux/kvm.h: 9 (§1.0 marks the value unverified; the header's #define says 9). */
    public static final int KVM_EXIT_FAIL_ENTRY = 9;
    /** KVM_RUN returned -EINTR, here because a userspace irqchip must see a changed device line. */
    public static final int KVM_EXIT_INTR = 10;
    /** kvm_run.fail_entry.hardware_entry_failure_reason: the vCPU ran on a CPU its PMU does not cover. */
    public static final long KVM_EXIT_FAIL_ENTRY_CPU_UNSUPPORTED = 1L << 0;

    // kvm_run.s.regs.device_irq_level: the output lines of in-kernel devices a userspace irqchip sees.
    public static final long KVM_ARM_DEV_EL1_VTIMER = 1L << 0;
    public static final long KVM_ARM_DEV_EL1_PTIMER = 1L << 1;
    public static final long KVM_ARM_DEV_PMU = 1L << 2;

    /** The PMC index of the cycle counter (ARMV8_PMU_CYCLE_IDX). */
    public static final int ARMV8_PMU_CYCLE_IDX = Pe.CYCLE_COUNTER;
    /** Event counters a PMU can have (ARMV8_PMU_MAX_GENERAL_COUNTERS). */
    public static final int ARMV8_PMU_MAX_GENERAL_COUNTERS = 31;

    // KVM_{GET,SET}_ONE_REG ids: KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | encoding.
    public static final long KVM_REG_ARM64 = 0x6000_0000_0000_0000L;
    public static final long KVM_REG_SIZE_U64 = 0x0030_0000_0000_0000L;
    public static final long KVM_REG_ARM64_SYSREG = 0x0013L << 16;

    /** The id of ID_AA64DFR0_EL1 (3, 0, 0, 5, 0), whose PMUVer field says which PMU the guest has. */
    public static final long SYS_ID_AA64DFR0_EL1 = ARM64_SYS_REG(3, 0, 0, 5, 0);

    private KvmUapi() {}

    /** The ONE_REG id of the system register with this encoding (asm/kvm.h ARM64_SYS_REG). */
    public static long ARM64_SYS_REG(int op0, int op1, int crn, int crm, int op2) {
        checkField("op0", op0, 3);
        checkField("op1", op1, 7);
        checkField("crn", crn, 15);
        checkField("crm", crm, 15);
        checkField("op2", op2, 7);
        return KVM_REG_ARM64
                | KVM_REG_SIZE_U64
                | KVM_REG_ARM64_SYSREG
                | ((long) op0 << 14)
                | ((long) op1 << 11)
                | ((long) crn << 7)
                | ((long) crm << 3)
                | op2;
    }

    /** The ONE_REG id of an unindexed PMU register, as the selftests' KVM_ARM64_SYS_REG(SYS_PMCR_EL0). */
    public static long KVM_ARM64_SYS_REG(PmuRegister reg) {
        requireNonNull(reg, "reg is null");
        if (reg.indexed()) {
            throw new IllegalArgumentException(reg + " needs a counter index");
        }
        return KVM_ARM64_SYS_REG(reg, 0);
    }

    /**
     * The ONE_REG id of a PMU register; {@code n} is the counter index of PMEVCNTR&lt;n&gt;_EL0 and
     * PMEVTYPER&lt;n&gt;_EL0, ignored for the others.
     */
    public static long KVM_ARM64_SYS_REG(PmuRegister reg, int n) {
        requireNonNull(reg, "reg is null");
        if (reg.indexed() && (n < 0 || n > 30)) {
            throw new IllegalArgumentException(reg.archName(n) + ": n must be 0..30");
        }
        return switch (reg) {
            case PMCR_EL0 -> ARM64_SYS_REG(3, 3, 9, 12, 0);
            case PMCNTENSET_EL0 -> ARM64_SYS_REG(3, 3, 9, 12, 1);
            case PMCNTENCLR_EL0 -> ARM64_SYS_REG(3, 3, 9, 12, 2);
            case PMOVSCLR_EL0 -> ARM64_SYS_REG(3, 3, 9, 12, 3);
            case PMSWINC_EL0 -> ARM64_SYS_REG(3, 3, 9, 12, 4);
            case PMSELR_EL0 -> ARM64_SYS_REG(3, 3, 9, 12, 5);
            case PMCEID0_EL0 -> ARM64_SYS_REG(3, 3, 9, 12, 6);
            case PMCEID1_EL0 -> ARM64_SYS_REG(3, 3, 9, 12, 7);
            case PMCCNTR_EL0 -> ARM64_SYS_REG(3, 3, 9, 13, 0);
            case PMXEVTYPER_EL0 -> ARM64_SYS_REG(3, 3, 9, 13, 1);
            case PMXEVCNTR_EL0 -> ARM64_SYS_REG(3, 3, 9, 13, 2);
            case PMUSERENR_EL0 -> ARM64_SYS_REG(3, 3, 9, 14, 0);
            case PMINTENSET_EL1 -> ARM64_SYS_REG(3, 0, 9, 14, 1);
            case PMINTENCLR_EL1 -> ARM64_SYS_REG(3, 0, 9, 14, 2);
            case PMOVSSET_EL0 -> ARM64_SYS_REG(3, 3, 9, 14, 3);
            case PMMIR_EL1 -> ARM64_SYS_REG(3, 0, 9, 14, 6);
            case PMEVCNTR_EL0 -> ARM64_SYS_REG(3, 3, 14, 0b1000 | (n >> 3), n & 7);
            case PMEVTYPER_EL0 -> ARM64_SYS_REG(3, 3, 14, 0b1100 | (n >> 3), n & 7);
            case PMCCFILTR_EL0 -> ARM64_SYS_REG(3, 3, 14, 15, 7);
            case MDCR_EL2 -> ARM64_SYS_REG(3, 4, 1, 1, 1);
            case BRBCR_EL1 -> ARM64_SYS_REG(2, 1, 9, 0, 0);
            case BRBCR_EL2 -> ARM64_SYS_REG(2, 4, 9, 0, 0);
            case BRBFCR_EL1 -> ARM64_SYS_REG(2, 1, 9, 0, 1);
            case HDFGRTR_EL2 -> ARM64_SYS_REG(3, 4, 3, 1, 4);
            case HDFGWTR_EL2 -> ARM64_SYS_REG(3, 4, 3, 1, 5);
        };
    }

    /** The PMU register a ONE_REG id names, or null when it names no PMU register. */
    static PmuRegister.Named decodePmuRegister(long id) {
        for (PmuRegister reg : PmuRegister.values()) {
            int count = reg.indexed() ? 31 : 1;
            for (int n = 0; n < count; n++) {
                if (KVM_ARM64_SYS_REG(reg, n) == id) {
                    return new PmuRegister.Named(reg, n);
                }
            }
        }
        return null;
    }

    private static void checkField(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " must be 0.." + max + ", was " + value);
        }
    }
}
