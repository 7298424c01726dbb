package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EINVAL;
import static dev.pmulab.hw.PmuRegister.PMCEID0_EL0;
import static dev.pmulab.hw.PmuRegister.PMCEID1_EL0;
import static dev.pmulab.kvm.KvmPmuEventFilter.allow;
import static dev.pmulab.kvm.KvmPmuEventFilter.deny;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_FILTER;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_IRQ;
import static dev.pmulab.kvm.KvmUapi.KVM_PMU_EVENT_ALLOW;
import static dev.pmulab.kvm.TestHosts.EXT_EVENT_HIGH;
import static dev.pmulab.kvm.TestHosts.EXT_EVENT_LOW;
import static dev.pmulab.kvm.TestHosts.PMU_FEATURES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * pmu_event_filter_test.c (Shaoqin Huang, v10), ported (kvm-vpmu-uapi.md §3.2): filters set before
 * IRQ 23 and INIT, the guest reads PMCEID0_EL0/PMCEID1_EL0, and they must equal what an unfiltered
 * VM reads ANDed with the mask the filters describe. Each case runs in a fresh VM.
 */
final class PmuEventFilterTest {
    private final KvmHost host = TestHosts.homogeneous();
    /** PMCEID0/1 of an unfiltered VM (the selftest's max_pmce). */
    private long[] maxPmce;

    /** The guest of the selftest: reads PMCEID0/1 and reports them. */
    private static final class PmceidReader implements GuestCode {
        long pmceid0;
        long pmceid1;

        @Override
        public void run(Guest g) {
            pmceid0 = g.read(PMCEID0_EL0);
            pmceid1 = g.read(PMCEID1_EL0);
        }
    }

    /** Creates the VM, applies the filters, sets IRQ 23 and INIT, runs the guest, returns PMCEID0/1. */
    private static long[] runWithFilters(KvmHost host, List<KvmPmuEventFilter> filters) {
        Vm vm = host.createVm();
        PmceidReader guest = new PmceidReader();
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES, guest);
        assertThat(vm.createVgicV3(64).init()).isZero();
        for (KvmPmuEventFilter f : filters) {
            assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FILTER, UserPtr.of(f)))
                    .as("FILTER %s", f)
                    .isZero();
        }
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(23)))
                .isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.getUcall()).isEqualTo(Ucall.DONE);
        return new long[] {guest.pmceid0, guest.pmceid1};
    }

    /**
     * prepare_expect_pmce(): starts all ones (all zeros if the first filter allows), then each event
     * of each range sets (ALLOW) or clears (DENY) its bit: 0-0x1f PMCEID0, 0x20-0x3f PMCEID1,
     * 0x4000+ the same at +32; other events are ignored.
     */
    private static long[] expectedMask(List<KvmPmuEventFilter> filters) {
        long[] mask = {-1L, -1L};
        if (!filters.isEmpty() && filters.get(0).action() == KVM_PMU_EVENT_ALLOW) {
            mask = new long[] {0, 0};
        }
        for (KvmPmuEventFilter f : filters) {
            for (int e = f.baseEvent(); e < f.baseEvent() + f.nevents(); e++) {
                int reg;
                int bit;
                if (e <= 0x3f) {
                    reg = e / 32;
                    bit = e % 32;
                } else if (e >= 0x4000 && e <= 0x403f) {
                    reg = (e - 0x4000) / 32;
                    bit = 32 + (e - 0x4000) % 32;
                } else {
                    continue;
                }
                if (f.action() == KVM_PMU_EVENT_ALLOW) {
                    mask[reg] |= 1L << bit;
                } else {
                    mask[reg] &= ~(1L << bit);
                }
            }
        }
        return mask;
    }

    /** run_test(): the guest's PMCEID0/1 under the filters equal max_pmce & the expected mask. */
    private void runTest(KvmPmuEventFilter... filters) {
        List<KvmPmuEventFilter> list = List.of(filters);
        long[] mask = expectedMask(list);
        long[] pmce = runWithFilters(host, list);
        assertThat(pmce[0]).as("PMCEID0_EL0").isEqualTo(maxPmce[0] & mask[0]);
        assertThat(pmce[1]).as("PMCEID1_EL0").isEqualTo(maxPmce[1] & mask[1]);
    }

    private static long bit(int event) {
        return 1L << (event % 32);
    }

    @BeforeEach
    void readMaxPmce() {
        maxPmce = runWithFilters(host, List.of());
    }

    /** The selftest requires these host events; KVM adds SW_INCR and CHAIN and hides STALL_SLOT*. */
    @Test
    void withoutFilter() {
        long host0 = bit(Events.INST_RETIRED) | bit(Events.CPU_CYCLES) | bit(Events.CHAIN) | (1L << 32 + 4);
        long host1 = bit(Events.BR_RETIRED) | bit(Events.STALL_FRONTEND) | bit(Events.STALL_BACKEND) | (1L << 32 + 4);
        assertThat(maxPmce[0]).isEqualTo(host0 | bit(Events.SW_INCR));
        assertThat(maxPmce[1]).isEqualTo(host1);
    }

    @Test
    void memberAllowFilter() {
        runTest(allow(Events.SW_INCR, 1), allow(Events.INST_RETIRED, 1), allow(Events.BR_RETIRED, 1));
        assertThat(runWithFilters(
                        host,
                        List.of(allow(Events.SW_INCR, 1), allow(Events.INST_RETIRED, 1), allow(Events.BR_RETIRED, 1))))
                .containsExactly(bit(Events.SW_INCR) | bit(Events.INST_RETIRED), bit(Events.BR_RETIRED));
    }

    @Test
    void memberDenyFilter() {
        runTest(deny(Events.SW_INCR, 1), deny(Events.INST_RETIRED, 1), deny(Events.BR_RETIRED, 1));
    }

    @Test
    void notMemberDenyFilter() {
        runTest(deny(Events.SW_INCR, 1));
    }

    @Test
    void notMemberAllowFilter() {
        runTest(allow(Events.SW_INCR, 1));
    }

    @Test
    void denyChainFilter() {
        runTest(deny(Events.CHAIN, 1));
    }

    @Test
    void denyCpuCyclesFilter() {
        runTest(deny(Events.CPU_CYCLES, 1));
    }

    /** ALLOW 0x11 then DENY 0x11: the default stays "deny", so CPU_CYCLES ends denied. */
    @Test
    void cancelAllowFilter() {
        runTest(allow(Events.CPU_CYCLES, 1), deny(Events.CPU_CYCLES, 1));
        assertThat(runWithFilters(host, List.of(allow(Events.CPU_CYCLES, 1), deny(Events.CPU_CYCLES, 1))))
                .containsExactly(0L, 0L);
    }

    @Test
    void cancelDenyFilter() {
        runTest(deny(Events.CPU_CYCLES, 1), allow(Events.CPU_CYCLES, 1));
        assertThat(runWithFilters(host, List.of(deny(Events.CPU_CYCLES, 1), allow(Events.CPU_CYCLES, 1))))
                .containsExactly(maxPmce);
    }

    @Test
    void multipleFilter() {
        runTest(allow(0x0, 0x10), deny(0x6, 0x3));
    }

    /** test_invalid_filter(): a range past the 16-bit event space, and an unknown action. */
    @Test
    void invalidFilter() {
        Vm vm = host.createVm();
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.setDeviceAttr(
                        KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FILTER, UserPtr.of(allow(0x8000, 0x8001))))
                .isEqualTo(-EINVAL);
        assertThat(vcpu.setDeviceAttr(
                        KVM_ARM_VCPU_PMU_V3_CTRL,
                        KVM_ARM_VCPU_PMU_V3_FILTER,
                        UserPtr.of(new KvmPmuEventFilter(0, 1, 3))))
                .isEqualTo(-EINVAL);
        assertThat(vm.pmu().filter()).as("a refused filter allocates no bitmap").isEmpty();
    }

    /** The selftest's cheap "a filter is present": a zeroed struct is ALLOW of nothing, so deny all. */
    @Test
    void zeroLengthAllowFilterDeniesEverything() {
        runTest(allow(0, 0));
        assertThat(runWithFilters(host, List.of(allow(0, 0)))).containsExactly(0L, 0L);
    }

    /** The extended events count as PMCEID's upper halves and obey the filter in a 16-bit space. */
    @Test
    void extendedEventsFollowTheFilterInTheUpperHalves() {
        runTest(allow(EXT_EVENT_LOW, 1), allow(Events.CPU_CYCLES, 1));
        assertThat(runWithFilters(host, List.of(deny(EXT_EVENT_HIGH, 1))))
                .containsExactly(maxPmce[0], maxPmce[1] & ~(1L << 32 + 4));
    }

    /** On an Armv8.0 host a range past 1024 is already out of the event space. */
    @Test
    void rangePastTheTenBitEventSpaceIsInvalidOnAPmuV3Host() {
        KvmHost v80 = KvmHost.builder()
                .pmu(new HostPmuDescriptor(
                        "armv8_cortex_a53",
                        8,
                        new int[] {0, 1},
                        TestHosts.hardware(6, PmuVersion.V3, Events.CPU_CYCLES)))
                .build();
        Vcpu vcpu = v80.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.setDeviceAttr(
                        KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FILTER, UserPtr.of(allow(0x3ff, 2))))
                .isEqualTo(-EINVAL);
        assertThat(vcpu.setDeviceAttr(
                        KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FILTER, UserPtr.of(allow(0x3ff, 1))))
                .isZero();
    }

    /**
     * With a 10-bit event space (the host limit is PMUv3 because one PMU is), a filter hides the
     * upper halves of PMCEID even for events the chosen PMU has (§2.5).
     */
    @Test
    void filterOnATenBitEventSpaceHidesTheUpperHalves() {
        KvmHost mixed = KvmHost.builder()
                .pmu(TestHosts.big())
                .pmu(new HostPmuDescriptor(
                        "armv8_cortex_a53",
                        8,
                        new int[] {0, 1, 2, 3},
                        TestHosts.hardware(6, PmuVersion.V3, Events.CPU_CYCLES)))
                .build();
        mixed.pinSelfToCpu(4); // the default PMU is the big one, which has the extended events
        long[] unfiltered = runWithFilters(mixed, List.of());
        assertThat(unfiltered[0] >>> 32).isNotZero();
        long[] filtered = runWithFilters(mixed, List.of(deny(Events.BR_RETIRED, 1)));
        assertThat(filtered[0]).isEqualTo(unfiltered[0] & 0xffff_ffffL);
        assertThat(filtered[1]).isEqualTo(unfiltered[1] & 0xffff_ffffL & ~bit(Events.BR_RETIRED));
    }
}
