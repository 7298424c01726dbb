package dev.pmulab.policy.filter;

/**
 * The common event numbers this module names, copied from the Arm ARM (DDI0487, "The PMU event
 * number space and common events", Table "Event index"; the kernel's ARMV8_PMUV3_PERFCTR_*). Kept
 * here rather than taken from pmu-hw so that the plugin depends on pmu-api only.
 */
public final class ArmCommonEvents {
    public static final int SW_INCR = 0x0000;
    public static final int L1D_CACHE_REFILL = 0x0003;
    public static final int L1D_CACHE = 0x0004;
    public static final int INST_RETIRED = 0x0008;
    public static final int BR_MIS_PRED = 0x0010;
    public static final int CPU_CYCLES = 0x0011;
    public static final int L2D_CACHE = 0x0016;
    public static final int BUS_ACCESS = 0x0019;
    public static final int CHAIN = 0x001E;
    public static final int BR_RETIRED = 0x0021;
    public static final int STALL_BACKEND = 0x0024;
    public static final int LL_CACHE_MISS_RD = 0x0037;
    public static final int STALL_SLOT_BACKEND = 0x003D;
    public static final int STALL_SLOT_FRONTEND = 0x003E;
    public static final int STALL_SLOT = 0x003F;
    public static final int STALL_BACKEND_MEM = 0x4005;
    public static final int L3D_CACHE_LMISS_RD = 0x400B;

    /** The first IMPLEMENTATION DEFINED event number (0x00C0-0x03FF are IMPLEMENTATION DEFINED). */
    public static final int FIRST_IMPDEF = 0x00C0;

    private ArmCommonEvents() {}
}
