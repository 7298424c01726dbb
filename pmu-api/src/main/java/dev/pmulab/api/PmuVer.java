package dev.pmulab.api;

/**
 * A PMU's architecture version, as ID_AA64DFR0_EL1.PMUVer encodes it (Arm ARM D24.2; the kernel's
 * {@code ID_AA64DFR0_EL1_PMUVer_*}). Each later version includes what the earlier ones add.
 */
@Stable(since = "0.1")
public enum PmuVer {
    /** FEAT_PMUv3, Armv8.0 (the kernel's {@code PMUVer_IMP}): 10-bit event numbers. */
    V3(0b0001),
    /** FEAT_PMUv3p1: 16-bit event numbers, and the 0x4000 common events in PMCEID's upper halves. */
    V3P1(0b0100),
    V3P4(0b0101),
    /** FEAT_PMUv3p5: 64-bit event counters. */
    V3P5(0b0110),
    V3P7(0b0111),
    V3P8(0b1000),
    V3P9(0b1001);

    private final int fieldValue;

    PmuVer(int fieldValue) {
        this.fieldValue = fieldValue;
    }

    /** The ID_AA64DFR0_EL1.PMUVer field value. */
    public int fieldValue() {
        return fieldValue;
    }

    public boolean atLeast(PmuVer other) {
        return compareTo(other) >= 0;
    }

    /**
     * How many event numbers PMEVTYPER&lt;n&gt;_EL0.evtCount can name: 1024 before PMUv3p1, 65536 from
     * it. KVM sizes a VM's event filter to the host's (kvm-vpmu-uapi.md §1.3), so a
     * {@code KVM_ARM_VCPU_PMU_V3_FILTER} range past it is refused with -EINVAL.
     */
    public int eventSpace() {
        return atLeast(V3P1) ? 1 << 16 : 1 << 10;
    }

    /**
     * The version of an ID_AA64DFR0_EL1.PMUVer field value.
     *
     * @throws IllegalArgumentException for a value that is no PMUv3 (0, IMPLEMENTATION DEFINED, reserved)
     */
    public static PmuVer ofFieldValue(int fieldValue) {
        for (PmuVer v : values()) {
            if (v.fieldValue == fieldValue) {
                return v;
            }
        }
        throw new IllegalArgumentException("ID_AA64DFR0_EL1.PMUVer " + fieldValue + " is not a PMUv3 version");
    }
}
