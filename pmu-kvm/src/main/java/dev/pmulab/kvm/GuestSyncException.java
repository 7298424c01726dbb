package dev.pmulab.kvm;

/**
 * A synchronous exception taken by the guest, as KVM injects it for a PMU register access it
 * refuses. {@link #ec()} is the ESR_EL1.EC the guest's handler sees.
 */
public final class GuestSyncException extends RuntimeException {
    /** ESR_ELx_EC_UNKNOWN: the EC of the UNDEFINED exception KVM injects. */
    public static final int ESR_ELx_EC_UNKNOWN = 0x00;

    private static final long serialVersionUID = 1L;

    private final int ec;

    GuestSyncException(int ec, String access) {
        super("guest took a synchronous exception, EC 0x" + Integer.toHexString(ec) + ", on " + access);
        this.ec = ec;
    }

    static GuestSyncException undefined(String access) {
        return new GuestSyncException(ESR_ELx_EC_UNKNOWN, access);
    }

    public int ec() {
        return ec;
    }
}
