package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EINVAL;
import static dev.pmulab.hw.PmuRegister.PMCCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCNTENCLR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCNTENSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMCR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVTYPER_EL0;
import static dev.pmulab.hw.PmuRegister.PMINTENCLR_EL1;
import static dev.pmulab.hw.PmuRegister.PMINTENSET_EL1;
import static dev.pmulab.hw.PmuRegister.PMOVSCLR_EL0;
import static dev.pmulab.hw.PmuRegister.PMOVSSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMSELR_EL0;
import static dev.pmulab.hw.PmuRegister.PMXEVCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMXEVTYPER_EL0;
import static dev.pmulab.kvm.GuestSyncException.ESR_ELx_EC_UNKNOWN;
import static dev.pmulab.kvm.KvmUapi.ARMV8_PMU_MAX_GENERAL_COUNTERS;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM64_SYS_REG;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_IRQ;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS;
import static dev.pmulab.kvm.KvmUapi.SYS_ID_AA64DFR0_EL1;
import static dev.pmulab.kvm.TestHosts.PMU_FEATURES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.PmcrEl0;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * tools/testing/selftests/kvm/arm64/vpmu_counter_access.c, ported (kvm-vpmu-uapi.md §3.1): PMCR_EL0.N
 * configured through SET_NR_COUNTERS (2025+) or the legacy SET_ONE_REG of PMCR_EL0, the guest's view
 * of implemented and unimplemented counters, the ONE_REG view of the bitmap registers, and the
 * errors for N above the host's limit.
 */
final class VpmuCounterAccessTest {
    private static final int PMU_IRQ = 23;
    private static final int N_LIMIT = 6; // the host PMU's counters: what the tests below must find

    private final KvmHost host = TestHosts.homogeneous();
    private Vm vm;
    private Vcpu vcpu;

    /** How a test sets the guest's PMCR_EL0.N. */
    enum NConfig {
        SET_NR_COUNTERS,
        LEGACY_PMCR
    }

    // ---- the selftest's helpers ----

    /** create_vpmu_vm(): one PMU vCPU, a finalised vGICv3, a PMUv3 guest, IRQ 23 (a PPI). */
    private void createVpmuVm(GuestCode guestCode) {
        vm = host.createVm();
        vcpu = vm.createVcpu(0, PMU_FEATURES, guestCode);
        assertThat(vm.createVgicV3(64).init()).isZero();

        long dfr0 = vcpu.getReg(SYS_ID_AA64DFR0_EL1);
        int pmuver = (int) ((dfr0 >>> 8) & 0xf);
        assertThat(pmuver)
                .as("ID_AA64DFR0_EL1.PMUVer is a PMUv3")
                .isNotEqualTo(0xf)
                .isGreaterThanOrEqualTo(1);

        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(PMU_IRQ)))
                .isZero();
    }

    /** get_pmcr_n_limit(): PMCR_EL0.N of a fresh VM. */
    private int getPmcrNLimit() {
        createVpmuVm(GuestCode.DONE);
        return PmcrEl0.n(vcpu.getReg(KVM_ARM64_SYS_REG(PMCR_EL0)));
    }

    /** test_create_vpmu_vm_with_nr_counters(): SET_NR_COUNTERS(n), then INIT. */
    private void createVpmuVmWithNrCounters(int nrCounters, boolean expectFail, GuestCode guestCode) {
        createVpmuVm(guestCode);
        int ret = vcpu.setDeviceAttr(
                KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, UserPtr.ofInt(nrCounters));
        if (expectFail) {
            assertThat(ret)
                    .as("SET_NR_COUNTERS(%d) with limit %d", nrCounters, N_LIMIT)
                    .isEqualTo(-EINVAL);
        } else {
            assertThat(ret).as("SET_NR_COUNTERS(%d)", nrCounters).isZero();
        }
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
    }

    /** The older test_create_vpmu_vm_with_pmcr_n(): INIT, then SET_ONE_REG of PMCR_EL0 with N = n. */
    private void createVpmuVmWithPmcrN(int pmcrN, boolean expectFail, GuestCode guestCode) {
        createVpmuVm(guestCode);
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        long pmcrOrig = vcpu.getReg(KVM_ARM64_SYS_REG(PMCR_EL0));
        vcpu.setReg(KVM_ARM64_SYS_REG(PMCR_EL0), PmcrEl0.withN(pmcrOrig, pmcrN));
        long pmcr = vcpu.getReg(KVM_ARM64_SYS_REG(PMCR_EL0));
        if (expectFail) {
            assertThat(pmcr).as("PMCR_EL0 after writing N = %d", pmcrN).isEqualTo(pmcrOrig);
        } else {
            assertThat(PmcrEl0.n(pmcr)).isEqualTo(pmcrN);
        }
    }

    private void createVpmuVm(NConfig config, int n, boolean expectFail, GuestCode guestCode) {
        if (config == NConfig.SET_NR_COUNTERS) {
            createVpmuVmWithNrCounters(n, expectFail, guestCode);
        } else {
            createVpmuVmWithPmcrN(n, expectFail, guestCode);
        }
    }

    private void runVcpu() {
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.getUcall()).isEqualTo(Ucall.DONE);
    }

    // ---- the guest code ----

    /** One way of reaching PMEVCNTR<n>/PMEVTYPER<n>: directly, or through PMSELR_EL0 and PMXEV*. */
    interface PmcAccessor {
        long readCntr(Guest g, int i);

        void writeCntr(Guest g, int i, long v);

        long readTyper(Guest g, int i);

        void writeTyper(Guest g, int i, long v);
    }

    static final PmcAccessor DIRECT = new PmcAccessor() {
        public long readCntr(Guest g, int i) {
            return g.read(PMEVCNTR_EL0, i);
        }

        public void writeCntr(Guest g, int i, long v) {
            g.write(PMEVCNTR_EL0, i, v);
        }

        public long readTyper(Guest g, int i) {
            return g.read(PMEVTYPER_EL0, i);
        }

        public void writeTyper(Guest g, int i, long v) {
            g.write(PMEVTYPER_EL0, i, v);
        }
    };

    static final PmcAccessor SEL = new PmcAccessor() {
        public long readCntr(Guest g, int i) {
            g.write(PMSELR_EL0, i);
            return g.read(PMXEVCNTR_EL0);
        }

        public void writeCntr(Guest g, int i, long v) {
            g.write(PMSELR_EL0, i);
            g.write(PMXEVCNTR_EL0, v);
        }

        public long readTyper(Guest g, int i) {
            g.write(PMSELR_EL0, i);
            return g.read(PMXEVTYPER_EL0);
        }

        public void writeTyper(Guest g, int i, long v) {
            g.write(PMSELR_EL0, i);
            g.write(PMXEVTYPER_EL0, v);
        }
    };

    /** The four read/write combinations of the selftest's pmc_accessors[]. */
    static final List<PmcAccessor> PMC_ACCESSORS =
            List.of(mixed(DIRECT, DIRECT), mixed(SEL, SEL), mixed(DIRECT, SEL), mixed(SEL, DIRECT));

    private static PmcAccessor mixed(PmcAccessor read, PmcAccessor write) {
        return new PmcAccessor() {
            public long readCntr(Guest g, int i) {
                return read.readCntr(g, i);
            }

            public void writeCntr(Guest g, int i, long v) {
                write.writeCntr(g, i, v);
            }

            public long readTyper(Guest g, int i) {
                return read.readTyper(g, i);
            }

            public void writeTyper(Guest g, int i, long v) {
                write.writeTyper(g, i, v);
            }
        };
    }

    /** TEST_EXCEPTION(ESR_ELx_EC_UNKNOWN, access): the access takes an UNDEFINED exception. */
    private static void expectUndefined(Runnable access) {
        assertThatThrownBy(access::run)
                .isInstanceOfSatisfying(
                        GuestSyncException.class, e -> assertThat(e.ec()).isEqualTo(ESR_ELx_EC_UNKNOWN));
    }

    /**
     * test_bitmap_pmu_regs(): writes bit {@code i} through the SET (or CLR) register of each pair
     * and checks that both registers of the pair read it as {@code expected}.
     */
    private static void testBitmapPmuRegs(Guest g, int i, boolean setOp, boolean expected) {
        PmuRegister[][] pairs = {
            {PMCNTENSET_EL0, PMCNTENCLR_EL0}, {PMINTENSET_EL1, PMINTENCLR_EL1}, {PMOVSSET_EL0, PMOVSCLR_EL0}
        };
        for (PmuRegister[] pair : pairs) {
            g.write(setOp ? pair[0] : pair[1], 1L << i);
            for (PmuRegister reg : pair) {
                assertThat((g.read(reg) & (1L << i)) != 0)
                        .as("%s bit %d", reg, i)
                        .isEqualTo(expected);
            }
        }
    }

    /** pmu_disable_reset(): PMCR_EL0.E off, every event counter reset with PMCR_EL0.P. */
    private static void pmuDisableReset(Guest g) {
        long pmcr = g.read(PMCR_EL0);
        g.write(PMCR_EL0, (pmcr & ~1L) | (1L << 1));
    }

    /** test_access_pmc_regs(): an implemented counter's bits, type and value. */
    private static void testAccessPmcRegs(Guest g, PmcAccessor acc, int i) {
        pmuDisableReset(g);
        testBitmapPmuRegs(g, i, false, false);
        testBitmapPmuRegs(g, i, true, true);
        testBitmapPmuRegs(g, i, false, false);

        long typer = (1L << 31) | Events.INST_RETIRED; // EXCLUDE_EL1 | INST_RETIRED
        acc.writeTyper(g, i, typer);
        assertThat(acc.readTyper(g, i)).as("PMEVTYPER%d", i).isEqualTo(typer);

        assertThat(acc.readCntr(g, i)).as("PMEVCNTR%d after PMCR_EL0.P", i).isZero();
        acc.writeCntr(g, i, i + 0x12345);
        assertThat(acc.readCntr(g, i)).as("PMEVCNTR%d", i).isEqualTo(i + 0x12345);
    }

    /** test_access_invalid_pmc_regs(): an unimplemented counter is UNDEFINED and its bits RAZ/WI. */
    private static void testAccessInvalidPmcRegs(Guest g, PmcAccessor acc, int i) {
        expectUndefined(() -> acc.readCntr(g, i));
        expectUndefined(() -> acc.writeCntr(g, i, 0));
        expectUndefined(() -> acc.readTyper(g, i));
        expectUndefined(() -> acc.writeTyper(g, i, 0));
        testBitmapPmuRegs(g, i, true, false);
        testBitmapPmuRegs(g, i, false, false);
    }

    /** guest_code(pmcr_n). */
    static GuestCode guestCode(int pmcrN) {
        return g -> {
            assertThat(PmcrEl0.n(g.read(PMCR_EL0))).as("guest PMCR_EL0.N").isEqualTo(pmcrN);
            long unimplemented = ((1L << 31) - 1) & ~((1L << pmcrN) - 1);
            for (PmuRegister reg : new PmuRegister[] {PMCNTENSET_EL0, PMINTENSET_EL1, PMOVSSET_EL0}) {
                g.write(reg, unimplemented);
                assertThat(g.read(reg) & unimplemented)
                        .as("%s unimplemented bits", reg)
                        .isZero();
            }
            for (PmcAccessor acc : PMC_ACCESSORS) {
                for (int i = 0; i < pmcrN; i++) {
                    testAccessPmcRegs(g, acc, i);
                }
                for (int i = pmcrN; i < ARMV8_PMU_MAX_GENERAL_COUNTERS; i++) {
                    testAccessInvalidPmcRegs(g, acc, i);
                }
            }
        };
    }

    // ---- the test cases ----

    static Stream<Arguments> everyNUpToTheLimit() {
        return Stream.of(NConfig.values())
                .flatMap(c -> IntStream.rangeClosed(0, N_LIMIT).mapToObj(n -> Arguments.of(c, n)));
    }

    static Stream<Arguments> everyNAboveTheLimit() {
        return Stream.of(NConfig.values())
                .flatMap(c -> IntStream.rangeClosed(N_LIMIT + 1, 31).mapToObj(n -> Arguments.of(c, n)));
    }

    @Test
    void pmcrNLimitIsTheNumberOfCountersOfTheHostPmu() {
        assertThat(getPmcrNLimit()).isEqualTo(N_LIMIT);
    }

    /** §3.1 case 1 (newer): SET_NR_COUNTERS(n) for n <= limit succeeds and the guest reads N = n. */
    @ParameterizedTest(name = "n = {0}")
    @MethodSource("nUpToTheLimit")
    void setNrCountersUpToTheLimitSucceeds(int n) {
        createVpmuVmWithNrCounters(n, false, GuestCode.DONE);
        assertThat(PmcrEl0.n(vcpu.getReg(KVM_ARM64_SYS_REG(PMCR_EL0)))).isEqualTo(n);
    }

    static IntStream nUpToTheLimit() {
        return IntStream.rangeClosed(0, N_LIMIT);
    }

    /** §3.1 case 1 (older): a PMCR_EL0.N write of n <= limit after INIT reads back as n. */
    @ParameterizedTest(name = "n = {0}")
    @MethodSource("nUpToTheLimit")
    void legacyPmcrNWriteUpToTheLimitReadsBack(int n) {
        createVpmuVmWithPmcrN(n, false, GuestCode.DONE);
        assertThat(vm.pmu().nrCounters()).isEqualTo(n);
    }

    /**
     * §3.1 case 2, run_access_test(n): the guest sees N = n, implemented counters work through
     * every accessor, unimplemented ones are UNDEFINED with RAZ/WI bits; N survives a vCPU reset.
     */
    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("everyNUpToTheLimit")
    void accessTestSeesNImplementedAndUndefinedUnimplementedCounters(NConfig config, int n) {
        createVpmuVm(config, n, false, guestCode(n));
        runVcpu();

        // Reset the vCPU (KVM_ARM_VCPU_INIT again) and run the guest again: N must survive.
        assertThat(vcpu.armVcpuInit(PMU_FEATURES)).isZero();
        runVcpu();
    }

    @Test
    void guestCodeFailsWhenPmcrNIsNotWhatUserspaceSet() {
        createVpmuVmWithNrCounters(3, false, guestCode(4));
        assertThatThrownBy(vcpu::run).isInstanceOf(AssertionError.class).hasMessageContaining("guest PMCR_EL0.N");
    }

    /**
     * §3.1 case 3, run_pmregs_validity_test(n): the SET/CLR pairs read through GET_ONE_REG have no
     * bit outside BIT(31) | GENMASK(n-1, 0), initially and after setting every counter's bit.
     */
    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("everyNUpToTheLimit")
    void pmregsHaveNoBitsOutsideTheImplementedCounters(NConfig config, int n) {
        createVpmuVm(config, n, false, GuestCode.DONE);
        long validCountersMask = (1L << 31) | ((1L << n) - 1);
        PmuRegister[][] pairs = {
            {PMCNTENSET_EL0, PMCNTENCLR_EL0}, {PMINTENSET_EL1, PMINTENCLR_EL1}, {PMOVSSET_EL0, PMOVSCLR_EL0}
        };
        for (PmuRegister[] pair : pairs) {
            long setId = KVM_ARM64_SYS_REG(pair[0]);
            long clrId = KVM_ARM64_SYS_REG(pair[1]);
            assertThat(vcpu.getReg(setId) & ~validCountersMask)
                    .as("initial %s", pair[0])
                    .isZero();
            assertThat(vcpu.getReg(clrId) & ~validCountersMask)
                    .as("initial %s", pair[1])
                    .isZero();

            vcpu.setReg(setId, 0xffff_ffffL);
            assertThat(vcpu.getReg(setId)).as("%s after setting all", pair[0]).isEqualTo(validCountersMask);
            assertThat(vcpu.getReg(clrId)).as("%s after setting all", pair[1]).isEqualTo(validCountersMask);
        }
    }

    /** §3.1 case 4, run_error_test(n): SET_NR_COUNTERS above the limit is -EINVAL; a PMCR_EL0.N write is ignored. */
    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("everyNAboveTheLimit")
    void nAboveTheLimitIsRefused(NConfig config, int n) {
        createVpmuVm(config, n, true, GuestCode.DONE);
        assertThat(vm.pmu().nrCounters()).isEqualTo(N_LIMIT);
    }

    @Test
    void cycleCounterWorksWithNoEventCounters() {
        createVpmuVmWithNrCounters(0, false, g -> {
            g.write(PMCCNTR_EL0, 0x1234_5678_9abcL);
            assertThat(g.read(PMCCNTR_EL0)).isEqualTo(0x1234_5678_9abcL);
            g.write(PMCNTENSET_EL0, 1L << 31);
            assertThat(g.read(PMCNTENSET_EL0)).isEqualTo(1L << 31);
        });
        runVcpu();
    }
}
