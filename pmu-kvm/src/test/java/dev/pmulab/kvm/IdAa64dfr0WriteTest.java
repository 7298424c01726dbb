package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EBUSY;
import static dev.pmulab.api.Errno.EINVAL;
import static dev.pmulab.api.Errno.ENOEXEC;
import static dev.pmulab.hw.PmuRegister.PMCR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVTYPER_EL0;
import static dev.pmulab.kvm.KvmPmuEventFilter.allow;
import static dev.pmulab.kvm.KvmPmuEventFilter.deny;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM64_SYS_REG;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_FILTER;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_IRQ;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PSCI_0_2;
import static dev.pmulab.kvm.KvmUapi.SYS_ID_AA64DFR0_EL1;
import static dev.pmulab.kvm.TestHosts.PMU_FEATURES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * KVM_SET_ONE_REG of ID_AA64DFR0_EL1: userspace lowering the guest's PMU version before the VM
 * first runs (sys_regs.c set_id_aa64dfr0_el1, set_id_reg, arm64_check_features), and what the
 * lowered PMUVer changes: the guest's event space (kvm_pmu_event_mask), the PMEVTYPER mask
 * (kvm_pmu_evtyper_mask), 64-bit counters and PMCR_EL0.LP (FEAT_PMUv3p5), PMCEID's upper halves
 * under a filter, and not the filter's event space (the host limit, kvm-vpmu-uapi.md §1.3).
 *
 * <p>The register reads DebugVer = 6 (Armv8.0) and PMUVer, every other field 0, so a value with
 * PMUVer v is {@code v << 8 | 6}.
 */
final class IdAa64dfr0WriteTest {
    private static final long DFR0 = SYS_ID_AA64DFR0_EL1;
    private static final long P = 1L << 31;
    private static final long U = 1L << 30;
    private static final long LP = 1L << 7;

    /** ID_AA64DFR0_EL1 with this PMUVer and DebugVer 6. */
    private static long dfr0(int pmuVer) {
        return ((long) pmuVer << 8) | 6;
    }

    private static int set(Vcpu vcpu, long value) {
        return vcpu.setOneReg(DFR0, UserPtr.ofLong(value));
    }

    private static int pmuVer(Vcpu vcpu) {
        return (int) ((vcpu.getReg(DFR0) >>> 8) & 0xf);
    }

    /** A PMU vCPU that did INIT without an irqchip and ran once: the VM has run. */
    private static Vcpu ranVcpu(KvmHost host) {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        assertThat(vcpu.run()).isZero();
        return vcpu;
    }

    /** Runs {@code code} as the guest of {@code vcpu}, with a vGICv3 and IRQ 23 as the selftests set up. */
    private static void runGuest(Vcpu vcpu, GuestCode code) {
        assertThat(vcpu.vm().createVgicV3(64).init()).isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(23)))
                .isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        vcpu.setGuestCode(code);
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.getUcall()).isEqualTo(Ucall.DONE);
    }

    /** A PMUv3 (Armv8.0) host: the limit, and the guest's default, is PMUVer 1. */
    private static KvmHost v80Host() {
        return KvmHost.builder()
                .pmu(new HostPmuDescriptor(
                        "armv8_cortex_a53", 8, new int[] {0}, TestHosts.hardware(6, PmuVersion.V3, Events.CPU_CYCLES)))
                .build();
    }

    /**
     * The checks in Linux's order; each test breaks the rule under test together with every later
     * one, so the errno shows which comes first.
     */
    @Nested
    final class ErrnoOrder {
        private final KvmHost host = TestHosts.homogeneous(); // PMUv3p5: the limit is PMUVer 6

        @Test
        void beforeKvmArmVcpuInitItIsEnoexec() {
            assertThat(set(host.createVm().createVcpu(0), dfr0(1))).isEqualTo(-ENOEXEC);
        }

        /** Check 1 (set_id_aa64dfr0_el1): IMP_DEF (0xf) is taken as 0, "no PMU", not refused. */
        @Test
        void impDefPmuVerIsReplacedByNoPmu() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(set(vcpu, dfr0(0xf))).isZero();
            assertThat(vcpu.getReg(DFR0)).isEqualTo(dfr0(0));
            assertThat(vcpu.vm().pmu().pmuVersion()).isNull();
            assertThat(vcpu.vm().pmu().eventMask()).isZero();
        }

        /** Check 2: DebugVer below Armv8.0 is -EINVAL before the ran-once check: after a run too. */
        @Test
        void debugVerBelowArmv8IsEinvalEvenAfterTheVmRan() {
            Vcpu fresh = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(set(fresh, dfr0(1) - 1))
                    .as("a valid lowering with DebugVer 5")
                    .isEqualTo(-EINVAL);
            assertThat(pmuVer(fresh)).isEqualTo(6);
            Vcpu ran = ranVcpu(host);
            assertThat(set(ran, dfr0(6) - 1)).as("PMUVer unchanged, DebugVer 5").isEqualTo(-EINVAL);
            assertThat(set(ran, dfr0(1) & ~0xfL))
                    .as("DebugVer 0, PMUVer changed")
                    .isEqualTo(-EINVAL);
        }

        /** Check 3 (set_id_reg): once a vCPU ran the register is immutable; the same value is 0. */
        @Test
        void afterTheVmRanTheSameValueIsZeroAndAnyOtherEbusy() {
            Vcpu vcpu = ranVcpu(host);
            assertThat(set(vcpu, dfr0(6))).isZero();
            assertThat(set(vcpu, dfr0(1)))
                    .as("a lowering that was valid before the run")
                    .isEqualTo(-EBUSY);
            assertThat(set(vcpu, dfr0(7)))
                    .as("above the limit: the ran-once check comes first")
                    .isEqualTo(-EBUSY);
            assertThat(set(vcpu, dfr0(6) | (1L << 12))).as("another field").isEqualTo(-EBUSY);
            assertThat(pmuVer(vcpu)).isEqualTo(6);
        }

        /** IMP_DEF is replaced before the comparison: after a run it matches a PMUVer of 0. */
        @Test
        void afterTheVmRanImpDefMatchesAStoredZero() {
            Vm vm = host.createVm();
            Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
            assertThat(set(vcpu, dfr0(0))).isZero();
            assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                    .isZero();
            assertThat(vcpu.run()).isZero();
            assertThat(set(vcpu, dfr0(0xf))).isZero();
            assertThat(set(vcpu, dfr0(6))).isEqualTo(-EBUSY);
        }

        /** The VM has run when any of its vCPUs has: a vCPU that never ran is refused too. */
        @Test
        void anotherVcpusRunMakesItEbusy() {
            Vm vm = host.createVm();
            Vcpu vcpu0 = vm.createVcpu(0, PMU_FEATURES);
            Vcpu vcpu1 = vm.createVcpu(1, PMU_FEATURES);
            assertThat(vcpu0.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                    .isZero();
            assertThat(vcpu0.run()).isZero();
            assertThat(set(vcpu1, dfr0(1))).isEqualTo(-EBUSY);
        }

        /**
         * Check 4 (arm64_check_features, -E2BIG reported as -EINVAL): PMUVer above the limit. The
         * big.LITTLE host's cores are PMUv3p7 (7) but KVM caps the limit at PMUv3p5 (6).
         */
        @Test
        void pmuVerAboveTheLimitIsEinval() {
            Vcpu vcpu = TestHosts.bigLittle().createVm().createVcpu(0, PMU_FEATURES);
            assertThat(pmuVer(vcpu)).isEqualTo(6);
            assertThat(set(vcpu, dfr0(7))).isEqualTo(-EINVAL);
            assertThat(set(vcpu, dfr0(8))).isEqualTo(-EINVAL);
            // 0xe would be "lower" if the field were signed (-2): it has been unsigned since d1dcc20bcc40.
            assertThat(set(vcpu, dfr0(0xe))).isEqualTo(-EINVAL);
            assertThat(pmuVer(vcpu)).isEqualTo(6);
        }

        /**
         * Check 4 on the other fields, each value lowering PMUVer to 1 (valid alone): DebugVer above
         * Armv8.0, and fields the model reads as 0 (BRPs [15:12], WRPs [23:20], DoubleLock [39:36]).
         */
        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "DebugVer 7, 0x107",
            "BRPs 1, 0x1106",
            "BRPs 15, 0xf106",
            "WRPs 1, 0x100106",
            "DoubleLock 1, 0x1000000106"
        })
        void otherFieldsAboveTheLimitAreEinval(String field, String value) {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(set(vcpu, Long.decode(value))).isEqualTo(-EINVAL);
            assertThat(pmuVer(vcpu)).isEqualTo(6);
        }

        /** Without the PMU feature the limit's PMUVer is 0: only 0 (or IMP_DEF, taken as 0) passes. */
        @Test
        void withoutThePmuFeatureOnlyNoPmuIsAccepted() {
            Vcpu vcpu = host.createVm().createVcpu(0, 1L << KVM_ARM_VCPU_PSCI_0_2);
            assertThat(vcpu.getReg(DFR0)).isEqualTo(dfr0(0));
            assertThat(set(vcpu, dfr0(1))).isEqualTo(-EINVAL);
            assertThat(set(vcpu, dfr0(0))).isZero();
            assertThat(set(vcpu, dfr0(0xf))).isZero();
        }
    }

    /** What KVM accepts below the limit, and where it keeps it. */
    @Nested
    final class Accepted {
        private final KvmHost host = TestHosts.homogeneous();

        /**
         * PMUVer is lower-safe: every value up to the limit is taken, 0 ("no PMU", on a vCPU that
         * has the PMU feature) and the reserved 2 and 3 included, whose event mask is 0 (the kernel
         * WARNs in __kvm_pmu_event_mask).
         */
        @ParameterizedTest(name = "PMUVer {0}: event mask 0x{1}, 64-bit counters {2}")
        @CsvSource({
            "0, 0, false",
            "1, 3ff, false",
            "2, 0, false",
            "3, 0, false",
            "4, ffff, false",
            "5, ffff, false",
            "6, ffff, true"
        })
        void everyPmuVerUpToTheLimitIsTaken(int pmuVer, String maskHex, boolean longCounters) {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(set(vcpu, dfr0(pmuVer))).isZero();
            assertThat(vcpu.getReg(DFR0)).isEqualTo(dfr0(pmuVer));
            VmPmuView pmu = vcpu.vm().pmu();
            assertThat(pmu.pmuVer()).isEqualTo(pmuVer);
            assertThat(pmu.eventMask()).isEqualTo(Integer.parseInt(maskHex, 16));
            assertThat(vcpu.pmuRegs().is64bit(0)).isEqualTo(longCounters);
            assertThat(vcpu.pmuRegs().is64bit(31)).as("the cycle counter").isTrue();
        }

        @Test
        void theValueIsVmWideAndSurvivesLaterVcpuInits() {
            Vm vm = host.createVm();
            Vcpu vcpu0 = vm.createVcpu(0, PMU_FEATURES);
            assertThat(set(vcpu0, dfr0(4))).isZero();
            Vcpu vcpu1 = vm.createVcpu(1, PMU_FEATURES);
            assertThat(pmuVer(vcpu1))
                    .as("ID registers are initialised once per VM")
                    .isEqualTo(4);
            assertThat(set(vcpu1, dfr0(1))).isZero();
            assertThat(pmuVer(vcpu0)).isEqualTo(1);
            assertThat(vcpu0.armVcpuInit(PMU_FEATURES)).as("a vCPU reset").isZero();
            assertThat(pmuVer(vcpu0)).isEqualTo(1);
        }

        @Test
        void raisingItAgainUpToTheLimitIsAllowedBeforeTheRun() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(set(vcpu, dfr0(1))).isZero();
            assertThat(set(vcpu, dfr0(6))).isZero();
            assertThat(vcpu.vm().pmu().pmuVersion()).isEqualTo(PmuVersion.P5);
        }
    }

    /** The guest's PMU after userspace lowered PMUVer from PMUv3p5 (6) to PMUv3 (1) or PMUv3p1 (4). */
    @Nested
    final class Effects {
        private final KvmHost host = TestHosts.homogeneous();

        private Vcpu lowered(int pmuVer) {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(set(vcpu, dfr0(pmuVer))).isZero();
            return vcpu;
        }

        /**
         * kvm_pmu_evtyper_mask() = P | U | event mask. All ones read back 0xc00003ff with 10-bit
         * events, 0xc000ffff with 16. Event 0x4004 (an extended common event) | P is truncated to
         * 0x4004 & 0x3ff = 0x004 (L1D_CACHE) on PMUv3, kept on PMUv3p1.
         */
        @Test
        void aPmevtyperWriteKeepsOnlyTheGuestsEventBits() {
            Vcpu v3 = lowered(1);
            runGuest(v3, g -> {
                g.write(PMEVTYPER_EL0, 0, 0xffff_ffffL);
                assertThat(g.read(PMEVTYPER_EL0, 0)).isEqualTo(0xc000_03ffL);
                g.write(PMEVTYPER_EL0, 1, P | 0x4004);
                assertThat(g.read(PMEVTYPER_EL0, 1)).isEqualTo(P | 0x004);
            });
            Vcpu p1 = lowered(4);
            runGuest(p1, g -> {
                g.write(PMEVTYPER_EL0, 0, 0xffff_ffffL);
                assertThat(g.read(PMEVTYPER_EL0, 0)).isEqualTo(0xc000_ffffL);
                g.write(PMEVTYPER_EL0, 1, P | 0x4004);
                assertThat(g.read(PMEVTYPER_EL0, 1)).isEqualTo(P | 0x4004);
            });
        }

        /** The event a counter's perf event counts (kvm_pmu_create_perf_event) uses the guest's mask. */
        @Test
        void thePerfEventCountsTheTruncatedEvent() {
            VmPmuView pmu = lowered(1).vm().pmu();
            assertThat(pmu.eventMask()).isEqualTo(0x3ff);
            assertThat(pmu.perfEventConfig(0, P | 0x4011)).isEqualTo(Events.CPU_CYCLES); // 0x4011 & 0x3ff
            assertThat(pmu.perfEventConfig(0, 0x4000))
                    .as("0x4000 & 0x3ff = SW_INCR")
                    .isEqualTo(VmPmuView.NO_PERF_EVENT);
        }

        /** Without FEAT_PMUv3p5 event counters are 32-bit and PMCR_EL0.LP does not stick (§2.3). */
        @Test
        void belowPmuV3p5CountersAre32BitAndLpIsCleared() {
            Vcpu p1 = lowered(4);
            runGuest(p1, g -> {
                g.write(PMEVCNTR_EL0, 0, 0x1_2345_6789L);
                assertThat(g.read(PMEVCNTR_EL0, 0)).isEqualTo(0x2345_6789L);
                g.write(PMCR_EL0, LP);
                assertThat(g.read(PMCR_EL0) & LP).isZero();
            });
            Vcpu p5 = host.createVm().createVcpu(0, PMU_FEATURES);
            runGuest(p5, g -> {
                g.write(PMEVCNTR_EL0, 0, 0x1_2345_6789L);
                assertThat(g.read(PMEVCNTR_EL0, 0)).isEqualTo(0x1_2345_6789L);
                g.write(PMCR_EL0, LP);
                assertThat(g.read(PMCR_EL0) & LP).isEqualTo(LP);
            });
        }

        /** LP a userspace PMCR_EL0 write left is dropped at entry once PMUVer is below PMUv3p5 (§1.6). */
        @Test
        void lpFromUserspaceIsDroppedAtTheFirstRun() {
            Vcpu vcpu = lowered(5);
            long pmcr = KVM_ARM64_SYS_REG(PMCR_EL0);
            vcpu.setReg(pmcr, LP);
            assertThat(vcpu.getReg(pmcr) & LP).as("kept until the run").isEqualTo(LP);
            runGuest(vcpu, g -> {});
            assertThat(vcpu.getReg(pmcr) & LP).isZero();
        }

        /**
         * The homogeneous host's PMCEID (TestHosts.EVENTS, SW_INCR and CHAIN forced on, STALL_SLOT*
         * forced off): PMCEID0 = bits 0 (SW_INCR), 8 (INST_RETIRED), 17 (CPU_CYCLES), 30 (CHAIN) and
         * 36 (0x4004) = 0x10_4002_0101; PMCEID1 = bits 1 (0x21), 3 (0x23), 4 (0x24) and 36 (0x4024)
         * = 0x10_0000_001a. Without a filter KVM does not mask them by the guest's PMUVer.
         */
        @Test
        void withoutAFilterPmceidIsTheHostsWhateverThePmuVer() {
            VmPmuView pmu = lowered(1).vm().pmu();
            assertThat(pmu.pmceid0()).isEqualTo(0x10_4002_0101L);
            assertThat(pmu.pmceid1()).isEqualTo(0x10_0000_001aL);
        }

        /**
         * With a filter the upper halves (events 0x4000+) come from the bitmap only if the guest's
         * event space reaches them: DENY BR_RETIRED (default allow) clears PMCEID1 bit 1 for both,
         * and a 10-bit guest also loses bits [63:32]: 0x4002_0101 and 0x18.
         */
        @Test
        void underAFilterPmceidsUpperHalvesFollowTheGuestsEventSpace() {
            Vcpu v3 = lowered(1);
            assertThat(v3.setDeviceAttr(
                            KVM_ARM_VCPU_PMU_V3_CTRL,
                            KVM_ARM_VCPU_PMU_V3_FILTER,
                            UserPtr.of(deny(Events.BR_RETIRED, 1))))
                    .isZero();
            assertThat(v3.vm().pmu().pmceid0()).isEqualTo(0x4002_0101L);
            assertThat(v3.vm().pmu().pmceid1()).isEqualTo(0x18L);
            Vcpu p5 = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(p5.setDeviceAttr(
                            KVM_ARM_VCPU_PMU_V3_CTRL,
                            KVM_ARM_VCPU_PMU_V3_FILTER,
                            UserPtr.of(deny(Events.BR_RETIRED, 1))))
                    .isZero();
            assertThat(p5.vm().pmu().pmceid0()).isEqualTo(0x10_4002_0101L);
            assertThat(p5.vm().pmu().pmceid1()).isEqualTo(0x10_0000_0018L);
        }

        /**
         * The filter's event space stays the host limit's 65536 after the guest is lowered to 10-bit
         * events: [0x8000, 0x10000) fits, [0x8000, 0x10001) is -EINVAL.
         */
        @Test
        void theFiltersEventSpaceStaysTheHostLimits() {
            Vcpu vcpu = lowered(1);
            assertThat(vcpu.vm().host().filterEventSpace()).isEqualTo(0x10000);
            assertThat(vcpu.setDeviceAttr(
                            KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FILTER, UserPtr.of(allow(0x8000, 0x8000))))
                    .isZero();
            assertThat(vcpu.setDeviceAttr(
                            KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FILTER, UserPtr.of(allow(0x8000, 0x8001))))
                    .isEqualTo(-EINVAL);
            assertThat(vcpu.vm().pmu().filter().orElseThrow().nrEvents()).isEqualTo(0x10000);
        }

        /**
         * reset_pmevtyper() masks reset_unknown's 0x1de7ec7edbadc0de with the mask of the PMUVer at
         * the time of the reset: 0xdbadc0de & (P | U | 0xffff) = 0xc000c0de at the first init (PMUv3p5),
         * 0xdbadc0de & (P | U | 0x3ff) = 0xc00000de after a reset with PMUVer lowered to PMUv3. A
         * lowering alone does not rewrite the stored value.
         */
        @Test
        void aVcpuResetMasksPmevtyperWithTheLoweredEventMask() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            long evtyper5 = KVM_ARM64_SYS_REG(PMEVTYPER_EL0, 5);
            assertThat(vcpu.getReg(evtyper5)).isEqualTo(0xc000_c0deL);
            assertThat(set(vcpu, dfr0(1))).isZero();
            assertThat(vcpu.getReg(evtyper5)).isEqualTo(0xc000_c0deL);
            assertThat(vcpu.armVcpuInit(PMU_FEATURES)).isZero();
            assertThat(vcpu.getReg(evtyper5)).isEqualTo(0xc000_00deL);
        }

        /** PMUVer 0 on a vCPU with the PMU feature: the registers stay, every event field is masked to 0. */
        @Test
        void noPmuVerWithThePmuFeatureMasksEveryEventToSwIncr() {
            Vcpu vcpu = lowered(0);
            runGuest(vcpu, g -> {
                g.write(PMEVTYPER_EL0, 0, U | Events.CPU_CYCLES);
                assertThat(g.read(PMEVTYPER_EL0, 0)).isEqualTo(U);
            });
        }

        /** The default PMUVer of a PMUv3 (v8.0) host, and nothing above it. */
        @Test
        void aPmuV3HostGivesPmuVer1AndRefusesP1() {
            Vcpu vcpu = v80Host().createVm().createVcpu(0, PMU_FEATURES);
            assertThat(pmuVer(vcpu)).isEqualTo(1);
            assertThat(set(vcpu, dfr0(4))).isEqualTo(-EINVAL);
            assertThat(set(vcpu, dfr0(0))).isZero();
        }
    }
}
