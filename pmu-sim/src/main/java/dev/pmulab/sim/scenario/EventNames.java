package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.regs.PmevtyperEl0;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The event names a scenario may write, and the PMUv3 event number each stands for. Three
 * spellings are accepted, case-insensitively:
 *
 * <ul>
 *   <li>Linux perf's generic names ({@code cycles}, {@code branch-misses}, {@code L1-dcache-load-misses}),
 *       mapped as Linux's PMUv3 driver maps them on arm64 (drivers/perf/arm_pmuv3.c: its generic
 *       map and its cache map; {@code branches} is BR_RETIRED as in current kernels, where older ones
 *       used PC_WRITE_RETIRED);
 *   <li>the Arm architecture's common event names, as perf's arm64 event lists spell them
 *       ({@code cpu_cycles}, {@code inst_retired}, {@code l1d_cache_refill}, {@code stall_backend}),
 *       for the common events 0x00-0x3F (Arm ARM D17);
 *   <li>a raw number, in hex as perf writes one: {@code 0x11} or {@code r11}.
 * </ul>
 *
 * A name says only which number a guest or host programs; whether a core implements that event
 * is the CPU catalog's business (an unimplemented event counts nothing).
 */
public final class EventNames {
    private static final Map<String, Integer> ARM = new LinkedHashMap<>();
    private static final Map<String, Integer> PERF = new LinkedHashMap<>();
    /** The first Arm name of each number. */
    private static final Map<Integer, String> ARM_BY_NUMBER = new TreeMap<>();

    static {
        arm("sw_incr", Events.SW_INCR);
        arm("l1i_cache_refill", Events.L1I_CACHE_REFILL);
        arm("l1i_tlb_refill", Events.L1I_TLB_REFILL);
        arm("l1d_cache_refill", Events.L1D_CACHE_REFILL);
        arm("l1d_cache", Events.L1D_CACHE);
        arm("l1d_tlb_refill", Events.L1D_TLB_REFILL);
        arm("ld_retired", Events.LD_RETIRED);
        arm("st_retired", Events.ST_RETIRED);
        arm("inst_retired", Events.INST_RETIRED);
        arm("exc_taken", Events.EXC_TAKEN);
        arm("exc_return", Events.EXC_RETURN);
        arm("cid_write_retired", 0x0B);
        arm("pc_write_retired", 0x0C);
        arm("br_immed_retired", 0x0D);
        arm("br_return_retired", 0x0E);
        arm("unaligned_ldst_retired", 0x0F);
        arm("br_mis_pred", Events.BR_MIS_PRED);
        arm("cpu_cycles", Events.CPU_CYCLES);
        arm("br_pred", Events.BR_PRED);
        arm("mem_access", Events.MEM_ACCESS);
        arm("l1i_cache", Events.L1I_CACHE);
        arm("l1d_cache_wb", 0x15);
        arm("l2d_cache", Events.L2D_CACHE);
        arm("l2d_cache_refill", Events.L2D_CACHE_REFILL);
        arm("l2d_cache_wb", 0x18);
        arm("bus_access", Events.BUS_ACCESS);
        arm("memory_error", 0x1A);
        arm("inst_spec", Events.INST_SPEC);
        arm("ttbr_write_retired", 0x1C);
        arm("bus_cycles", Events.BUS_CYCLES);
        arm("chain", Events.CHAIN);
        arm("l1d_cache_allocate", 0x1F);
        arm("l2d_cache_allocate", 0x20);
        arm("br_retired", Events.BR_RETIRED);
        arm("br_mis_pred_retired", Events.BR_MIS_PRED_RETIRED);
        arm("stall_frontend", Events.STALL_FRONTEND);
        arm("stall_backend", Events.STALL_BACKEND);
        arm("l1d_tlb", Events.L1D_TLB);
        arm("l1i_tlb", 0x26);
        arm("l2i_cache", 0x27);
        arm("l2i_cache_refill", 0x28);
        arm("l3d_cache_allocate", 0x29);
        arm("l3d_cache_refill", 0x2A);
        arm("l3d_cache", 0x2B);
        arm("l3d_cache_wb", 0x2C);
        arm("l2d_tlb_refill", Events.L2D_TLB_REFILL);
        arm("l2i_tlb_refill", 0x2E);
        arm("l2d_tlb", Events.L2D_TLB);
        arm("l2i_tlb", 0x30);
        arm("remote_access", 0x31);
        arm("ll_cache", 0x32);
        arm("ll_cache_miss", 0x33);
        arm("dtlb_walk", 0x34);
        arm("itlb_walk", 0x35);
        arm("ll_cache_rd", Events.LL_CACHE_RD);
        arm("ll_cache_miss_rd", Events.LL_CACHE_MISS_RD);
        arm("remote_access_rd", 0x38);
        arm("l1d_cache_lmiss_rd", 0x39);
        arm("op_retired", 0x3A);
        arm("op_spec", 0x3B);
        arm("stall", Events.STALL);
        arm("stall_slot_backend", 0x3D);
        arm("stall_slot_frontend", 0x3E);
        arm("stall_slot", 0x3F);

        // perf's generic hardware events (PERF_TYPE_HARDWARE), as the PMUv3 driver maps them.
        perf("cycles", Events.CPU_CYCLES);
        perf("cpu-cycles", Events.CPU_CYCLES);
        perf("instructions", Events.INST_RETIRED);
        perf("cache-references", Events.L1D_CACHE);
        perf("cache-misses", Events.L1D_CACHE_REFILL);
        perf("branches", Events.BR_RETIRED);
        perf("branch-instructions", Events.BR_RETIRED);
        perf("branch-misses", Events.BR_MIS_PRED);
        perf("bus-cycles", Events.BUS_CYCLES);
        perf("stalled-cycles-frontend", Events.STALL_FRONTEND);
        perf("idle-cycles-frontend", Events.STALL_FRONTEND);
        perf("stalled-cycles-backend", Events.STALL_BACKEND);
        perf("idle-cycles-backend", Events.STALL_BACKEND);
        // perf's generic cache events (PERF_TYPE_HW_CACHE), read accesses and misses, as the
        // driver's cache map has them; these are what perf stat -d and -dd open.
        perf("l1-dcache-loads", Events.L1D_CACHE);
        perf("l1-dcache-load-misses", Events.L1D_CACHE_REFILL);
        perf("l1-icache-loads", Events.L1I_CACHE);
        perf("l1-icache-load-misses", Events.L1I_CACHE_REFILL);
        perf("llc-loads", Events.LL_CACHE_RD);
        perf("llc-load-misses", Events.LL_CACHE_MISS_RD);
        perf("dtlb-loads", Events.L1D_TLB);
        perf("dtlb-load-misses", Events.L1D_TLB_REFILL);
        perf("itlb-loads", 0x26);
        perf("itlb-load-misses", Events.L1I_TLB_REFILL);
        perf("branch-loads", Events.BR_PRED);
        perf("branch-load-misses", Events.BR_MIS_PRED);
        ARM.forEach((name, number) -> ARM_BY_NUMBER.putIfAbsent(number, name));
    }

    private EventNames() {}

    private static void arm(String name, int number) {
        if (ARM.put(name, number) != null) {
            throw new IllegalStateException("duplicate Arm event name " + name);
        }
    }

    private static void perf(String name, int number) {
        if (PERF.put(name, number) != null || ARM.containsKey(name)) {
            throw new IllegalStateException("duplicate perf event name " + name);
        }
    }

    /**
     * The PMUv3 event number {@code name} stands for.
     *
     * @throws IllegalArgumentException for an unknown name, a decimal number, or a raw number over 0xFFFF
     */
    public static int number(String name) {
        requireNonNull(name, "name is null");
        String n = name.strip().toLowerCase(Locale.ROOT);
        Integer known = PERF.get(n);
        if (known == null) {
            known = ARM.get(n);
        }
        if (known != null) {
            return known;
        }
        String hex = n.startsWith("0x") ? n.substring(2) : n.startsWith("r") ? n.substring(1) : null;
        if (hex != null && hex.matches("[0-9a-f]{1,8}")) {
            long v = Long.parseLong(hex, 16);
            if (v > PmevtyperEl0.EVTCOUNT_MASK) {
                throw new IllegalArgumentException(
                        "event number " + name + " is too large: PMUv3 event numbers are 16 bits (at most 0xffff)");
            }
            return (int) v;
        }
        if (n.matches("\\d+")) {
            throw new IllegalArgumentException("unknown event '" + name
                    + "'; raw event numbers are written in hex, as perf does: 0x" + n + " or r" + n);
        }
        throw new IllegalArgumentException("unknown event '" + name
                + "'; write a perf name (cycles, instructions, branch-misses, ...), an Arm name (cpu_cycles,"
                + " inst_retired, l1d_cache_refill, ...) or a raw number (0x11); docs/scenarios.md lists them");
    }

    /** Linux perf's generic names and the numbers they map to, in table order. */
    public static Map<String, Integer> perfNames() {
        return Collections.unmodifiableMap(PERF);
    }

    /** The Arm common-event names and their numbers, by number. */
    public static Map<String, Integer> armNames() {
        return Collections.unmodifiableMap(ARM);
    }

    /** The Arm name of a common event number, or its hex spelling ({@code 0x4004}) when it has none here. */
    public static String armName(int number) {
        String name = ARM_BY_NUMBER.get(number);
        return name != null ? name : String.format("0x%04x", number);
    }
}
