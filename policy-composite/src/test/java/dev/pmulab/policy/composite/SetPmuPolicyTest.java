package dev.pmulab.policy.composite;

import static dev.pmulab.policy.composite.Fakes.cores;
import static dev.pmulab.policy.composite.Fakes.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.Errno;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SelectionPolicy;
import dev.pmulab.api.Settings;
import dev.pmulab.api.testing.RecordingVmm;
import dev.pmulab.policy.composite.Fakes.FakeHost;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class SetPmuPolicyTest {
    private static final String LITTLE = "armv8_cortex_a55";
    private static final String BIG = "armv9_cortex_a710";
    /** 4 little CPUs (0-3, 6 counters) and 4 big ones (4-7, 20 counters), little registered first. */
    private static final FakeHost BIG_LITTLE = new FakeHost(cores(LITTLE, 6, 0, 4), cores(BIG, 20, 4, 4));

    private static final int[] ALL = {0, 1, 2, 3, 4, 5, 6, 7};

    private final SetPmuDescriptor descriptor = new SetPmuDescriptor();

    private SelectionPolicy policy(Map<String, ?> settings) {
        Settings s = Fakes.settings(descriptor, settings);
        assertThat(descriptor.validate(s)).isEmpty();
        return (SelectionPolicy) Fakes.instantiate(descriptor, s);
    }

    private RecordingVmm run(Map<String, ?> settings, FakeHost host, int... allowed) {
        RecordingVmm vmm = new RecordingVmm();
        policy(settings).configureVm(vm(allowed[0], allowed), host, vmm);
        return vmm;
    }

    @Test
    void describesItself() {
        assertThat(descriptor.name()).isEqualTo(SetPmuDescriptor.NAME).isEqualTo("set-pmu");
        assertThat(descriptor.kind()).isEqualTo(PolicyKind.SELECTION);
    }

    @Test
    void defaultsAreTheLargestPmuPinned() {
        assertThat(Settings.defaults(descriptor.settings()).asMap())
                .containsOnly(Map.entry("pmu", "largest"), Map.entry("pin_vcpus", true), Map.entry("nr_counters", -1L));
    }

    @Test
    void moduleBindsTheSelectionPolicy() {
        assertThat(Fakes.instantiate(descriptor, Settings.defaults(descriptor.settings())))
                .isInstanceOf(SetPmuPolicy.class);
    }

    @Test
    void validationNamesTheSetting() {
        assertThat(descriptor.validate(Fakes.settings(descriptor, Map.of("pmu", "armv8 a55", "nr_counters", 32L))))
                .containsExactly("nr_counters must be -1 (leave PMCR_EL0.N alone) or 0..31, not 32; pmu must be a"
                        + " host PMU name or largest, not 'armv8 a55'");
    }

    @Test
    void namedPmuIsSetThenTheVcpusArePinnedToItsCpus() {
        assertThat(run(Map.of("pmu", LITTLE), BIG_LITTLE, ALL).calls)
                .containsExactly("setPmu(armv8_cortex_a55)", "pinVcpus([0, 1, 2, 3])");
    }

    @Test
    void pinningStaysInsideTheCpusTheScenarioAllows() {
        assertThat(run(Map.of("pmu", BIG), BIG_LITTLE, 1, 5, 6).calls)
                .containsExactly("setPmu(armv9_cortex_a710)", "pinVcpus([5, 6])");
    }

    @Test
    void anUnpinnedVmmOnlySetsThePmu() {
        assertThat(run(Map.of("pmu", LITTLE, "pin_vcpus", false), BIG_LITTLE, ALL).calls)
                .containsExactly("setPmu(armv8_cortex_a55)");
    }

    @Test
    void counterCountComesAfterSetPmuWhichWouldCancelIt() {
        assertThat(run(Map.of("pmu", BIG, "nr_counters", 4L), BIG_LITTLE, ALL).calls)
                .containsExactly("setPmu(armv9_cortex_a710)", "setNrCounters(4)", "pinVcpus([4, 5, 6, 7])");
    }

    @Test
    void largestOnFourLittleAndFourBigTakesTheCoreTypeWithMoreCounters() {
        assertThat(run(Map.of(), BIG_LITTLE, ALL).calls)
                .containsExactly("setPmu(armv9_cortex_a710)", "pinVcpus([4, 5, 6, 7])");
    }

    @Test
    void largestPrefersMoreCpusOverMoreCounters() {
        FakeHost sixPlusTwo = new FakeHost(cores(LITTLE, 6, 0, 6), cores(BIG, 20, 6, 2));
        assertThat(run(Map.of(), sixPlusTwo, ALL).calls)
                .containsExactly("setPmu(armv8_cortex_a55)", "pinVcpus([0, 1, 2, 3, 4, 5])");
    }

    @Test
    void largestCountsOnlyTheCpusTheVmMayUse() {
        assertThat(run(Map.of(), BIG_LITTLE, 0, 1, 2, 4).calls)
                .containsExactly("setPmu(armv8_cortex_a55)", "pinVcpus([0, 1, 2])");
    }

    @Test
    void largestBreaksAFullTieByTheHostsOrder() {
        FakeHost tie = new FakeHost(cores(LITTLE, 6, 0, 4), cores("armv8_cortex_a76", 6, 4, 4));
        assertThat(run(Map.of(), tie, ALL).calls).containsExactly("setPmu(armv8_cortex_a55)", "pinVcpus([0, 1, 2, 3])");
    }

    @Test
    void largestFallsBackToTheNextPmuWhenKvmDoesNotKnowOne() {
        RecordingVmm vmm = new RecordingVmm().answer("setPmu(armv9_cortex_a710)", -Errno.ENXIO);
        policy(Map.of()).configureVm(vm(0, ALL), BIG_LITTLE, vmm);
        assertThat(vmm.calls)
                .containsExactly("setPmu(armv9_cortex_a710)", "setPmu(armv8_cortex_a55)", "pinVcpus([0, 1, 2, 3])");
    }

    @Test
    void largestFailsWhenKvmKnowsNoneOfThem() {
        RecordingVmm vmm = new RecordingVmm()
                .answer("setPmu(armv9_cortex_a710)", -Errno.ENXIO)
                .answer("setPmu(armv8_cortex_a55)", -Errno.ENXIO);
        assertThatThrownBy(() -> policy(Map.of()).configureVm(vm(0, ALL), BIG_LITTLE, vmm))
                .isInstanceOf(VmmPmuSetupException.class)
                .hasMessage("selection policy set-pmu, VM vm0: KVM_ARM_VCPU_PMU_V3_SET_PMU(armv8_cortex_a55) returned "
                        + "-ENXIO: KVM has no host PMU of that perf type (§1.4); pmu=largest tried "
                        + "armv9_cortex_a710 -ENXIO, armv8_cortex_a55 -ENXIO");
        assertThat(vmm.calls).doesNotContain("pinVcpus([0, 1, 2, 3])");
    }

    @Test
    void largestDoesNotFallBackOnEbusy() {
        RecordingVmm vmm = new RecordingVmm().answer("setPmu(armv9_cortex_a710)", -Errno.EBUSY);
        assertThatThrownBy(() -> policy(Map.of()).configureVm(vm(0, ALL), BIG_LITTLE, vmm))
                .isInstanceOfSatisfying(
                        VmmPmuSetupException.class, e -> assertThat(e.errno()).isEqualTo(-16))
                .hasMessageContaining("SET_PMU(armv9_cortex_a710) returned -EBUSY: ")
                .hasMessageContaining("an event filter is set and this PMU differs from the VM's");
        assertThat(vmm.calls).containsExactly("setPmu(armv9_cortex_a710)");
    }

    @ParameterizedTest
    @CsvSource({
        "16, -EBUSY, FIXED_COUNTERS_ONLY is set",
        "6, -ENXIO, no host PMU of that perf type",
        "19, -ENODEV, no PMUv3 feature",
        "22, -EINVAL, not a documented result"
    })
    void aNamedPmuRefusedIsFatalAndNothingIsPinned(int errno, String name, String reason) {
        RecordingVmm vmm = new RecordingVmm().answer("setPmu(armv8_cortex_a55)", -errno);
        assertThatThrownBy(() -> policy(Map.of("pmu", LITTLE)).configureVm(vm(0, ALL), BIG_LITTLE, vmm))
                .isInstanceOf(VmmPmuSetupException.class)
                .hasMessageStartingWith(
                        "selection policy set-pmu, VM vm0: KVM_ARM_VCPU_PMU_V3_SET_PMU(armv8_cortex_a55) " + "returned "
                                + name + ": ")
                .hasMessageContaining(reason);
        assertThat(vmm.calls).containsExactly("setPmu(armv8_cortex_a55)");
    }

    @Test
    void aRefusedCounterCountIsFatalAndNothingIsPinned() {
        RecordingVmm vmm = new RecordingVmm().answer("setNrCounters(7)", -Errno.EINVAL);
        assertThatThrownBy(
                        () -> policy(Map.of("pmu", LITTLE, "nr_counters", 7L)).configureVm(vm(0, ALL), BIG_LITTLE, vmm))
                .isInstanceOf(VmmPmuSetupException.class)
                .hasMessage(
                        "selection policy set-pmu, VM vm0: KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS(7) returned -EINVAL: "
                                + "more counters than the VM's PMU has, or no PMU chosen (§1.5); after "
                                + "SET_PMU(armv8_cortex_a55)");
        assertThat(vmm.calls).containsExactly("setPmu(armv8_cortex_a55)", "setNrCounters(7)");
    }

    @Test
    void anUnknownPmuNameFailsBeforeAnyCallListingTheHostsPmus() {
        RecordingVmm vmm = new RecordingVmm();
        assertThatThrownBy(() -> policy(Map.of("pmu", "armv8_cortex_a53")).configureVm(vm(0, ALL), BIG_LITTLE, vmm))
                .isInstanceOfSatisfying(
                        VmmPmuSetupException.class, e -> assertThat(e.errno()).isZero())
                .hasMessage(
                        "selection policy set-pmu, VM vm0: the host has no PMU named 'armv8_cortex_a53'; host PMUs: "
                                + "armv8_cortex_a55, armv9_cortex_a710");
        assertThat(vmm.calls).isEmpty();
    }

    @Test
    void pinningAVmToAPmuNoneOfWhoseCpusItMayUseIsFatal() {
        RecordingVmm vmm = new RecordingVmm();
        assertThatThrownBy(() -> policy(Map.of("pmu", BIG)).configureVm(vm(0, 0, 1), BIG_LITTLE, vmm))
                .isInstanceOf(VmmPmuSetupException.class)
                .hasMessage("selection policy set-pmu, VM vm0: cannot pin the vCPUs: PMU armv9_cortex_a710 covers CPUs "
                        + "[4, 5, 6, 7], none of which the VM may use [0, 1]");
    }

    @Test
    void unpinnedTheSameVmIsLeftToFailEntry() {
        assertThat(run(Map.of("pmu", BIG, "pin_vcpus", false), BIG_LITTLE, 0, 1).calls)
                .containsExactly("setPmu(armv9_cortex_a710)");
    }

    @Test
    void largestWithNoPmuOnTheVmsCpusIsFatal() {
        assertThatThrownBy(() -> policy(Map.of()).configureVm(vm(9, 9), BIG_LITTLE, new RecordingVmm()))
                .isInstanceOf(VmmPmuSetupException.class)
                .hasMessage("selection policy set-pmu, VM vm0: no host PMU covers any CPU the VM may use [9]; host "
                        + "PMUs: armv8_cortex_a55, armv9_cortex_a710");
    }
}
