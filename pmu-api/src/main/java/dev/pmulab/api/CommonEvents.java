package dev.pmulab.api;

/**
 * The common events a PMU implements, as PMCEID0_EL0 and PMCEID1_EL0 advertise them (Arm ARM D24.5):
 * bit n of PMCEID0's low half is event n (0x00-0x1F), of PMCEID1's low half event 0x20 + n; the high
 * halves are events 0x4000-0x401F and 0x4020-0x403F, from PMUv3p1.
 *
 * @param pmceid0 PMCEID0_EL0 as read at EL2
 * @param pmceid1 PMCEID1_EL0 as read at EL2
 */
@Stable(since = "0.1")
public record CommonEvents(long pmceid0, long pmceid1) {
    /** Whether the PMU implements {@code event}; false for any event outside the ranges PMCEID describes. */
    public boolean implemented(int event) {
        if (event >= 0 && event <= 0x3f) {
            return bit(event < 0x20 ? pmceid0 : pmceid1, event & 0x1f);
        }
        if (event >= 0x4000 && event <= 0x403f) {
            return bit(event < 0x4020 ? pmceid0 : pmceid1, 32 + (event & 0x1f));
        }
        return false;
    }

    /** The events both PMUs implement: what a vCPU can count on either. */
    public CommonEvents and(CommonEvents other) {
        return new CommonEvents(pmceid0 & other.pmceid0, pmceid1 & other.pmceid1);
    }

    private static boolean bit(long register, int bit) {
        return (register & (1L << bit)) != 0;
    }
}
