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
}
