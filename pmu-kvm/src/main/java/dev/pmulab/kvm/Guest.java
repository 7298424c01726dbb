package dev.pmulab.kvm;

import dev.pmulab.hw.PmuRegister;

/**
 * The guest's view of its vCPU while {@link GuestCode} runs at EL1: MRS and MSR of the PMU system
 * registers, which trap to KVM and are emulated as sys_regs.c does (kvm-vpmu-uapi.md §2.1). An
 * access KVM refuses raises {@link GuestSyncException} with EC 0x00, the UNDEFINED exception KVM
 * injects; guest code catches it where a selftest's exception handler would.
 */
public interface Guest {
    /** The id of the vCPU this code runs on. */
    int vcpuId();

    /** MRS of an unindexed register ({@code read_sysreg(pmcr_el0)}). */
    default long read(PmuRegister reg) {
        return read(reg, 0);
    }

    /** MRS; {@code n} is the index of PMEVCNTR&lt;n&gt;_EL0 / PMEVTYPER&lt;n&gt;_EL0. */
    long read(PmuRegister reg, int n);

    /** MSR of an unindexed register ({@code write_sysreg(v, pmcntenset_el0)}). */
    default void write(PmuRegister reg, long value) {
        write(reg, 0, value);
    }

    /** MSR; {@code n} is the index of PMEVCNTR&lt;n&gt;_EL0 / PMEVTYPER&lt;n&gt;_EL0. */
    void write(PmuRegister reg, int n, long value);
}
