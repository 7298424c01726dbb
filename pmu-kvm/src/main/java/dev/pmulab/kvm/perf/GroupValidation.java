package dev.pmulab.kvm.perf;

import dev.pmulab.hw.PmuVersion;
import java.util.List;

/**
 * arm_pmu's {@code validate_group} (drivers/perf/arm_pmu.c; perf-core-and-costs.md §1.2): a group
 * can be opened only if its members, leader first, all get a counter of an empty PMU at once. Each
 * member is placed as the driver places it ({@code validate_event} calls
 * {@code armv8pmu_get_event_idx} on a fake {@code pmu_hw_events}), so the cycle counter, chained
 * pairs before PMUv3p5 and the PMU's {@code cntr_mask} count exactly as at run time.
 *
 * <p>A pure function of the PMU's counters, its version and the members: {@link PerfCore#open}
 * applies it when an event joins a group, and the scenario reader applies it to a scenario's host
 * perf groups before anything runs.
 */
public final class GroupValidation {
    private GroupValidation() {}

    /**
     * Whether {@code members} (leader first) fit together on an empty PMU.
     *
     * @param cntrMask the PMU's {@code arm_pmu->cntr_mask}: event counters at bits 0..N-1, PMCCNTR at 31
     * @param version the PMU's version; from PMUv3p5 a 64-bit event needs no chained pair
     * @param order the driver's counter allocation order (it decides where chained pairs can go)
     * @param members the group's events, as {@code perf_event_open} would receive them
     */
    public static boolean validateGroup(
            long cntrMask, PmuVersion version, CounterAllocationOrder order, List<PerfEventAttr> members) {
        boolean hasLongEvent = version.atLeast(PmuVersion.P5);
        long used = 0;
        for (int i = 0; i < members.size(); i++) {
            PerfEventAttr attr = members.get(i);
            int idx = ArmPmuV3.getEventIdx(used, cntrMask, order, hasLongEvent, attr);
            if (idx < 0) {
                return false;
            }
            used |= ArmPmuV3.idxMask(idx, ArmPmuV3.isChained(attr, idx, hasLongEvent));
        }
        return true;
    }
}
