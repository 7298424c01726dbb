package dev.pmulab.kvm;

/**
 * The fields of a vCPU's {@code struct kvm_run} that KVM_RUN fills for this model: the exit reason,
 * and for KVM_EXIT_FAIL_ENTRY the {@code fail_entry} member (kvm-vpmu-uapi.md §1.4).
 */
public final class KvmRun {
    private int exitReason = KvmUapi.KVM_EXIT_UNKNOWN;
    private long hardwareEntryFailureReason;
    private int failEntryCpu;

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
