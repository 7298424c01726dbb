package dev.pmulab.kvm.perf;

import java.util.ArrayList;

/**
 * {@code struct perf_event_pmu_context}: one context's groups on one PMU. The group lists stand for
 * the kernel's RB-trees: leaders in {@code group_index} order, so iterating a list and skipping
 * groups bound to another CPU is the merge {@code visit_groups_merge} does, and a rotation is a
 * remove and append (perf-core-and-costs.md §1.1, §1.5).
 */
final class PerfEventPmuContext {
    final PerfEventContext ctx;
    final PerfPmu pmu;
    final ArrayList<PerfEvent> pinnedGroups = new ArrayList<>();
    final ArrayList<PerfEvent> flexibleGroups = new ArrayList<>();
    boolean rotateNecessary;
    int nrEvents;
    int nrFreq;

    PerfEventPmuContext(PerfEventContext ctx, PerfPmu pmu) {
        this.ctx = ctx;
        this.pmu = pmu;
    }
}
