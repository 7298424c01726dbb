package dev.pmulab.kvm.vpmu;

/**
 * What one guest MRS/MSR of a PMU register came to.
 *
 * @param value what the guest reads (0 for a write, or for an access that did not complete)
 * @param trapped the access trapped to KVM (C1 was charged); false when the hardware let it
 *     through (C21) or made it UNDEFINED by itself
 * @param undefined the guest takes an UNDEFINED exception: KVM injected it, or the hardware raised it
 */
public record GuestAccess(long value, boolean trapped, boolean undefined) {}
