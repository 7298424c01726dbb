package dev.pmulab.kvm.perf;

import static java.util.Objects.requireNonNull;

/** {@code perf_event_open} (or {@code perf_event_create_kernel_counter}) failed with an errno. */
public final class PerfEventOpenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The errno values the model's open path returns, with their Linux numbers. */
    public enum Errno {
        EPERM(1),
        ENOENT(2),
        EINVAL(22);

        private final int number;

        Errno(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }
    }

    private final Errno errno;

    public PerfEventOpenException(Errno errno, String message) {
        super("-" + requireNonNull(errno, "errno is null").name() + ": " + requireNonNull(message, "message is null"));
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
