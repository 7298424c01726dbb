package dev.pmulab.kvm;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A userspace address as an ioctl's {@code addr} field carries it: either a mapped little-endian
 * buffer of some bytes, or an address with nothing mapped behind it. The kernel side reads and
 * writes it as get_user/put_user/copy_from_user do, and gets -EFAULT when the access does not fit
 * in what is mapped; that is what makes the -EFAULT steps of kvm-vpmu-uapi.md §1 testable.
 */
public final class UserPtr {
    /** The null pointer: nothing is mapped at address 0. */
    public static final UserPtr NULL = new UserPtr(null);

    private final byte[] memory;

    private UserPtr(byte[] memory) {
        this.memory = memory;
    }

    /** A pointer to an {@code int} holding {@code value} (an INTID, a PMU type, a counter count). */
    public static UserPtr ofInt(int value) {
        UserPtr p = alloc(Integer.BYTES);
        p.buffer().putInt(0, value);
        return p;
    }

    /** A pointer to a {@code __u64} holding {@code value} (a KVM_SET_ONE_REG value). */
    public static UserPtr ofLong(long value) {
        UserPtr p = alloc(Long.BYTES);
        p.buffer().putLong(0, value);
        return p;
    }

    /** A pointer to a {@code struct kvm_pmu_event_filter} holding {@code filter}. */
    public static UserPtr of(KvmPmuEventFilter filter) {
        requireNonNull(filter, "filter is null");
        UserPtr p = alloc(KvmPmuEventFilter.SIZE);
        filter.writeTo(p.buffer());
        return p;
    }

    /** A zeroed buffer of {@code size} bytes, for the kernel to write into (a GET). */
    public static UserPtr alloc(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        return new UserPtr(new byte[size]);
    }

    /** An address at which nothing is mapped: every kernel access faults. */
    public static UserPtr unmapped() {
        return new UserPtr(null);
    }

    /** Whether the kernel can access {@code size} bytes here without a fault. */
    boolean accessible(int size) {
        return memory != null && memory.length >= size;
    }

    /** The userspace view of the buffer: reads the {@code int} at the start (after a GET). */
    public int readInt() {
        checkMapped(Integer.BYTES);
        return buffer().getInt(0);
    }

    /** The userspace view of the buffer: reads the {@code __u64} at the start (after a GET). */
    public long readLong() {
        checkMapped(Long.BYTES);
        return buffer().getLong(0);
    }

    /** The bytes for the kernel side; callers check {@link #accessible} first. */
    ByteBuffer buffer() {
        return ByteBuffer.wrap(memory).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void checkMapped(int size) {
        if (!accessible(size)) {
            throw new IllegalStateException("userspace read of " + size + " bytes through " + this);
        }
    }

    @Override
    public String toString() {
        return memory == null ? "UserPtr[unmapped]" : "UserPtr[" + memory.length + " bytes]";
    }
}
