package dev.pmulab.policy.composite;

/** The errno values KVM's PMU attributes return (as negative numbers), by their Linux names. */
public final class Errno {
    public static final int ENXIO = 6;
    public static final int ENOMEM = 12;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;

    private Errno() {}

    /** {@code -EBUSY} for -16; {@code errno -99} for a value without a name here. */
    public static String name(int ret) {
        String n = switch (-ret) {
            case ENXIO -> "ENXIO";
            case ENOMEM -> "ENOMEM";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            default -> null;
        };
        return n == null ? "errno " + ret : "-" + n;
    }
}
