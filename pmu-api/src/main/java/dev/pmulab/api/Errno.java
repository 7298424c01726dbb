package dev.pmulab.api;

/**
 * The Linux errno values (include/uapi/asm-generic/errno-base.h) that KVM's calls return negated, as
 * the kernel's ioctl handlers do: {@code -EBUSY}, never -1 plus a global errno. The SPI's
 * {@link VmmPmuControl} returns them, so a policy names them with these constants and the simulator
 * and every plugin spell them the same way in messages.
 */
@Stable(since = "0.1")
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int ENXIO = 6;
    public static final int ENOEXEC = 8;
    public static final int ENOMEM = 12;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;

    private Errno() {}

    /**
     * The symbolic name of an errno, negated or not: {@code name(-16)} is "-EBUSY", 0 is "0", and a
     * value without a name here keeps its number: {@code name(-99)} is "-errno 99".
     */
    public static String name(int errno) {
        if (errno == 0) {
            return "0";
        }
        String sign = errno < 0 ? "-" : "";
        String n = switch (Math.abs(errno)) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case ENXIO -> "ENXIO";
            case ENOEXEC -> "ENOEXEC";
            case ENOMEM -> "ENOMEM";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            default -> "errno " + Math.abs(errno);
        };
        return sign + n;
    }
}
