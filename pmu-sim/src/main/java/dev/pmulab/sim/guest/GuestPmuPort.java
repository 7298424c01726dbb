package dev.pmulab.sim.guest;

import dev.pmulab.hw.PmuRegister;

/**
 * What a guest kernel's PMU driver touches: its vCPU's PMU system registers, accessed from guest
 * EL1. Each access costs whatever the virtual PMU makes it cost (a native access or a trap to
 * KVM), which the engine charges to the vCPU; the guest model only issues the accesses a real
 * driver would, in its order.
 */
public interface GuestPmuPort {
    /**
     * MRS at guest EL1.
     *
     * @throws GuestUndefinedException when KVM injects an UNDEFINED exception
     */
    long read(PmuRegister reg, int index);

    /**
     * MSR at guest EL1.
     *
     * @throws GuestUndefinedException when KVM injects an UNDEFINED exception
     */
    void write(PmuRegister reg, int index, long value);

    /** Guest time now, in ns. */
    long now();

    default long read(PmuRegister reg) {
        return read(reg, 0);
    }

    default void write(PmuRegister reg, long value) {
        write(reg, 0, value);
    }

    /**
     * The first step of every guest PMU interrupt handler: read PMOVSCLR_EL0 and, if any flag is
     * set, write the same bits back to clear them (a read of 0 was a spurious interrupt).
     *
     * @return the overflow flags that were set
     */
    default long readAndClearOverflows() {
        long flags = read(PmuRegister.PMOVSCLR_EL0);
        if (flags != 0) {
            write(PmuRegister.PMOVSCLR_EL0, flags);
        }
        return flags;
    }
}
