package dev.pmulab.kvm;

/**
 * The fields of a vCPU's {@code struct kvm_run} that KVM_RUN fills for this model: the exit reason,
 * for KVM_EXIT_FAIL_ENTRY the {@code fail_entry} member (kvm-vpmu-uapi.md §1.4), and
 * {@code s.regs.device_irq_level}, the lines of in-kernel devices a userspace irqchip sees (§1.0,
 * §2.4). The structure is memory userspace shares with KVM (mmap of the vCPU fd), so userspace may
 * also write {@code device_irq_level}, as KVM reads it back to decide whether to exit.
 */
public final class KvmRun {
    private int exitReason = KvmUapi.KVM_EXIT_UNKNOWN;
    private long hardwareEntryFailureReason;
    private int failEntryCpu;
    private long deviceIrqLevel;

    KvmRun() {}

    /** {@code run->exit_reason}. */
    public int exitReason() {
        return exitReason;
    }

    /** {@code run->fail_entry.hardware_entry_failure_reason}; meaningful for KVM_EXIT_FAIL_ENTRY. */
    public long hardwareEntryFailureReason() {
        return hardwareEntryFailureReason;
    }

    /** {@code run->fail_entry.cpu}: the physical CPU entry was refused on. */
    public int failEntryCpu() {
        return failEntryCpu;
    }

    /**
     * {@code run->s.regs.device_irq_level}: KVM_ARM_DEV_PMU is the PMU overflow line as the last
     * KVM_RUN left it, written by KVM only for a VM without an in-kernel irqchip
     * (kvm_pmu_update_run); the timer bits stay 0 here (the timers are not modelled).
     */
    public long deviceIrqLevel() {
        return deviceIrqLevel;
    }

    /** A userspace store to {@code run->s.regs.device_irq_level} in its mapping of kvm_run. */
    public void setDeviceIrqLevel(long level) {
        deviceIrqLevel = level;
    }

    void exit(int reason) {
        exitReason = reason;
        hardwareEntryFailureReason = 0;
        failEntryCpu = 0;
    }

    void failEntry(long reason, int cpu) {
        exitReason = KvmUapi.KVM_EXIT_FAIL_ENTRY;
        hardwareEntryFailureReason = reason;
        failEntryCpu = cpu;
    }
}
