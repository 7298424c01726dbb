package dev.pmulab.policy.filter;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.EventFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code neighbour-safe} preset ({@link EventFilterSettings.Preset#NEIGHBOUR_SAFE}): deny the events whose counts depend on what other tenants do
 * to state this guest shares with them, so that a guest cannot turn its vPMU into an exact,
 * noise-free probe of a neighbour (docs/policies/event-filter.md gives the rationale per group).
 * It is a deny list, so its first filter is a DENY and every other event stays allowed (KVM's
 * first-filter-sets-the-default rule, kvm-vpmu-uapi.md §1.3).
 *
 * <p>Event numbers and names: Arm ARM DDI0487, "The PMU event number space and common events",
 * Tables "Allocation of the PMU event number space" and "Event index".
 */
public final class NeighbourSafePreset {
    /** Why an event is denied. */
    public enum Group {
        /**
         * Refills, misses, write-backs, allocations and invalidations of any cache, and accesses to
         * a cache below L1 (they happen only on an L1 miss): their count depends on which lines
         * co-tenants evicted, on the same core between time slices or in a shared L2, L3 or
         * system-level cache.
         */
        CACHE,
        /** TLB refills, walks and accesses below L1: the TLBs and walk caches outlive a vCPU's time slice. */
        TLB,
        /**
         * Bus, interconnect and memory events: bus traffic, the shared interconnect clock (its DVFS
         * follows every agent's load), remote accesses, memory errors and memory-bound stalls.
         */
        BUS_AND_MEMORY,
        /** IMPLEMENTATION DEFINED event numbers: core-specific, cannot be vetted in general. */
        IMPLEMENTATION_DEFINED
    }

    /** Denied events {@code first..last} (one event when equal), with the Arm ARM mnemonic. */
    public record DeniedEvents(int first, int last, String name, Group group) {
        public DeniedEvents {
            requireNonNull(name, "name is null");
            requireNonNull(group, "group is null");
            if (first < 0 || last > 0xffff || last < first) {
                throw new IllegalArgumentException("bad event range " + first + "-" + last);
            }
        }
    }

    private static final List<DeniedEvents> DENIED = List.of(
            one(0x0001, "L1I_CACHE_REFILL", Group.CACHE),
            one(0x0002, "L1I_TLB_REFILL", Group.TLB),
            one(0x0003, "L1D_CACHE_REFILL", Group.CACHE),
            one(0x0005, "L1D_TLB_REFILL", Group.TLB),
            one(0x0015, "L1D_CACHE_WB", Group.CACHE),
            one(0x0016, "L2D_CACHE", Group.CACHE),
            one(0x0017, "L2D_CACHE_REFILL", Group.CACHE),
            one(0x0018, "L2D_CACHE_WB", Group.CACHE),
            one(0x0019, "BUS_ACCESS", Group.BUS_AND_MEMORY),
            one(0x001A, "MEMORY_ERROR", Group.BUS_AND_MEMORY),
            one(0x001D, "BUS_CYCLES", Group.BUS_AND_MEMORY),
            one(0x001F, "L1D_CACHE_ALLOCATE", Group.CACHE),
            one(0x0020, "L2D_CACHE_ALLOCATE", Group.CACHE),
            one(0x0027, "L2I_CACHE", Group.CACHE),
            one(0x0028, "L2I_CACHE_REFILL", Group.CACHE),
            one(0x0029, "L3D_CACHE_ALLOCATE", Group.CACHE),
            one(0x002A, "L3D_CACHE_REFILL", Group.CACHE),
            one(0x002B, "L3D_CACHE", Group.CACHE),
            one(0x002C, "L3D_CACHE_WB", Group.CACHE),
            one(0x002D, "L2D_TLB_REFILL", Group.TLB),
            one(0x002E, "L2I_TLB_REFILL", Group.TLB),
            one(0x002F, "L2D_TLB", Group.TLB),
            one(0x0030, "L2I_TLB", Group.TLB),
            one(0x0031, "REMOTE_ACCESS", Group.BUS_AND_MEMORY),
            one(0x0032, "LL_CACHE", Group.CACHE),
            one(0x0033, "LL_CACHE_MISS", Group.CACHE),
            one(0x0034, "DTLB_WALK", Group.TLB),
            one(0x0035, "ITLB_WALK", Group.TLB),
            one(0x0036, "LL_CACHE_RD", Group.CACHE),
            one(0x0037, "LL_CACHE_MISS_RD", Group.CACHE),
            one(0x0038, "REMOTE_ACCESS_RD", Group.BUS_AND_MEMORY),
            one(0x0039, "L1D_CACHE_LMISS_RD", Group.CACHE),
            one(0x0042, "L1D_CACHE_REFILL_RD", Group.CACHE),
            one(0x0043, "L1D_CACHE_REFILL_WR", Group.CACHE),
            one(0x0044, "L1D_CACHE_REFILL_INNER", Group.CACHE),
            one(0x0045, "L1D_CACHE_REFILL_OUTER", Group.CACHE),
            one(0x0046, "L1D_CACHE_WB_VICTIM", Group.CACHE),
            one(0x0047, "L1D_CACHE_WB_CLEAN", Group.CACHE),
            one(0x0048, "L1D_CACHE_INVAL", Group.CACHE),
            one(0x004C, "L1D_TLB_REFILL_RD", Group.TLB),
            one(0x004D, "L1D_TLB_REFILL_WR", Group.TLB),
            one(0x0050, "L2D_CACHE_RD", Group.CACHE),
            one(0x0051, "L2D_CACHE_WR", Group.CACHE),
            one(0x0052, "L2D_CACHE_REFILL_RD", Group.CACHE),
            one(0x0053, "L2D_CACHE_REFILL_WR", Group.CACHE),
            one(0x0056, "L2D_CACHE_WB_VICTIM", Group.CACHE),
            one(0x0057, "L2D_CACHE_WB_CLEAN", Group.CACHE),
            one(0x0058, "L2D_CACHE_INVAL", Group.CACHE),
            one(0x005C, "L2D_TLB_REFILL_RD", Group.TLB),
            one(0x005D, "L2D_TLB_REFILL_WR", Group.TLB),
            one(0x005E, "L2D_TLB_RD", Group.TLB),
            one(0x005F, "L2D_TLB_WR", Group.TLB),
            one(0x0060, "BUS_ACCESS_RD", Group.BUS_AND_MEMORY),
            one(0x0061, "BUS_ACCESS_WR", Group.BUS_AND_MEMORY),
            one(0x0062, "BUS_ACCESS_SHARED", Group.BUS_AND_MEMORY),
            one(0x0063, "BUS_ACCESS_NOT_SHARED", Group.BUS_AND_MEMORY),
            one(0x0064, "BUS_ACCESS_NORMAL", Group.BUS_AND_MEMORY),
            one(0x0065, "BUS_ACCESS_PERIPH", Group.BUS_AND_MEMORY),
            one(0x0092, "L3D_CACHE_HIT_WR_FEXT_PROP", Group.CACHE),
            one(0x00A0, "L3D_CACHE_RD", Group.CACHE),
            one(0x00A1, "L3D_CACHE_WR", Group.CACHE),
            one(0x00A2, "L3D_CACHE_REFILL_RD", Group.CACHE),
            one(0x00A3, "L3D_CACHE_REFILL_WR", Group.CACHE),
            one(0x00A6, "L3D_CACHE_WB_VICTIM", Group.CACHE),
            one(0x00A7, "L3D_CACHE_WB_CLEAN", Group.CACHE),
            one(0x00A8, "L3D_CACHE_INVAL", Group.CACHE),
            one(0x00A9, "L2D_CACHE_HIT_RD_FEXT_PROP", Group.CACHE),
            one(0x00AA, "L2D_CACHE_HIT_WR_FEXT_PROP", Group.CACHE),
            one(0x00AB, "L2D_CACHE_HIT_RW_FEXT_PROP", Group.CACHE),
            one(0x00AC, "L3D_CACHE_EXT_PROP", Group.CACHE),
            one(0x00AD, "L3D_CACHE_EXT_PROP_PRFM_IR", Group.CACHE),
            one(0x00AE, "L3D_CACHE_HIT_RW_FEXT_PROP", Group.CACHE),
            one(0x00AF, "L3D_CACHE_HIT_RD_FEXT_PROP", Group.CACHE),
            one(0x00B9, "L1D_CACHE_EXT_PROP", Group.CACHE),
            one(0x00BA, "L1D_CACHE_EXT_PROP_PRFM_IR", Group.CACHE),
            one(0x00BB, "L1D_CACHE_HIT_RD_FEXT_PROP", Group.CACHE),
            one(0x00BC, "L1D_CACHE_HIT_WR_FEXT_PROP", Group.CACHE),
            one(0x00BD, "L1D_CACHE_HIT_RW_FEXT_PROP", Group.CACHE),
            one(0x00BE, "L2D_CACHE_EXT_PROP", Group.CACHE),
            one(0x00BF, "L2D_CACHE_EXT_PROP_PRFM_IR", Group.CACHE),
            new DeniedEvents(0x00C0, 0x03FF, "IMPLEMENTATION DEFINED", Group.IMPLEMENTATION_DEFINED),
            // From here on the events exist only in the 16-bit space of PMUv3p1 and later.
            new DeniedEvents(0x0400, 0x3FFF, "IMPLEMENTATION DEFINED", Group.IMPLEMENTATION_DEFINED),
            one(0x4005, "STALL_BACKEND_MEM", Group.BUS_AND_MEMORY),
            one(0x4006, "L1I_CACHE_LMISS", Group.CACHE),
            one(0x4009, "L2D_CACHE_LMISS_RD", Group.CACHE),
            one(0x400A, "L2I_CACHE_LMISS", Group.CACHE),
            one(0x400B, "L3D_CACHE_LMISS_RD", Group.CACHE),
            new DeniedEvents(0x40C0, 0x7FFF, "IMPLEMENTATION DEFINED", Group.IMPLEMENTATION_DEFINED),
            new DeniedEvents(0xC0C0, 0xFFFF, "IMPLEMENTATION DEFINED", Group.IMPLEMENTATION_DEFINED));

    private NeighbourSafePreset() {}

    private static DeniedEvents one(int event, String name, Group group) {
        return new DeniedEvents(event, event, name, group);
    }

    /** Every denied event or range, in event-number order. */
    public static List<DeniedEvents> deniedEvents() {
        return DENIED;
    }

    /**
     * The preset as {@code KVM_PMU_EVENT_DENY} filters for a host whose filter event space has
     * {@code nrEvents} events (1024 or 65536): adjacent events merge into one range, and events
     * past the space are left out, since KVM refuses a range past it and a guest there cannot
     * name them (its evtCount field has 10 bits).
     */
    public static List<EventFilter> filters(int nrEvents) {
        if (nrEvents != 1 << 10 && nrEvents != 1 << 16) {
            throw new IllegalArgumentException("KVM's filter event space is 1024 or 65536 events, not " + nrEvents);
        }
        List<DeniedEvents> sorted = new ArrayList<>(DENIED);
        sorted.sort(Comparator.comparingInt(DeniedEvents::first));
        List<EventFilter> out = new ArrayList<>();
        int start = -1;
        int end = -1;
        for (DeniedEvents d : sorted) {
            if (d.first() >= nrEvents) {
                break;
            }
            int last = Math.min(d.last(), nrEvents - 1);
            if (start >= 0 && d.first() == end + 1) {
                end = last;
                continue;
            }
            if (start >= 0) {
                out.add(EventFilter.deny(start, end - start + 1));
            }
            start = d.first();
            end = last;
        }
        if (start >= 0) {
            out.add(EventFilter.deny(start, end - start + 1));
        }
        return List.copyOf(out);
    }
}
