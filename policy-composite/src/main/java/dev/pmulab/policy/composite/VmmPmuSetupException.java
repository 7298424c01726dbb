package dev.pmulab.policy.composite;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.Errno;

/**
 * A selection policy could not set up a VM's PMU as it is configured to: KVM refused an attribute
 * (the errno is VMM-visible) or the host offers no PMU that fits. The run fails, naming the
 * policy; the engine records it as that policy's failure.
 */
public final class VmmPmuSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String policy;
    private final String vm;
    private final int errno;

    private VmmPmuSetupException(String policy, String vm, int errno, String message) {
        super(message);
        this.policy = policy;
        this.vm = vm;
        this.errno = errno;
    }

    /** KVM returned {@code ret} (negative) for {@code attribute}({@code argument}) on {@code vm}. */
    public static VmmPmuSetupException refused(
            String policy, String vm, KvmPmuAttribute attribute, String argument, int ret, String detail) {
        requireNonNull(policy, "policy is null");
        requireNonNull(vm, "vm is null");
        requireNonNull(attribute, "attribute is null");
        requireNonNull(argument, "argument is null");
        requireNonNull(detail, "detail is null");
        String call = attribute.kernelName() + (argument.isEmpty() ? "" : "(" + argument + ")");
        return new VmmPmuSetupException(
                policy,
                vm,
                ret,
                "selection policy " + policy + ", VM " + vm + ": " + call + " returned " + Errno.name(ret) + ": "
                        + attribute.reason(ret) + (detail.isEmpty() ? "" : "; " + detail));
    }

    /** The host cannot give the VM what the settings ask, before any attribute is set. */
    public static VmmPmuSetupException unsatisfiable(String policy, String vm, String detail) {
        requireNonNull(policy, "policy is null");
        requireNonNull(vm, "vm is null");
        requireNonNull(detail, "detail is null");
        return new VmmPmuSetupException(policy, vm, 0, "selection policy " + policy + ", VM " + vm + ": " + detail);
    }

    public String policy() {
        return policy;
    }

    public String vm() {
        return vm;
    }

    /** The negative errno KVM returned, or 0 when no attribute was refused. */
    public int errno() {
        return errno;
    }
}
