package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EBUSY;
import static dev.pmulab.api.Errno.EINVAL;
import static dev.pmulab.api.Errno.ENXIO;
import static dev.pmulab.hw.PmuRegister.PMCEID0_EL0;
import static dev.pmulab.hw.PmuRegister.PMCEID1_EL0;
import static dev.pmulab.hw.PmuRegister.PMCNTENSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMCR_EL0;
import static dev.pmulab.kvm.KvmPmuEventFilter.allow;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM64_SYS_REG;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_FILTER;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_IRQ;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_PMU;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_FAIL_ENTRY;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_MMIO;
import static dev.pmulab.kvm.TestHosts.BIG_TYPE;
import static dev.pmulab.kvm.TestHosts.LITTLE_TYPE;
import static dev.pmulab.kvm.TestHosts.PMU_FEATURES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.regs.PmcrEl0;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY (attribute 5, Odaki RFC v8; kvm-vpmu-uapi.md §1.7, §4.4),
 * with the v8 selftest test_fixed_counters_only() ported first, then the mode's effects and its
 * ordering against FILTER, SET_PMU and a vCPU having run, both ways.
 */
final class FixedCountersOnlyTest {
    private final KvmHost host =
            TestHosts.bigLittleBuilder().fixedCountersOnlySupported(true).build();

    private static int setFco(Vcpu vcpu) {
        return vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY);
    }

    private static int getFco(Vcpu vcpu) {
        return vcpu.getDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY);
    }

    private static int setFilter(Vcpu vcpu, KvmPmuEventFilter f) {
        return vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FILTER, UserPtr.of(f));
    }

    private static int setPmu(Vcpu vcpu, int type) {
        return vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_SET_PMU, UserPtr.ofInt(type));
    }

    private static int setNrCounters(Vcpu vcpu, int n) {
        return vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, UserPtr.ofInt(n));
    }

    /** IRQ 23 then INIT, with a finalised vGIC. */
    private static void irqAndInit(Vcpu vcpu) {
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(23)))
                .isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
    }

    // ---- test_fixed_counters_only() of the v8 selftest ----

    @Test
    void hasAttrIsZeroWhenTheKernelHasTheAttribute() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.hasDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY))
                .isZero();
    }

    @Test
    void getBeforeSetIsEnxioThenSetAndGetSucceed() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(getFco(vcpu)).isEqualTo(-ENXIO);
        assertThat(setFco(vcpu)).isZero();
        assertThat(getFco(vcpu)).isZero();
    }

    @Test
    void filterAfterFixedCountersOnlyIsEbusy() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(setFco(vcpu)).isZero();
        assertThat(setFilter(vcpu, allow(0, 0))).isEqualTo(-EBUSY);
        assertThat(vcpu.vm().pmu().filter()).isEmpty();
    }

    @Test
    void fixedCountersOnlyAfterFilterIsEbusy() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(setFilter(vcpu, allow(0, 0))).isZero();
        assertThat(setFco(vcpu)).isEqualTo(-EBUSY);
        assertThat(vcpu.vm().pmu().fixedCountersOnly()).isFalse();
    }

    /** Two vCPUs, finalised vGIC, vCPU0 with IRQ 23 and INIT runs; then SET on vCPU1 is too late. */
    @Test
    void fixedCountersOnlyAfterAVcpuRanIsEbusy() {
        Vm vm = host.createVm();
        Vcpu vcpu0 = vm.createVcpu(0, PMU_FEATURES);
        Vcpu vcpu1 = vm.createVcpu(1, PMU_FEATURES);
        assertThat(vm.createVgicV3(64).init()).isZero();
        irqAndInit(vcpu0);
        assertThat(vcpu0.run()).isZero();
        assertThat(setFco(vcpu1)).isEqualTo(-EBUSY);
    }

    static IntStream oneTo31() {
        return IntStream.rangeClosed(1, 31);
    }

    /** test_config(0, true): SET_NR_COUNTERS(n >= 1) is -EINVAL, the maximum being 0. */
    @ParameterizedTest(name = "n = {0}")
    @MethodSource("oneTo31")
    void setNrCountersAboveZeroIsEinval(int n) {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(setFco(vcpu)).isZero();
        assertThat(setNrCounters(vcpu, n)).isEqualTo(-EINVAL);
        assertThat(setNrCounters(vcpu, 0)).isZero();
    }

    /**
     * test_config(0, true): FIXED_COUNTERS_ONLY, then IRQ, SET_NR_COUNTERS(0) and INIT; the guest
     * behaves exactly as with PMCR_EL0.N = 0 (the access test), and the bitmap registers hold only
     * the cycle counter's bit.
     */
    @Test
    void guestSeesAPmuWithNoEventCounters() {
        Vm vm = host.createVm();
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES, VpmuCounterAccessTest.guestCode(0));
        assertThat(vm.createVgicV3(64).init()).isZero();
        assertThat(setFco(vcpu)).isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(23)))
                .isZero();
        assertThat(setNrCounters(vcpu, 0)).isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        assertThat(vcpu.run()).isZero();
        assertThat(vcpu.getUcall()).isEqualTo(Ucall.DONE);

        vcpu.setReg(KVM_ARM64_SYS_REG(PMCNTENSET_EL0), 0xffff_ffffL);
        assertThat(vcpu.getReg(KVM_ARM64_SYS_REG(PMCNTENSET_EL0))).isEqualTo(1L << 31);
    }

    // ---- the mode's effects ----

    @Test
    void pmceidReadsZero() {
        Vm vm = host.createVm();
        long[] pmceid = new long[2];
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES, g -> {
            pmceid[0] = g.read(PMCEID0_EL0);
            pmceid[1] = g.read(PMCEID1_EL0);
        });
        assertThat(vm.pmu().pmceid0())
                .as("before the mode, the default PMU's events")
                .isNotZero();
        assertThat(setFco(vcpu)).isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        assertThat(vcpu.run()).isZero();
        assertThat(pmceid).containsExactly(0L, 0L);
    }

    @Test
    void legacyPmcrNWriteAboveZeroIsIgnored() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(setFco(vcpu)).isZero();
        long id = KVM_ARM64_SYS_REG(PMCR_EL0);
        vcpu.setReg(id, PmcrEl0.withN(0, 3));
        assertThat(PmcrEl0.n(vcpu.getReg(id))).isZero();
    }

    /** Every CPU a host PMU covers is allowed, and the cycle counter's PMU follows the CPU. */
    @Test
    void vcpuEntersOnEveryCpuAHostPmuCovers() {
        Vm vm = host.createVm();
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
        assertThat(setFco(vcpu)).isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        for (int cpu = 0; cpu < 8; cpu++) {
            assertThat(vcpu.run(cpu)).isZero();
            assertThat(vcpu.kvmRun().exitReason()).as("CPU %d", cpu).isEqualTo(KVM_EXIT_MMIO);
        }
        assertThat(vm.pmu().backingPmus()).containsExactly(TestHosts.little(), TestHosts.big());
        assertThat(vm.pmu().pmuForCpu(2)).contains(TestHosts.little());
        assertThat(vm.pmu().pmuForCpu(6)).contains(TestHosts.big());
    }

    @Test
    void attributeIsUnavailableWhenTheHostPmusDoNotCoverEveryCpu() {
        KvmHost partial = TestHosts.bigLittleBuilder()
                .fixedCountersOnlySupported(true)
                .nrCpus(9)
                .build();
        Vcpu vcpu = partial.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.hasDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY))
                .isEqualTo(-ENXIO);
        assertThat(setFco(vcpu)).isEqualTo(-ENXIO);
    }

    @Test
    void attributeIsUnknownToAKernelWithoutTheRfc() {
        Vcpu vcpu = TestHosts.bigLittle().createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.hasDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY))
                .isEqualTo(-ENXIO);
        assertThat(setFco(vcpu)).isEqualTo(-ENXIO);
        assertThat(getFco(vcpu)).isEqualTo(-ENXIO);
    }

    // ---- ordering against SET_PMU, both ways (mutually exclusive, §4.3/§4.4) ----

    @Test
    void setPmuAfterFixedCountersOnlyIsEbusy() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(setFco(vcpu)).isZero();
        assertThat(setPmu(vcpu, BIG_TYPE)).isEqualTo(-EBUSY);
        assertThat(vcpu.vm().pmu().pmuExplicit()).isFalse();
    }

    @Test
    void fixedCountersOnlyAfterSetPmuIsEbusyEvenForTheDefaultPmu() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES); // default: LITTLE (CPU 0)
        assertThat(setPmu(vcpu, LITTLE_TYPE)).isZero();
        assertThat(setFco(vcpu)).isEqualTo(-EBUSY);
        assertThat(vcpu.vm().pmu().fixedCountersOnly()).isFalse();
    }

    @Test
    void setPmuOfAnUnknownTypeAfterFixedCountersOnlyIsStillEnxio() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(setFco(vcpu)).isZero();
        assertThat(setPmu(vcpu, 99)).isEqualTo(-ENXIO);
    }

    @Test
    void fixedCountersOnlyIsVmWideThroughAnotherVcpu() {
        Vm vm = host.createVm();
        Vcpu vcpu0 = vm.createVcpu(0, PMU_FEATURES);
        Vcpu vcpu1 = vm.createVcpu(1, PMU_FEATURES);
        assertThat(setFco(vcpu0)).isZero();
        assertThat(getFco(vcpu1)).isZero();
        assertThat(setFilter(vcpu1, allow(0, 1))).isEqualTo(-EBUSY);
    }

    @Test
    void fixedCountersOnlyAfterInitOnThatVcpuIsEbusy() {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        assertThat(setFco(vcpu)).isEqualTo(-EBUSY);
    }

    @Test
    void defaultPmuStaysAsAPlaceholderAndNIsZero() {
        Vm vm = host.createVm();
        host.pinSelfToCpu(5);
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
        assertThat(setFco(vcpu)).isZero();
        assertThat(vm.pmu().armPmu()).contains(TestHosts.big());
        assertThat(vm.pmu().nrCounters()).isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        assertThat(vcpu.run(1)).isZero();
        assertThat(vcpu.kvmRun().exitReason()).isNotEqualTo(KVM_EXIT_FAIL_ENTRY);
    }
}
