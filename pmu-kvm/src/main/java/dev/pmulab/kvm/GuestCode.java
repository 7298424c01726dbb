package dev.pmulab.kvm;

/**
 * What a vCPU executes when KVM_RUN enters the guest: the Java form of a selftest's guest_code().
 * Returning is GUEST_DONE(); a guest assertion is a thrown AssertionError, which KVM_RUN passes up
 * as the selftests' REPORT_GUEST_ASSERT does.
 */
@FunctionalInterface
public interface GuestCode {
    /** A guest that does nothing and is done. */
    GuestCode DONE = guest -> {};

    void run(Guest guest);
}
