package dev.pmulab.hw;

/**
 * Common architectural event numbers (Arm ARM D17, "common event numbers"), as kernel code names
 * them in include/linux/perf/arm_pmuv3.h (ARMV8_PMUV3_PERFCTR_*).
 */
public final class Events {
    public static final int SW_INCR = 0x0000;
    public static final int L1I_CACHE_REFILL = 0x0001;
    public static final int L1I_TLB_REFILL = 0x0002;
    public static final int L1D_CACHE_REFILL = 0x0003;
    public static final int L1D_CACHE = 0x0004;
    public static final int L1D_TLB_REFILL = 0x0005;
    public static final int LD_RETIRED = 0x0006;
    public static final int ST_RETIRED = 0x0007;
    public static final int INST_RETIRED = 0x0008;
    public static final int EXC_TAKEN = 0x0009;
    public static final int EXC_RETURN = 0x000A;
    public static final int BR_MIS_PRED = 0x0010;
    public static final int CPU_CYCLES = 0x0011;
    public static final int BR_PRED = 0x0012;
    public static final int MEM_ACCESS = 0x0013;
    public static final int L1I_CACHE = 0x0014;
    public static final int L2D_CACHE = 0x0016;
    public static final int L2D_CACHE_REFILL = 0x0017;
    public static final int BUS_ACCESS = 0x0019;
    public static final int INST_SPEC = 0x001B;
    public static final int BUS_CYCLES = 0x001D;
    public static final int CHAIN = 0x001E;
    public static final int BR_RETIRED = 0x0021;
    public static final int BR_MIS_PRED_RETIRED = 0x0022;
    public static final int STALL_FRONTEND = 0x0023;
    public static final int STALL_BACKEND = 0x0024;
    public static final int L1D_TLB = 0x0025;
    public static final int L2D_TLB_REFILL = 0x002D;
    public static final int L2D_TLB = 0x002F;
    public static final int LL_CACHE_RD = 0x0036;
    public static final int LL_CACHE_MISS_RD = 0x0037;
    public static final int STALL = 0x003C;

    private Events() {}

    /**
     * Whether an event number is a common event that PMCEID0/1 can advertise:
     * 0x0000-0x003F, and 0x4000-0x403F from PMUv3p1.
     */
    public static boolean isPmceidEvent(int event) {
        return (event >= 0 && event <= 0x3f) || (event >= 0x4000 && event <= 0x403f);
    }

    /** Builds PMCEID0_EL0 and PMCEID1_EL0 (index 0 and 1) from a set of implemented common events. */
    public static long[] pmceid(int[] events, PmuVersion version) {
        long id0 = 0;
        long id1 = 0;
        boolean upper = version.atLeast(PmuVersion.P1);
        for (int e : events) {
            if (e >= 0 && e <= 0x1f) {
                id0 |= 1L << e;
            } else if (e >= 0x20 && e <= 0x3f) {
                id1 |= 1L << (e - 0x20);
            } else if (upper && e >= 0x4000 && e <= 0x401f) {
                id0 |= 1L << (32 + e - 0x4000);
            } else if (upper && e >= 0x4020 && e <= 0x403f) {
                id1 |= 1L << (32 + e - 0x4020);
            }
        }
        return new long[] {id0, id1};
    }
}
