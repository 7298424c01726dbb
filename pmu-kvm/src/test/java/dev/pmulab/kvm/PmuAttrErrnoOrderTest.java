package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EBUSY;
import static dev.pmulab.api.Errno.EFAULT;
import static dev.pmulab.api.Errno.EINVAL;
import static dev.pmulab.api.Errno.ENODEV;
import static dev.pmulab.api.Errno.ENXIO;
import static dev.pmulab.kvm.KvmPmuEventFilter.allow;
import static dev.pmulab.kvm.KvmPmuEventFilter.deny;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_FILTER;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_IRQ;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_PMU;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PSCI_0_2;
import static dev.pmulab.kvm.TestHosts.N1_TYPE;
import static dev.pmulab.kvm.TestHosts.PMU_FEATURES;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The errno of every attribute of KVM_ARM_VCPU_PMU_V3_CTRL in Linux's check order
 * (kvm-vpmu-uapi.md §1.0-§1.7): a call that breaks two rules returns the errno of the rule Linux
 * checks first, so each test breaks the rule under test together with every later one.
 */
final class PmuAttrErrnoOrderTest {
    private final KvmHost host =
            TestHosts.homogeneousBuilder().fixedCountersOnlySupported(true).build();

    private static final int CTRL = KVM_ARM_VCPU_PMU_V3_CTRL;
    private static final long NO_PMU_FEATURES = 1L << KVM_ARM_VCPU_PSCI_0_2;

    /** Every attribute this host has, plus unknown ones. */
    static LongStream everyAttribute() {
        return LongStream.of(
                KVM_ARM_VCPU_PMU_V3_IRQ,
                KVM_ARM_VCPU_PMU_V3_INIT,
                KVM_ARM_VCPU_PMU_V3_FILTER,
                KVM_ARM_VCPU_PMU_V3_SET_PMU,
                KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS,
                KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY,
                6,
                99,
                -1L,
                1L << 32);
    }

    /** A VM with a finalised vGICv3 and two PMU vCPUs. */
    private Vm vmWithVgic() {
        Vm vm = host.createVm();
        vm.createVcpu(0, PMU_FEATURES);
        vm.createVcpu(1, PMU_FEATURES);
        assertThat(vm.createVgicV3(64).init()).isZero();
        return vm;
    }

    /** A VM without an irqchip whose vCPU0 did INIT and ran, and whose vCPU1 has done nothing. */
    private Vm vmWhereVcpu0Ran() {
        Vm vm = host.createVm();
        Vcpu vcpu0 = vm.createVcpu(0, PMU_FEATURES);
        vm.createVcpu(1, PMU_FEATURES);
        assertThat(vcpu0.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isZero();
        assertThat(vcpu0.run()).isZero();
        return vm;
    }

    private static int setIrq(Vcpu vcpu, int irq) {
        return vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(irq));
    }

    @Nested
    final class TopLevel {
        /** Check 1: without the PMU feature every attribute is -ENODEV, even unknown ones, even with a bad pointer. */
        @ParameterizedTest(name = "attr {0}")
        @MethodSource("dev.pmulab.kvm.PmuAttrErrnoOrderTest#everyAttribute")
        void vcpuWithoutThePmuFeatureIsEnodevBeforeEverything(long attr) {
            Vcpu vcpu = host.createVm().createVcpu(0, NO_PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(CTRL, attr, UserPtr.unmapped())).isEqualTo(-ENODEV);
        }

        @Test
        void uninitialisedVcpuHasNoPmuFeature() {
            Vcpu vcpu = host.createVm().createVcpu(0);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isEqualTo(-ENODEV);
        }

        /** Check 2: after INIT on this vCPU every attribute is -EBUSY, INIT and unknown ones included. */
        @ParameterizedTest(name = "attr {0}")
        @MethodSource("dev.pmulab.kvm.PmuAttrErrnoOrderTest#everyAttribute")
        void afterInitEveryAttributeIsEbusyBeforeTheAttributesOwnChecks(long attr) {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isZero();
            assertThat(vcpu.setDeviceAttr(CTRL, attr, UserPtr.unmapped())).isEqualTo(-EBUSY);
        }

        /** Check 3: an attribute the kernel does not know is -ENXIO. */
        @ParameterizedTest(name = "attr {0}")
        @ValueSource(longs = {6, 9, 99, -1L, 1L << 32})
        void unknownAttributeIsEnxio(long attr) {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(CTRL, attr)).isEqualTo(-ENXIO);
        }

        @Test
        void otherGroupIsEnxio() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(1, KVM_ARM_VCPU_PMU_V3_INIT)).isEqualTo(-ENXIO);
            assertThat(vcpu.getDeviceAttr(1, KVM_ARM_VCPU_PMU_V3_IRQ)).isEqualTo(-ENXIO);
            assertThat(vcpu.hasDeviceAttr(1, KVM_ARM_VCPU_PMU_V3_IRQ)).isEqualTo(-ENXIO);
        }

        /** SET_NR_COUNTERS is newer than the kernel: unknown, so -ENXIO, after the two top-level checks. */
        @Test
        void setNrCountersOnAnOlderKernelIsEnxioAfterTheTopLevelChecks() {
            KvmHost old =
                    TestHosts.homogeneousBuilder().setNrCountersSupported(false).build();
            Vcpu vcpu = old.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, UserPtr.unmapped()))
                    .isEqualTo(-ENXIO);
            assertThat(vcpu.hasDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS))
                    .isEqualTo(-ENXIO);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isZero();
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, UserPtr.ofInt(1)))
                    .isEqualTo(-EBUSY);
        }
    }

    /** §1.1: irqchip, pointer, PPI/SPI range, agreement with other vCPUs, already set. */
    @Nested
    final class Irq {
        @Test
        void noIrqchipIsEinvalBeforeTheBadPointer() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.unmapped()))
                    .isEqualTo(-EINVAL);
        }

        @Test
        void badPointerIsEfault() {
            Vcpu vcpu = vmWithVgic().vcpus().get(0);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.unmapped()))
                    .isEqualTo(-EFAULT);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.NULL))
                    .isEqualTo(-EFAULT);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.alloc(2)))
                    .isEqualTo(-EFAULT);
        }

        @ParameterizedTest(name = "INTID {0}")
        @ValueSource(ints = {-1, 0, 15, 1020, 1023, 8192})
        void intidThatIsNeitherPpiNorSpiIsEinval(int irq) {
            Vcpu vcpu = vmWithVgic().vcpus().get(0);
            assertThat(setIrq(vcpu, irq)).isEqualTo(-EINVAL);
        }

        @ParameterizedTest(name = "INTID {0}")
        @ValueSource(ints = {16, 23, 31, 32, 1019})
        void ppiOrSpiIsAccepted(int irq) {
            Vcpu vcpu = vmWithVgic().vcpus().get(0);
            assertThat(setIrq(vcpu, irq)).isZero();
            assertThat(vcpu.pmu().irq()).hasValue(irq);
        }

        @Test
        void ppiMustEqualTheOtherVcpusPpi() {
            Vm vm = vmWithVgic();
            assertThat(setIrq(vm.vcpus().get(0), 23)).isZero();
            assertThat(setIrq(vm.vcpus().get(1), 24)).isEqualTo(-EINVAL);
            assertThat(setIrq(vm.vcpus().get(1), 23)).isZero();
        }

        @Test
        void spiMustDifferFromTheOtherVcpusSpi() {
            Vm vm = vmWithVgic();
            assertThat(setIrq(vm.vcpus().get(0), 40)).isZero();
            assertThat(setIrq(vm.vcpus().get(1), 40)).isEqualTo(-EINVAL);
            assertThat(setIrq(vm.vcpus().get(1), 41)).isZero();
        }

        /** The quirk of §1.1: an SPI is only compared by inequality, so it passes against a PPI. */
        @Test
        void spiAfterAnotherVcpusPpiPassesButPpiAfterAnSpiDoesNot() {
            Vm vm = vmWithVgic();
            assertThat(setIrq(vm.vcpus().get(0), 23)).isZero();
            assertThat(setIrq(vm.vcpus().get(1), 40)).isZero();

            Vm other = vmWithVgic();
            assertThat(setIrq(other.vcpus().get(0), 40)).isZero();
            assertThat(setIrq(other.vcpus().get(1), 23)).isEqualTo(-EINVAL);
        }

        @Test
        void settingTheSamePpiAgainIsEbusy() {
            Vcpu vcpu = vmWithVgic().vcpus().get(0);
            assertThat(setIrq(vcpu, 23)).isZero();
            assertThat(setIrq(vcpu, 23)).isEqualTo(-EBUSY);
        }

        /** The validity check comes before "already set": another PPI is -EINVAL, not -EBUSY. */
        @Test
        void settingAnotherPpiAgainIsEinvalBeforeEbusy() {
            Vcpu vcpu = vmWithVgic().vcpus().get(0);
            assertThat(setIrq(vcpu, 23)).isZero();
            assertThat(setIrq(vcpu, 24)).isEqualTo(-EINVAL);
            assertThat(vcpu.pmu().irq()).hasValue(23);
        }

        /** An SPI must differ from every set SPI, this vCPU's own included. */
        @Test
        void settingTheSameSpiAgainIsEinvalBeforeEbusy() {
            Vcpu vcpu = vmWithVgic().vcpus().get(0);
            assertThat(setIrq(vcpu, 40)).isZero();
            assertThat(setIrq(vcpu, 40)).isEqualTo(-EINVAL);
            assertThat(setIrq(vcpu, 41)).isEqualTo(-EBUSY);
        }

        @Test
        void irqCanBeSetBeforeTheVgicIsInitialised() {
            Vm vm = host.createVm();
            Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
            vm.createVgicV3(64);
            assertThat(setIrq(vcpu, 23)).isZero();
        }
    }

    /** §1.2: with an irqchip, vGIC initialised, IRQ set, INTID known to the vGIC; then created. */
    @Nested
    final class Init {
        @Test
        void uninitialisedVgicIsEnodevBeforeTheMissingIrq() {
            Vm vm = host.createVm();
            Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
            vm.createVgicV3(64);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isEqualTo(-ENODEV);
            assertThat(vcpu.pmu().initialized()).isFalse();
        }

        @Test
        void missingIrqIsEnxio() {
            Vcpu vcpu = vmWithVgic().vcpus().get(0);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isEqualTo(-ENXIO);
        }

        @Test
        void spiTheVgicDoesNotHaveIsEinval() {
            Vcpu vcpu = vmWithVgic().vcpus().get(0); // 64 INTIDs: SPIs 32..63
            assertThat(setIrq(vcpu, 64)).isZero();
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isEqualTo(-EINVAL);
            assertThat(vcpu.pmu().initialized()).isFalse();
        }

        @Test
        void withIrqAndInitialisedVgicInitSucceeds() {
            Vcpu vcpu = vmWithVgic().vcpus().get(0);
            assertThat(setIrq(vcpu, 63)).isZero();
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isZero();
            assertThat(vcpu.pmu().initialized()).isTrue();
        }

        @Test
        void withoutIrqchipInitNeedsNoIrq() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isZero();
        }

        @Test
        void secondInitIsEbusy() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isZero();
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isEqualTo(-EBUSY);
        }

        @Test
        void initIsPerVcpu() {
            Vm vm = host.createVm();
            Vcpu vcpu0 = vm.createVcpu(0, PMU_FEATURES);
            Vcpu vcpu1 = vm.createVcpu(1, PMU_FEATURES);
            assertThat(vcpu0.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isZero();
            assertThat(vcpu1.pmu().initialized()).isFalse();
            assertThat(vcpu1.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isZero();
        }
    }

    /** §1.3: pointer, range and action, then a vCPU ran; then the bitmap. */
    @Nested
    final class Filter {
        private int setFilter(Vcpu vcpu, UserPtr p) {
            return vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_FILTER, p);
        }

        @Test
        void badPointerIsEfaultBeforeTheRangeCheck() {
            Vcpu vcpu = vmWhereVcpu0Ran().vcpus().get(1);
            assertThat(setFilter(vcpu, UserPtr.unmapped())).isEqualTo(-EFAULT);
            // A buffer shorter than the struct faults too.
            assertThat(setFilter(vcpu, UserPtr.ofInt(0))).isEqualTo(-EFAULT);
        }

        @Test
        void badRangeIsEinvalBeforeVcpuRan() {
            Vcpu vcpu = vmWhereVcpu0Ran().vcpus().get(1);
            assertThat(setFilter(vcpu, UserPtr.of(allow(0xffff, 2)))).isEqualTo(-EINVAL);
            assertThat(setFilter(vcpu, UserPtr.of(new KvmPmuEventFilter(0, 1, 2))))
                    .isEqualTo(-EINVAL);
            assertThat(setFilter(vcpu, UserPtr.of(allow(0, 1)))).isEqualTo(-EBUSY);
        }

        @Test
        void rangeEndingAtTheEventSpaceIsValid() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(setFilter(vcpu, UserPtr.of(deny(0xffff, 1)))).isZero();
            assertThat(setFilter(vcpu, UserPtr.of(deny(1, 0xffff)))).isZero();
            assertThat(setFilter(vcpu, UserPtr.of(deny(2, 0xffff)))).isEqualTo(-EINVAL);
        }

        @Test
        void filterIsVmWideThroughAVcpuNotYetInitialised() {
            Vm vm = host.createVm();
            Vcpu vcpu0 = vm.createVcpu(0, PMU_FEATURES);
            Vcpu vcpu1 = vm.createVcpu(1, PMU_FEATURES);
            assertThat(vcpu0.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isZero();
            assertThat(setFilter(vcpu0, UserPtr.of(deny(0x11, 1)))).isEqualTo(-EBUSY);
            assertThat(setFilter(vcpu1, UserPtr.of(deny(0x11, 1)))).isZero();
            assertThat(vm.pmu().eventAllowed(0x11)).isFalse();
        }
    }

    /** §1.4: pointer, then the search (-ENXIO), then "too late" (-EBUSY). */
    @Nested
    final class SetPmu {
        @Test
        void badPointerIsEfaultBeforeTheSearch() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_SET_PMU, UserPtr.unmapped()))
                    .isEqualTo(-EFAULT);
        }

        @Test
        void unknownPmuIsEnxioEvenAfterAVcpuRan() {
            Vcpu vcpu = vmWhereVcpu0Ran().vcpus().get(1);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_SET_PMU, UserPtr.ofInt(77)))
                    .isEqualTo(-ENXIO);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_SET_PMU, UserPtr.ofInt(N1_TYPE)))
                    .isEqualTo(-EBUSY);
        }
    }

    /** §1.5 as coded: pointer, then N against the maximum; no "ran" or "filter" check (gap b). */
    @Nested
    final class SetNrCounters {
        private int setNr(Vcpu vcpu, UserPtr p) {
            return vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, p);
        }

        @Test
        void badPointerIsEfaultBeforeTheRangeCheck() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(setNr(vcpu, UserPtr.unmapped())).isEqualTo(-EFAULT);
        }

        @ParameterizedTest(name = "N = {0}")
        @ValueSource(ints = {7, 31, 32, -1, Integer.MIN_VALUE})
        void nAboveTheMaximumIsEinvalAsAnUnsignedValue(int n) {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(setNr(vcpu, UserPtr.ofInt(n))).isEqualTo(-EINVAL);
            assertThat(vcpu.vm().pmu().nrCounters()).isEqualTo(6);
        }

        @Test
        void notRefusedAfterAnotherVcpuRan() {
            Vm vm = vmWhereVcpu0Ran();
            assertThat(setNr(vm.vcpus().get(1), UserPtr.ofInt(2))).isZero();
            assertThat(vm.pmu().nrCounters()).isEqualTo(2);
        }

        @Test
        void notRefusedAfterAFilter() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_FILTER, UserPtr.of(allow(0, 0))))
                    .isZero();
            assertThat(setNr(vcpu, UserPtr.ofInt(4))).isZero();
        }
    }

    /** §4.4 (RFC v8): "too late" after a run, a filter or SET_PMU, all -EBUSY. */
    @Nested
    final class FixedCountersOnly {
        @Test
        void refusedAfterAnotherVcpuRan() {
            Vcpu vcpu = vmWhereVcpu0Ran().vcpus().get(1);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY))
                    .isEqualTo(-EBUSY);
        }

        @Test
        void settingItTwiceSucceeds() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY))
                    .isZero();
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY))
                    .isZero();
        }
    }

    /** §1.0 get_attr: only IRQ is readable (and the RFC's attribute 5). */
    @Nested
    final class GetAttr {
        private int getIrq(Vcpu vcpu, UserPtr p) {
            return vcpu.getDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, p);
        }

        @Test
        void noIrqchipIsEinvalEvenWithoutThePmuFeature() {
            Vcpu vcpu = host.createVm().createVcpu(0, NO_PMU_FEATURES);
            assertThat(getIrq(vcpu, UserPtr.alloc(4))).isEqualTo(-EINVAL);
        }

        @Test
        void noPmuFeatureIsEnodev() {
            Vm vm = host.createVm();
            Vcpu vcpu = vm.createVcpu(0, NO_PMU_FEATURES);
            vm.createVgicV3(64);
            assertThat(getIrq(vcpu, UserPtr.alloc(4))).isEqualTo(-ENODEV);
        }

        @Test
        void unsetIrqIsEnxioBeforeTheBadPointer() {
            Vcpu vcpu = vmWithVgic().vcpus().get(0);
            assertThat(getIrq(vcpu, UserPtr.unmapped())).isEqualTo(-ENXIO);
        }

        @Test
        void badPointerIsEfault() {
            Vcpu vcpu = vmWithVgic().vcpus().get(0);
            assertThat(setIrq(vcpu, 23)).isZero();
            assertThat(getIrq(vcpu, UserPtr.unmapped())).isEqualTo(-EFAULT);
        }

        @Test
        void irqReadsBackAfterInitToo() {
            Vcpu vcpu = vmWithVgic().vcpus().get(0);
            assertThat(setIrq(vcpu, 23)).isZero();
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isZero();
            UserPtr irq = UserPtr.alloc(4);
            assertThat(getIrq(vcpu, irq)).isZero();
            assertThat(irq.readInt()).isEqualTo(23);
        }

        @ParameterizedTest(name = "attr {0}")
        @ValueSource(
                longs = {
                    KVM_ARM_VCPU_PMU_V3_INIT,
                    KVM_ARM_VCPU_PMU_V3_FILTER,
                    KVM_ARM_VCPU_PMU_V3_SET_PMU,
                    KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS,
                    99
                })
        void otherAttributesAreNotReadable(long attr) {
            Vcpu vcpu = vmWithVgic().vcpus().get(0);
            assertThat(vcpu.getDeviceAttr(CTRL, attr, UserPtr.alloc(8))).isEqualTo(-ENXIO);
        }
    }

    /** §1.0 has_attr: 0 for a known attribute on a vCPU with the PMU feature, else -ENXIO. */
    @Nested
    final class HasAttr {
        @ParameterizedTest(name = "attr {0}")
        @ValueSource(
                longs = {
                    KVM_ARM_VCPU_PMU_V3_IRQ,
                    KVM_ARM_VCPU_PMU_V3_INIT,
                    KVM_ARM_VCPU_PMU_V3_FILTER,
                    KVM_ARM_VCPU_PMU_V3_SET_PMU,
                    KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS,
                    KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY
                })
        void knownAttributeIsZeroWithThePmuFeatureAndEnxioWithout(long attr) {
            Vcpu withPmu = host.createVm().createVcpu(0, PMU_FEATURES);
            Vcpu withoutPmu = host.createVm().createVcpu(0, NO_PMU_FEATURES);
            assertThat(withPmu.hasDeviceAttr(CTRL, attr)).isZero();
            assertThat(withoutPmu.hasDeviceAttr(CTRL, attr)).isEqualTo(-ENXIO);
        }

        @Test
        void unknownAttributeIsEnxio() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.hasDeviceAttr(CTRL, 6)).isEqualTo(-ENXIO);
        }

        @Test
        void hasAttrStaysZeroAfterInit() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isZero();
            assertThat(vcpu.hasDeviceAttr(CTRL, KVM_ARM_VCPU_PMU_V3_INIT)).isZero();
        }
    }
}
