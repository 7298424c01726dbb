package dev.pmulab.sim.guest;

import dev.pmulab.hw.PmuRegister;

/** KVM injected an UNDEFINED exception for a guest PMU register access. */
public final class GuestUndefinedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestUndefinedException(PmuRegister reg, int index, boolean write) {
        super((write ? "MSR " : "MRS ") + reg.archName(index) + " is UNDEFINED", null, false, false);
    }
}
