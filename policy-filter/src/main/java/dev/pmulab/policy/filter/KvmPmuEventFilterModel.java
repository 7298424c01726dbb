package dev.pmulab.policy.filter;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.EventFilter;
import dev.pmulab.api.FilterAction;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How KVM applies {@code KVM_ARM_VCPU_PMU_V3_FILTER} to a VM, as a pure model: the VM-wide
 * {@code kvm->arch.pmu_filter} bitmap, what may count, and what the guest reads in PMCEID0/1_EL0.
 * The rules are those of kvm-vpmu-uapi.md §1.3 and §2.5:
 *
 * <ul>
 *   <li>the bitmap covers the event space of the host PMUVer: 1024 events before PMUv3p1, 65536
 *       from PMUv3p1 on;
 *   <li>a range past that space, or an action other than {@code KVM_PMU_EVENT_ALLOW} (0) or
 *       {@code KVM_PMU_EVENT_DENY} (1), is refused with -EINVAL and changes nothing;
 *   <li>the first accepted filter creates the bitmap: all clear if it allows (default deny), all
 *       set if it denies (default allow); a later filter never resets that default;
 *   <li>ALLOW sets the range's bits, DENY clears them, in the order the filters come;
 *   <li>SW_INCR (0x00) is never filtered, and filtering CHAIN (0x1E) has no effect on counting;
 *   <li>the cycle counter (index 31) is filtered as CPU_CYCLES (0x11);
 *   <li>PMCEID0/1 are the host PMU's values with SW_INCR and CHAIN forced on and the STALL_SLOT
 *       events forced off, then ANDed with the bitmap, so a denied common event disappears from
 *       the guest's view, SW_INCR and CHAIN included.
 * </ul>
 *
 * <p>The guest's event space is taken to be the host's (the guest's PMUVer is not lowered), which
 * is what KVM's PMCEID masking then uses. Not thread-safe: a VM's filter is built once, before
 * its vCPUs run, and then only read.
 */
public final class KvmPmuEventFilterModel {
    public static final int KVM_PMU_EVENT_ALLOW = 0;
    public static final int KVM_PMU_EVENT_DENY = 1;

    /** ID_AA64DFR0_EL1.PMUVer: PMUv3 as in Armv8.0 (10-bit event numbers). */
    public static final int ID_AA64DFR0_PMUVER_IMP = 0b0001;
    /** ID_AA64DFR0_EL1.PMUVer: PMUv3p1 (16-bit event numbers); later versions are larger values. */
    public static final int ID_AA64DFR0_PMUVER_V3P1 = 0b0100;
    /** ID_AA64DFR0_EL1.PMUVer: an IMPLEMENTATION DEFINED PMU, which KVM treats as no PMUv3. */
    public static final int ID_AA64DFR0_PMUVER_IMP_DEF = 0b1111;

    /** {@code -EINVAL}, as KVM returns it. */
    public static final int EINVAL = -22;

    /** The cycle counter's index (ARMV8_PMU_CYCLE_IDX). */
    public static final int CYCLE_COUNTER_INDEX = 31;

    // Common event numbers KVM treats specially (Arm ARM DDI0487, "The PMU event number space and
    // common events", Table "Event index").
    static final int SW_INCR = 0x00;
    static final int CPU_CYCLES = 0x11;
    static final int CHAIN = 0x1e;
    static final int STALL_SLOT_BACKEND = 0x3d;
    static final int STALL_SLOT_FRONTEND = 0x3e;
    static final int STALL_SLOT = 0x3f;
    static final int PMCEID_EXT_BASE = 0x4000;

    private final int nrEvents;
    private long[] bitmap; // null until the first accepted filter, as kvm->arch.pmu_filter

    private KvmPmuEventFilterModel(int nrEvents) {
        this.nrEvents = nrEvents;
    }

    /** A VM on a host of this PMUVer (ID_AA64DFR0_EL1 encoding) with no filter yet. */
    public static KvmPmuEventFilterModel forHost(int hostPmuVer) {
        return new KvmPmuEventFilterModel(nrEvents(hostPmuVer));
    }

    /**
     * A VM with these filters set in order.
     *
     * @throws IllegalArgumentException naming the first filter KVM refuses, and the errno
     */
    public static KvmPmuEventFilterModel of(int hostPmuVer, List<EventFilter> filters) {
        requireNonNull(filters, "filters is null");
        KvmPmuEventFilterModel model = forHost(hostPmuVer);
        for (int i = 0; i < filters.size(); i++) {
            EventFilter f = requireNonNull(filters.get(i), "filter " + i + " is null");
            if (model.setFilter(f) != 0) {
                throw new IllegalArgumentException("filter " + i + " " + describe(f)
                        + " is refused with -EINVAL: it ends past the " + model.nrEvents
                        + "-event space of the host PMU");
            }
        }
        return model;
    }

    /**
     * The size of the filter's event space for a host PMUVer ({@code nr_events}): 1024 for PMUv3
     * (Armv8.0), 65536 from PMUv3p1. KVM sizes it from the host, not the guest, for backward
     * compatibility (kvm-vpmu-uapi.md §1.3).
     *
     * @throws IllegalArgumentException for a PMUVer that means no PMUv3 (0, IMPLEMENTATION DEFINED),
     *     for which KVM offers no vPMU at all
     */
    public static int nrEvents(int hostPmuVer) {
        if (hostPmuVer == ID_AA64DFR0_PMUVER_IMP) {
            return 1 << 10;
        }
        if (hostPmuVer >= ID_AA64DFR0_PMUVER_V3P1 && hostPmuVer < ID_AA64DFR0_PMUVER_IMP_DEF) {
            return 1 << 16;
        }
        throw new IllegalArgumentException("PMUVer " + hostPmuVer + " is not a PMUv3 KVM offers to guests");
    }

    public int nrEvents() {
        return nrEvents;
    }

    /** A filter has been set: the VM has a bitmap. */
    public boolean hasFilter() {
        return bitmap != null;
    }

    /**
     * {@code KVM_ARM_VCPU_PMU_V3_FILTER} with a raw {@code struct kvm_pmu_event_filter}.
     *
     * @return 0, or -EINVAL (the range ends past {@link #nrEvents()}, or the action is neither
     *     ALLOW nor DENY), in which case nothing changes and the default is not decided
     */
    public int setFilter(int baseEvent, int nevents, int action) {
        if (baseEvent < 0 || baseEvent > 0xffff || nevents < 0 || nevents > 0xffff) {
            throw new IllegalArgumentException("base_event and nevents are __u16: " + baseEvent + ", " + nevents);
        }
        // The sum is taken in 32 bits, so 0x8000 + 0x8001 does not wrap (§1.3).
        if ((long) baseEvent + nevents > nrEvents || (action != KVM_PMU_EVENT_ALLOW && action != KVM_PMU_EVENT_DENY)) {
            return EINVAL;
        }
        if (bitmap == null) {
            bitmap = new long[nrEvents / Long.SIZE];
            if (action == KVM_PMU_EVENT_DENY) {
                Arrays.fill(bitmap, -1L);
            }
        }
        for (int e = baseEvent; e < baseEvent + nevents; e++) {
            if (action == KVM_PMU_EVENT_ALLOW) {
                bitmap[e >>> 6] |= 1L << e;
            } else {
                bitmap[e >>> 6] &= ~(1L << e);
            }
        }
        return 0;
    }

    /** {@link #setFilter(int, int, int)} for the SPI's value type. */
    public int setFilter(EventFilter filter) {
        requireNonNull(filter, "filter is null");
        return setFilter(filter.baseEvent(), filter.nevents(),
                filter.action() == FilterAction.ALLOW ? KVM_PMU_EVENT_ALLOW : KVM_PMU_EVENT_DENY);
    }

    /**
     * The event's bit in the bitmap, as KVM tests it before creating a perf event: true when there
     * is no filter. An event number above the space is first cut to it, as a 10-bit evtCount cuts
     * what a guest writes on a PMUv3 (Armv8.0) PMU.
     */
    public boolean inBitmap(int event) {
        int e = eventsel(event);
        return bitmap == null || (bitmap[e >>> 6] & (1L << e)) != 0;
    }

    /**
     * Whether a counter programmed with this event counts: the bitmap, except that SW_INCR is never
     * filtered (its increments come from PMSWINC writes) and filtering CHAIN has no effect (KVM
     * chains in software on overflow). A denied event that counts is a filter leak.
     */
    public boolean allowed(int event) {
        int e = eventsel(event);
        return e == SW_INCR || e == CHAIN || inBitmap(e);
    }

    /**
     * Whether guest counter {@code counterIndex} programmed with {@code evtCount} counts: the cycle
     * counter is tested as CPU_CYCLES whatever PMCCFILTR says.
     */
    public boolean counterAllowed(int counterIndex, int evtCount) {
        if (counterIndex < 0 || counterIndex > CYCLE_COUNTER_INDEX) {
            throw new IllegalArgumentException("counter index must be 0..31: " + counterIndex);
        }
        return allowed(counterIndex == CYCLE_COUNTER_INDEX ? CPU_CYCLES : evtCount);
    }

    /** Whether the guest's cycle counter counts. */
    public boolean cycleCounterAllowed() {
        return counterAllowed(CYCLE_COUNTER_INDEX, CPU_CYCLES);
    }

    /**
     * PMCEID0_EL0 as the guest reads it, from the host PMU's PMCEID0_EL0 (events 0x00-0x1F in the
     * low half, 0x4000-0x401F in the high half).
     */
    public long pmceid0(long hostPmceid0) {
        long val = hostPmceid0 | (1L << SW_INCR) | (1L << CHAIN);
        return mask(val, 0);
    }

    /**
     * PMCEID1_EL0 as the guest reads it, from the host PMU's PMCEID1_EL0 (events 0x20-0x3F in the
     * low half, 0x4020-0x403F in the high half). The STALL_SLOT events are hidden because KVM
     * makes PMMIR_EL1 read as zero.
     */
    public long pmceid1(long hostPmceid1) {
        long val = hostPmceid1 & ~((1L << (STALL_SLOT_BACKEND - 32)) | (1L << (STALL_SLOT_FRONTEND - 32))
                | (1L << (STALL_SLOT - 32)));
        return mask(val, 32);
    }

    private long mask(long val, int base) {
        if (bitmap == null) {
            return val;
        }
        long mask = 0;
        for (int i = 0; i < 32; i++) {
            if (inBitmap(base + i)) {
                mask |= 1L << i;
            }
        }
        // The 0x4000 half exists only in a 16-bit event space; otherwise the guest sees it as 0.
        if (nrEvents >= PMCEID_EXT_BASE + base + 32) {
            for (int i = 0; i < 32; i++) {
                if (inBitmap(PMCEID_EXT_BASE + base + i)) {
                    mask |= 1L << (32 + i);
                }
            }
        }
        return val & mask;
    }

    private int eventsel(int event) {
        if (event < 0 || event > 0xffff) {
            throw new IllegalArgumentException("an event number is 16 bits at most: " + event);
        }
        return event & (nrEvents - 1);
    }

    static String describe(EventFilter f) {
        String range = f.nevents() == 0 ? String.format("0x%04x (no events)", f.baseEvent())
                : f.nevents() == 1 ? String.format("0x%04x", f.baseEvent())
                : String.format("0x%04x-0x%04x", f.baseEvent(), f.baseEvent() + f.nevents() - 1);
        return f.action().name().toLowerCase(Locale.ROOT) + ":" + range;
    }
}
