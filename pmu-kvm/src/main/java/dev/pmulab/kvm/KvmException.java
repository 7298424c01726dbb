package dev.pmulab.kvm;

import dev.pmulab.api.Errno;

/**
 * An ioctl failed where the caller asserts success, as the selftest library's wrappers
 * (vm_vcpu_add, vcpu_get_reg, vgic_v3_setup) abort the test. The calls that return an errno never
 * throw this.
 */
public final class KvmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public KvmException(String call, int errno) {
        super(call + " failed: " + Errno.name(-Math.abs(errno)));
        this.errno = Math.abs(errno);
    }

    /** The positive errno (Errno.EBUSY, ...). */
    public int errno() {
        return errno;
    }
}
