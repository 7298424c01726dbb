package dev.pmulab.policy.filter;

import static dev.pmulab.api.EventFilter.deny;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.EventFilter;
import dev.pmulab.api.FilterAction;
import dev.pmulab.api.FilterPolicy;
import dev.pmulab.api.HostView;
import dev.pmulab.api.VmView;
import dev.pmulab.hw.Events;
import dev.pmulab.policy.filter.NeighbourSafePreset.DeniedEvents;
import dev.pmulab.policy.filter.NeighbourSafePreset.Group;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class NeighbourSafePresetTest {
    /** The preset's exact list, as docs/policies/event-filter.md documents it. */
    private static final String EXACT_LIST = """
            0x0001 L1I_CACHE_REFILL CACHE
            0x0002 L1I_TLB_REFILL TLB
            0x0003 L1D_CACHE_REFILL CACHE
            0x0005 L1D_TLB_REFILL TLB
            0x0015 L1D_CACHE_WB CACHE
            0x0016 L2D_CACHE CACHE
            0x0017 L2D_CACHE_REFILL CACHE
            0x0018 L2D_CACHE_WB CACHE
            0x0019 BUS_ACCESS BUS_AND_MEMORY
            0x001a MEMORY_ERROR BUS_AND_MEMORY
            0x001d BUS_CYCLES BUS_AND_MEMORY
            0x001f L1D_CACHE_ALLOCATE CACHE
            0x0020 L2D_CACHE_ALLOCATE CACHE
            0x0027 L2I_CACHE CACHE
            0x0028 L2I_CACHE_REFILL CACHE
            0x0029 L3D_CACHE_ALLOCATE CACHE
            0x002a L3D_CACHE_REFILL CACHE
            0x002b L3D_CACHE CACHE
            0x002c L3D_CACHE_WB CACHE
            0x002d L2D_TLB_REFILL TLB
            0x002e L2I_TLB_REFILL TLB
            0x002f L2D_TLB TLB
            0x0030 L2I_TLB TLB
            0x0031 REMOTE_ACCESS BUS_AND_MEMORY
            0x0032 LL_CACHE CACHE
            0x0033 LL_CACHE_MISS CACHE
            0x0034 DTLB_WALK TLB
            0x0035 ITLB_WALK TLB
            0x0036 LL_CACHE_RD CACHE
            0x0037 LL_CACHE_MISS_RD CACHE
            0x0038 REMOTE_ACCESS_RD BUS_AND_MEMORY
            0x0039 L1D_CACHE_LMISS_RD CACHE
            0x0042 L1D_CACHE_REFILL_RD CACHE
            0x0043 L1D_CACHE_REFILL_WR CACHE
            0x0044 L1D_CACHE_REFILL_INNER CACHE
            0x0045 L1D_CACHE_REFILL_OUTER CACHE
            0x0046 L1D_CACHE_WB_VICTIM CACHE
            0x0047 L1D_CACHE_WB_CLEAN CACHE
            0x0048 L1D_CACHE_INVAL CACHE
            0x004c L1D_TLB_REFILL_RD TLB
            0x004d L1D_TLB_REFILL_WR TLB
            0x0050 L2D_CACHE_RD CACHE
            0x0051 L2D_CACHE_WR CACHE
            0x0052 L2D_CACHE_REFILL_RD CACHE
            0x0053 L2D_CACHE_REFILL_WR CACHE
            0x0056 L2D_CACHE_WB_VICTIM CACHE
            0x0057 L2D_CACHE_WB_CLEAN CACHE
            0x0058 L2D_CACHE_INVAL CACHE
            0x005c L2D_TLB_REFILL_RD TLB
            0x005d L2D_TLB_REFILL_WR TLB
            0x005e L2D_TLB_RD TLB
            0x005f L2D_TLB_WR TLB
            0x0060 BUS_ACCESS_RD BUS_AND_MEMORY
            0x0061 BUS_ACCESS_WR BUS_AND_MEMORY
            0x0062 BUS_ACCESS_SHARED BUS_AND_MEMORY
            0x0063 BUS_ACCESS_NOT_SHARED BUS_AND_MEMORY
            0x0064 BUS_ACCESS_NORMAL BUS_AND_MEMORY
            0x0065 BUS_ACCESS_PERIPH BUS_AND_MEMORY
            0x0092 L3D_CACHE_HIT_WR_FEXT_PROP CACHE
            0x00a0 L3D_CACHE_RD CACHE
            0x00a1 L3D_CACHE_WR CACHE
            0x00a2 L3D_CACHE_REFILL_RD CACHE
            0x00a3 L3D_CACHE_REFILL_WR CACHE
            0x00a6 L3D_CACHE_WB_VICTIM CACHE
            0x00a7 L3D_CACHE_WB_CLEAN CACHE
            0x00a8 L3D_CACHE_INVAL CACHE
            0x00a9 L2D_CACHE_HIT_RD_FEXT_PROP CACHE
            0x00aa L2D_CACHE_HIT_WR_FEXT_PROP CACHE
            0x00ab L2D_CACHE_HIT_RW_FEXT_PROP CACHE
            0x00ac L3D_CACHE_EXT_PROP CACHE
            0x00ad L3D_CACHE_EXT_PROP_PRFM_IR CACHE
            0x00ae L3D_CACHE_HIT_RW_FEXT_PROP CACHE
            0x00af L3D_CACHE_HIT_RD_FEXT_PROP CACHE
            0x00b9 L1D_CACHE_EXT_PROP CACHE
            0x00ba L1D_CACHE_EXT_PROP_PRFM_IR CACHE
            0x00bb L1D_CACHE_HIT_RD_FEXT_PROP CACHE
            0x00bc L1D_CACHE_HIT_WR_FEXT_PROP CACHE
            0x00bd L1D_CACHE_HIT_RW_FEXT_PROP CACHE
            0x00be L2D_CACHE_EXT_PROP CACHE
            0x00bf L2D_CACHE_EXT_PROP_PRFM_IR CACHE
            0x00c0-0x03ff IMPLEMENTATION DEFINED IMPLEMENTATION_DEFINED
            0x0400-0x3fff IMPLEMENTATION DEFINED IMPLEMENTATION_DEFINED
            0x4005 STALL_BACKEND_MEM BUS_AND_MEMORY
            0x4006 L1I_CACHE_LMISS CACHE
            0x4009 L2D_CACHE_LMISS_RD CACHE
            0x400a L2I_CACHE_LMISS CACHE
            0x400b L3D_CACHE_LMISS_RD CACHE
            0x40c0-0x7fff IMPLEMENTATION DEFINED IMPLEMENTATION_DEFINED
            0xc0c0-0xffff IMPLEMENTATION DEFINED IMPLEMENTATION_DEFINED
            """;

    private static String line(DeniedEvents d) {
        String range = d.first() == d.last()
                ? String.format("0x%04x", d.first())
                : String.format("0x%04x-0x%04x", d.first(), d.last());
        return range + " " + d.name() + " " + d.group();
    }

    @Test
    void deniesExactlyTheDocumentedEvents() {
        assertThat(NeighbourSafePreset.deniedEvents().stream()
                        .map(NeighbourSafePresetTest::line)
                        .collect(Collectors.joining("\n", "", "\n")))
                .isEqualTo(EXACT_LIST);
    }

    @Test
    void listIsInEventOrderWithoutOverlaps() {
        List<DeniedEvents> d = NeighbourSafePreset.deniedEvents();
        for (int i = 1; i < d.size(); i++) {
            assertThat(d.get(i).first())
                    .as(d.get(i).name())
                    .isGreaterThan(d.get(i - 1).last());
        }
    }

    @Test
    void keepsTheEventsEveryProfilerNeeds() {
        List<Integer> kept = List.of(
                Events.SW_INCR,
                Events.L1D_CACHE,
                Events.INST_RETIRED,
                Events.BR_MIS_PRED,
                Events.CPU_CYCLES,
                Events.CHAIN,
                Events.BR_RETIRED,
                Events.STALL_BACKEND);
        for (DeniedEvents d : NeighbourSafePreset.deniedEvents()) {
            assertThat(kept).noneMatch(e -> e >= d.first() && e <= d.last());
        }
    }

    @Test
    void filtersFor16BitEventSpaceMergeAdjacentEvents() {
        assertThat(NeighbourSafePreset.filters(65536))
                .containsExactly(
                        deny(0x01, 3),
                        deny(0x05, 1),
                        deny(0x15, 6),
                        deny(0x1D, 1),
                        deny(0x1F, 2),
                        deny(0x27, 0x13),
                        deny(0x42, 7),
                        deny(0x4C, 2),
                        deny(0x50, 4),
                        deny(0x56, 3),
                        deny(0x5C, 10),
                        deny(0x92, 1),
                        deny(0xA0, 4),
                        deny(0xA6, 10),
                        deny(0xB9, 0x3F47),
                        deny(0x4005, 2),
                        deny(0x4009, 3),
                        deny(0x40C0, 0x3F40),
                        deny(0xC0C0, 0x3F40));
    }

    @Test
    void filtersFor10BitEventSpaceStopAt1024() {
        List<EventFilter> f = NeighbourSafePreset.filters(1024);
        assertThat(f).hasSize(15).endsWith(deny(0xB9, 0x347));
        assertThat(f).allMatch(x -> x.baseEvent() + x.nevents() <= 1024 && x.action() == FilterAction.DENY);
    }

    @Test
    void kvmAcceptsThePresetOnEitherHostAndNothingDeniedCounts() {
        for (KvmFilterTestbed t : List.of(KvmFilterTestbed.v3(), KvmFilterTestbed.p1())) {
            int space = t.host.pmuVersion().eventSpace();
            // The preset alone, as the plugin sets it (KvmFilterTestbed fails on any errno).
            FilterPolicy preset = new FilterPolicy() {
                @Override
                public List<EventFilter> eventFilters(VmView vm, HostView host) {
                    return NeighbourSafePreset.filters(space);
                }
            };
            t.configure(preset);
            for (DeniedEvents d : NeighbourSafePreset.deniedEvents()) {
                if (d.first() < space) {
                    assertThat(t.counts(d.first()))
                            .as("%s on a %d-event host", d.name(), space)
                            .isFalse();
                    assertThat(t.counts(Math.min(d.last(), space - 1))).isFalse();
                }
            }
            assertThat(t.counts(Events.CPU_CYCLES)).isTrue();
            assertThat(t.cycleCounterCounts()).isTrue();
        }
    }

    @Test
    void groupsCoverCacheTlbBusAndImplementationDefined() {
        assertThat(NeighbourSafePreset.deniedEvents())
                .extracting(DeniedEvents::group)
                .containsOnly(Group.values());
    }

    @Test
    void rejectsAnEventSpaceKvmDoesNotHave() {
        assertThatThrownBy(() -> NeighbourSafePreset.filters(4096)).isInstanceOf(IllegalArgumentException.class);
    }
}
