package dev.pmulab.policy.filter;

import static dev.pmulab.api.EventFilter.allow;
import static dev.pmulab.api.EventFilter.deny;
import static dev.pmulab.policy.filter.ArmCommonEvents.BR_RETIRED;
import static dev.pmulab.policy.filter.ArmCommonEvents.CHAIN;
import static dev.pmulab.policy.filter.ArmCommonEvents.CPU_CYCLES;
import static dev.pmulab.policy.filter.ArmCommonEvents.INST_RETIRED;
import static dev.pmulab.policy.filter.ArmCommonEvents.L1D_CACHE_REFILL;
import static dev.pmulab.policy.filter.ArmCommonEvents.STALL_BACKEND_MEM;
import static dev.pmulab.policy.filter.ArmCommonEvents.SW_INCR;
import static dev.pmulab.policy.filter.KvmPmuEventFilterModel.EINVAL;
import static dev.pmulab.policy.filter.KvmPmuEventFilterModel.ID_AA64DFR0_PMUVER_IMP;
import static dev.pmulab.policy.filter.KvmPmuEventFilterModel.ID_AA64DFR0_PMUVER_V3P1;
import static dev.pmulab.policy.filter.KvmPmuEventFilterModel.KVM_PMU_EVENT_ALLOW;
import static dev.pmulab.policy.filter.KvmPmuEventFilterModel.KVM_PMU_EVENT_DENY;
import static dev.pmulab.policy.filter.SelftestOracle.HOST_PMCEID0;
import static dev.pmulab.policy.filter.SelftestOracle.HOST_PMCEID1;
import static dev.pmulab.policy.filter.SelftestOracle.MAX_PMCEID0;
import static dev.pmulab.policy.filter.SelftestOracle.MAX_PMCEID1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.EventFilter;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model against every bitmap and PMCEID case of kvm-vpmu-uapi.md: the pmu_event_filter_test.c
 * cases (§3.2), one test each under the selftest's name, and the edge cases of §1.3 and §2.5.
 * Each §3.2 case checks literal PMCEID values and the selftest's own way of computing them.
 */
final class KvmPmuEventFilterModelTest {
    private static KvmPmuEventFilterModel p1(EventFilter... filters) {
        return KvmPmuEventFilterModel.of(ID_AA64DFR0_PMUVER_V3P1, List.of(filters));
    }

    private static void assertPmceid(KvmPmuEventFilterModel m, List<EventFilter> filters, long pmceid0, long pmceid1) {
        assertThat(m.pmceid0(HOST_PMCEID0)).as("PMCEID0").isEqualTo(pmceid0);
        assertThat(m.pmceid1(HOST_PMCEID1)).as("PMCEID1").isEqualTo(pmceid1);
        long[] selftest = SelftestOracle.expected(filters);
        assertThat(new long[] {pmceid0, pmceid1}).as("the selftest's expectation").containsExactly(selftest);
    }

    /** pmu_event_filter_test.c, kvm-vpmu-uapi.md §3.2. */
    @Nested
    final class PmuEventFilterTest {
        @Test
        void without_filter() {
            KvmPmuEventFilterModel m = p1();
            assertThat(m.hasFilter()).isFalse();
            assertPmceid(m, List.of(), 0x0000_0070_7FFF_FFFFL, 0x0000_0007_1FFF_FFFFL);
            assertThat(m.allowed(L1D_CACHE_REFILL)).isTrue();
            assertThat(m.cycleCounterAllowed()).isTrue();
        }

        @Test
        void member_allow_filter() {
            List<EventFilter> f = List.of(allow(SW_INCR, 1), allow(INST_RETIRED, 1), allow(BR_RETIRED, 1));
            KvmPmuEventFilterModel m = KvmPmuEventFilterModel.of(ID_AA64DFR0_PMUVER_V3P1, f);
            assertPmceid(m, f, 0x0000_0000_0000_0101L, 0x0000_0000_0000_0002L);
            assertThat(m.allowed(INST_RETIRED)).isTrue();
            assertThat(m.allowed(BR_RETIRED)).isTrue();
            assertThat(m.allowed(L1D_CACHE_REFILL)).as("default deny").isFalse();
            assertThat(m.cycleCounterAllowed()).isFalse();
        }

        @Test
        void member_deny_filter() {
            List<EventFilter> f = List.of(deny(SW_INCR, 1), deny(INST_RETIRED, 1), deny(BR_RETIRED, 1));
            KvmPmuEventFilterModel m = KvmPmuEventFilterModel.of(ID_AA64DFR0_PMUVER_V3P1, f);
            assertPmceid(m, f, 0x0000_0070_7FFF_FEFEL, 0x0000_0007_1FFF_FFFDL);
            assertThat(m.allowed(INST_RETIRED)).isFalse();
            assertThat(m.allowed(BR_RETIRED)).isFalse();
            assertThat(m.allowed(SW_INCR)).as("SW_INCR is never filtered").isTrue();
            assertThat(m.allowed(L1D_CACHE_REFILL)).as("default allow").isTrue();
        }

        @Test
        void not_member_deny_filter() {
            List<EventFilter> f = List.of(deny(SW_INCR, 1));
            KvmPmuEventFilterModel m = KvmPmuEventFilterModel.of(ID_AA64DFR0_PMUVER_V3P1, f);
            assertPmceid(m, f, 0x0000_0070_7FFF_FFFEL, MAX_PMCEID1);
            assertThat(m.inBitmap(SW_INCR)).isFalse();
            assertThat(m.allowed(SW_INCR)).as("the PMCEID bit goes, the increments stay").isTrue();
        }

        @Test
        void not_member_allow_filter() {
            List<EventFilter> f = List.of(allow(SW_INCR, 1));
            KvmPmuEventFilterModel m = KvmPmuEventFilterModel.of(ID_AA64DFR0_PMUVER_V3P1, f);
            assertPmceid(m, f, 0x1L, 0L);
            assertThat(m.allowed(INST_RETIRED)).isFalse();
            assertThat(m.cycleCounterAllowed()).isFalse();
        }

        @Test
        void deny_chain_filter() {
            List<EventFilter> f = List.of(deny(CHAIN, 1));
            KvmPmuEventFilterModel m = KvmPmuEventFilterModel.of(ID_AA64DFR0_PMUVER_V3P1, f);
            assertPmceid(m, f, 0x0000_0070_3FFF_FFFFL, MAX_PMCEID1);
            assertThat(m.inBitmap(CHAIN)).isFalse();
            assertThat(m.allowed(CHAIN)).as("filtering CHAIN has no effect on counting").isTrue();
        }

        @Test
        void deny_cpu_cycles_filter() {
            List<EventFilter> f = List.of(deny(CPU_CYCLES, 1));
            KvmPmuEventFilterModel m = KvmPmuEventFilterModel.of(ID_AA64DFR0_PMUVER_V3P1, f);
            assertPmceid(m, f, 0x0000_0070_7FFD_FFFFL, MAX_PMCEID1);
            assertThat(m.cycleCounterAllowed()).isFalse();
            assertThat(m.counterAllowed(31, INST_RETIRED)).as("index 31 is tested as CPU_CYCLES").isFalse();
            assertThat(m.counterAllowed(0, CPU_CYCLES)).isFalse();
            assertThat(m.counterAllowed(0, INST_RETIRED)).isTrue();
        }

        @Test
        void cancel_allow_filter() {
            List<EventFilter> f = List.of(allow(CPU_CYCLES, 1), deny(CPU_CYCLES, 1));
            KvmPmuEventFilterModel m = KvmPmuEventFilterModel.of(ID_AA64DFR0_PMUVER_V3P1, f);
            assertPmceid(m, f, 0L, 0L);
            assertThat(m.cycleCounterAllowed()).as("the default stays deny").isFalse();
            assertThat(m.allowed(INST_RETIRED)).isFalse();
        }

        @Test
        void cancel_deny_filter() {
            List<EventFilter> f = List.of(deny(CPU_CYCLES, 1), allow(CPU_CYCLES, 1));
            KvmPmuEventFilterModel m = KvmPmuEventFilterModel.of(ID_AA64DFR0_PMUVER_V3P1, f);
            assertPmceid(m, f, MAX_PMCEID0, MAX_PMCEID1);
            assertThat(m.cycleCounterAllowed()).isTrue();
            assertThat(m.allowed(L1D_CACHE_REFILL)).isTrue();
        }

        @Test
        void multiple_filter() {
            List<EventFilter> f = List.of(allow(0x0, 0x10), deny(0x6, 0x3));
            KvmPmuEventFilterModel m = KvmPmuEventFilterModel.of(ID_AA64DFR0_PMUVER_V3P1, f);
            assertPmceid(m, f, 0x0000_0000_0000_FE3FL, 0L);
            assertThat(m.allowed(0x5)).isTrue();
            assertThat(m.allowed(INST_RETIRED)).isFalse();
            assertThat(m.allowed(0x9)).isTrue();
            assertThat(m.allowed(0x10)).isFalse();
        }

        @Test
        void test_invalid_filter() {
            KvmPmuEventFilterModel m = p1();
            assertThat(m.setFilter(0x8000, 0x8001, KVM_PMU_EVENT_ALLOW)).as("0x8000 + 0x8001 > 0x10000").isEqualTo(EINVAL);
            assertThat(m.setFilter(0, 1, 3)).as("action 3").isEqualTo(EINVAL);
            assertThat(m.hasFilter()).as("a refused filter changes nothing").isFalse();
            assertPmceid(m, List.of(), MAX_PMCEID0, MAX_PMCEID1);
            assertThat(m.setFilter(INST_RETIRED, 1, KVM_PMU_EVENT_DENY)).isZero();
            assertThat(m.allowed(L1D_CACHE_REFILL)).as("the refused ALLOW did not set the default").isTrue();
        }
    }

    /** The rules of kvm-vpmu-uapi.md §1.3 and §2.5 beyond the selftest. */
    @Nested
    final class BitmapAndPmceidRules {
        @Test
        void eventSpaceIsSizedFromTheHostPmuVer() {
            assertThat(KvmPmuEventFilterModel.nrEvents(ID_AA64DFR0_PMUVER_IMP)).isEqualTo(1024);
            for (int pmuVer = ID_AA64DFR0_PMUVER_V3P1; pmuVer <= 9; pmuVer++) {
                assertThat(KvmPmuEventFilterModel.nrEvents(pmuVer)).isEqualTo(65536);
            }
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 0xf})
        void noPmuv3MeansNoFilter(int pmuVer) {
            assertThatThrownBy(() -> KvmPmuEventFilterModel.forHost(pmuVer))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PMUv3");
        }

        @Test
        void zeroedStructIsAFilterThatDeniesEverything() {
            KvmPmuEventFilterModel m = p1();
            assertThat(m.setFilter(0, 0, KVM_PMU_EVENT_ALLOW)).isZero();
            assertThat(m.hasFilter()).isTrue();
            assertThat(m.allowed(CPU_CYCLES)).isFalse();
            assertThat(m.allowed(SW_INCR)).isTrue();
            assertThat(m.pmceid0(HOST_PMCEID0)).isZero();
        }

        @Test
        void laterOppositeActionDoesNotResetTheDefault() {
            KvmPmuEventFilterModel m = p1(allow(0, 10), deny(0, 10));
            for (int e = 1; e < 0x40; e++) {
                assertThat(m.allowed(e)).as("event %#x", e).isEqualTo(e == CHAIN);
            }
            assertThat(m.allowed(0x8000)).isFalse();
        }

        @Test
        void rangeMayEndExactlyAtTheSpace() {
            assertThat(p1().setFilter(0xffff, 1, KVM_PMU_EVENT_DENY)).isZero();
            KvmPmuEventFilterModel v8 = KvmPmuEventFilterModel.forHost(ID_AA64DFR0_PMUVER_IMP);
            assertThat(v8.setFilter(0x3ff, 1, KVM_PMU_EVENT_DENY)).isZero();
            assertThat(v8.setFilter(0x3ff, 2, KVM_PMU_EVENT_DENY)).as("past 1024 on Armv8.0").isEqualTo(EINVAL);
            assertThat(v8.setFilter(STALL_BACKEND_MEM, 1, KVM_PMU_EVENT_DENY)).isEqualTo(EINVAL);
        }

        @Test
        void ofNamesTheFilterKvmRefuses() {
            assertThatThrownBy(() -> KvmPmuEventFilterModel.of(ID_AA64DFR0_PMUVER_IMP,
                    List.of(deny(CPU_CYCLES, 1), deny(0x4000, 6))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("filter 1 deny:0x4000-0x4005 is refused with -EINVAL: it ends past the 1024-event "
                            + "space of the host PMU");
        }

        @Test
        void pmceidForcesSwIncrAndChainOnAndStallSlotOff() {
            KvmPmuEventFilterModel m = p1();
            assertThat(m.pmceid0(0L)).isEqualTo((1L << SW_INCR) | (1L << CHAIN));
            assertThat(m.pmceid1(0xE000_0000L)).as("STALL_SLOT_BACKEND/FRONTEND/STALL_SLOT").isZero();
            KvmPmuEventFilterModel allowingThem = p1(allow(0x3d, 3));
            assertThat(allowingThem.pmceid1(0xE000_0000L)).as("a filter cannot bring them back").isZero();
        }

        @Test
        void highHalvesAreMaskedByThe0x4000Events() {
            KvmPmuEventFilterModel deny4005 = p1(deny(STALL_BACKEND_MEM, 1));
            assertThat(deny4005.pmceid0(HOST_PMCEID0)).isEqualTo(MAX_PMCEID0 & ~(1L << 37));
            KvmPmuEventFilterModel only4004and4021 = p1(allow(0x4004, 1), allow(0x4021, 1));
            assertThat(only4004and4021.pmceid0(HOST_PMCEID0)).isEqualTo(1L << 36);
            assertThat(only4004and4021.pmceid1(HOST_PMCEID1)).isEqualTo(1L << 33);
        }

        @Test
        void onArmv8Dot0AFilteredGuestSeesNoHighHalf() {
            long withHighBits = 0x0000_00FF_0000_0000L | (1L << INST_RETIRED);
            KvmPmuEventFilterModel unfiltered = KvmPmuEventFilterModel.forHost(ID_AA64DFR0_PMUVER_IMP);
            assertThat(unfiltered.pmceid0(withHighBits)).isEqualTo(withHighBits | 1L | (1L << CHAIN));
            KvmPmuEventFilterModel filtered = KvmPmuEventFilterModel.of(ID_AA64DFR0_PMUVER_IMP,
                    List.of(deny(CPU_CYCLES, 1)));
            assertThat(filtered.pmceid0(withHighBits)).isEqualTo(1L | (1L << INST_RETIRED) | (1L << CHAIN));
        }

        @Test
        void onArmv8Dot0EventNumbersAreCutToTenBits() {
            KvmPmuEventFilterModel m = KvmPmuEventFilterModel.of(ID_AA64DFR0_PMUVER_IMP, List.of(deny(CPU_CYCLES, 1)));
            assertThat(m.allowed(0x4000 | CPU_CYCLES)).isFalse();
            assertThat(m.allowed(0x4000 | INST_RETIRED)).isTrue();
        }

        @Test
        void counterIndexAndEventNumberAreChecked() {
            KvmPmuEventFilterModel m = p1();
            assertThatThrownBy(() -> m.counterAllowed(32, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.allowed(0x10000)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> m.setFilter(0, 0x10000, KVM_PMU_EVENT_ALLOW))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
