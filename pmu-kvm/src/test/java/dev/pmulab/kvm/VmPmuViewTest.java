package dev.pmulab.kvm;

import static dev.pmulab.kvm.KvmPmuEventFilter.allow;
import static dev.pmulab.kvm.KvmPmuEventFilter.deny;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_FILTER;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_IRQ;
import static dev.pmulab.kvm.TestHosts.PMU_FEATURES;
import static dev.pmulab.kvm.VmPmuView.NO_PERF_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import org.junit.jupiter.api.Test;

/** What the emulated vPMU reads: the filter's counting rules (§1.3, §2.2) and the decisions. */
final class VmPmuViewTest {
    private final KvmHost host = TestHosts.homogeneous();

    private static Vcpu vcpuWithFilters(KvmHost host, KvmPmuEventFilter... filters) {
        Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
        for (KvmPmuEventFilter f : filters) {
            assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_FILTER, UserPtr.of(f)))
                    .isZero();
        }
        return vcpu;
    }

    @Test
    void withoutFilterEveryEventIsAllowed() {
        VmPmuView pmu = vcpuWithFilters(host).vm().pmu();
        assertThat(pmu.filter()).isEmpty();
        assertThat(pmu.eventAllowed(Events.INST_RETIRED)).isTrue();
        assertThat(pmu.perfEventConfig(3, Events.INST_RETIRED)).isEqualTo(Events.INST_RETIRED);
    }

    @Test
    void firstAllowFilterMakesTheDefaultDeny() {
        VmPmuView pmu = vcpuWithFilters(host, allow(0x8, 1)).vm().pmu();
        assertThat(pmu.eventAllowed(0x8)).isTrue();
        assertThat(pmu.eventAllowed(0x9)).isFalse();
        assertThat(pmu.perfEventConfig(0, 0x9)).isEqualTo(NO_PERF_EVENT);
    }

    @Test
    void firstDenyFilterMakesTheDefaultAllow() {
        VmPmuView pmu = vcpuWithFilters(host, deny(0x8, 1)).vm().pmu();
        assertThat(pmu.eventAllowed(0x8)).isFalse();
        assertThat(pmu.eventAllowed(0x4000)).isTrue();
        assertThat(pmu.filter().orElseThrow().nrEvents()).isEqualTo(0x10000);
    }

    /** ALLOW [0,10) then DENY [0,10): the default does not come back, everything is denied. */
    @Test
    void laterOppositeFilterDoesNotResetTheDefault() {
        VmPmuView pmu = vcpuWithFilters(host, allow(0, 10), deny(0, 10)).vm().pmu();
        for (int e = 0; e < 0x40; e++) {
            assertThat(pmu.eventAllowed(e)).as("event 0x%x", e).isFalse();
        }
    }

    /** The cycle counter counts CPU_CYCLES, whatever PMCCFILTR's event bits say, and is filtered as such. */
    @Test
    void cycleCounterIsFilteredThroughCpuCycles() {
        VmPmuView denyCycles =
                vcpuWithFilters(host, deny(Events.CPU_CYCLES, 1)).vm().pmu();
        assertThat(denyCycles.perfEventConfig(31, 0)).isEqualTo(NO_PERF_EVENT);
        VmPmuView allowCycles =
                vcpuWithFilters(host, allow(Events.CPU_CYCLES, 1)).vm().pmu();
        assertThat(allowCycles.perfEventConfig(31, Events.INST_RETIRED)).isEqualTo(Events.CPU_CYCLES);
    }

    /** SW_INCR and CHAIN never get a perf event, filter or not; denying them does not stop them counting. */
    @Test
    void swIncrAndChainNeverGetAPerfEvent() {
        VmPmuView pmu = vcpuWithFilters(host).vm().pmu();
        assertThat(pmu.perfEventConfig(0, Events.SW_INCR)).isEqualTo(NO_PERF_EVENT);
        assertThat(pmu.perfEventConfig(1, Events.CHAIN)).isEqualTo(NO_PERF_EVENT);
    }

    @Test
    void eventSelectionUsesTheGuestsEventMask() {
        KvmHost v80 = KvmHost.builder()
                .pmu(new HostPmuDescriptor(
                        "armv8_cortex_a53", 8, new int[] {0}, TestHosts.hardware(6, PmuVersion.V3, Events.CPU_CYCLES)))
                .build();
        VmPmuView pmu = vcpuWithFilters(v80).vm().pmu();
        assertThat(pmu.eventMask()).isEqualTo(0x3ff);
        assertThat(pmu.perfEventConfig(0, (1L << 31) | 0x4008)).isEqualTo(0x8);
        assertThat(pmu.pmuVersion()).isEqualTo(PmuVersion.V3);
    }

    @Test
    void hostPmuVersionAboveV3p5IsCappedForTheGuest() {
        assertThat(TestHosts.bigLittle().pmuVerLimit()).isEqualTo(PmuVersion.P5);
    }

    @Test
    void vcpuViewShowsIrqAndInit() {
        Vm vm = host.createVm();
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
        assertThat(vm.createVgicV3(64).init()).isZero();
        assertThat(vcpu.pmu().irq()).isEmpty();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(23)))
                .isZero();
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        assertThat(vcpu.pmu().irq()).hasValue(23);
        assertThat(vcpu.pmu().initialized()).isTrue();
        assertThat(vcpu.pmu().hasPmu()).isTrue();
        assertThat(vcpu.pmu().vm().backingPmus()).containsExactly(host.pmus().get(0));
        assertThat(vcpu.pmu().vm().maxCounters()).isEqualTo(6);
    }

    @Test
    void beforeAnyVcpuIsInitialisedNoPmuIsChosen() {
        Vm vm = host.createVm();
        assertThat(vm.pmu().armPmu()).isEmpty();
        assertThat(vm.pmu().backingPmus()).isEmpty();
        assertThat(vm.pmu().pmceid0()).isZero();
        assertThat(vm.pmu().supportedCpus()).containsExactly(0, 1, 2, 3);
    }
}
