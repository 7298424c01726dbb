package dev.pmulab.kvm;

/**
 * What the last KVM_RUN's exit says the guest asked for, as the selftests' get_ucall() reads it:
 * DONE when the guest code returned (GUEST_DONE), NONE for any other exit.
 */
public enum Ucall {
    NONE,
    DONE
}
