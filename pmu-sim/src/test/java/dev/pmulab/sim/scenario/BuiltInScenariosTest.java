package dev.pmulab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.PolicyKind;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

final class BuiltInScenariosTest {

    static Stream<String> names() {
        return BuiltInScenarios.names().stream();
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyBuiltInLoadsValidatesAndSaysWhatItAnswers(String name) {
        Scenario s = BuiltInScenarios.load(name);
        assertThat(s.name()).isEqualTo(name);
        assertThat(s.source()).isEqualTo(name + ".yaml");
        assertThat(s.description()).isNotBlank().doesNotContain("\n");
        BuiltInScenarios.BuiltIn b = BuiltInScenarios.get(name);
        assertThat(b.question()).endsWith("?").hasSizeGreaterThan(60);
        assertThat(b.yaml()).startsWith("# ");
        assertThat(b.load()).isEqualTo(s);
    }

    @Test
    void theBriefsScenariosAreAllThere() {
        assertThat(BuiltInScenarios.names())
                .contains(
                        "guest-perf-record",
                        "guest-perf-stat-dd",
                        "stress-ng-host-measured",
                        "host-profiling-beside-guests",
                        "windows-biglittle-migration",
                        "guest-brbe-freeze",
                        "greedy-guest-trap-and-grow",
                        "guest-event-filter",
                        "no-host-events",
                        "sysfs-admin-writes",
                        "flagship");
        assertThat(BuiltInScenarios.all())
                .extracting(BuiltInScenarios.BuiltIn::name)
                .containsExactlyElementsOf(BuiltInScenarios.names());
    }

    @Test
    void unknownBuiltInListsTheKnownOnes() {
        assertThatThrownBy(() -> BuiltInScenarios.load("flagshp"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown built-in scenario 'flagshp'; known: guest-perf-record, ")
                .hasMessageEndingWith("sysfs-admin-writes, flagship");
    }

    @Test
    void coverLetterBenchmarkOneUsesThePublishedSetUp() {
        Scenario s = BuiltInScenarios.load("guest-perf-record");
        // §2.1: 10 general-purpose counters; 15 events; -F 1000.
        assertThat(s.host().soc().cpu(0).n().value()).isEqualTo(10);
        PmuUsage.PerfRecord rec =
                (PmuUsage.PerfRecord) s.vms().get(0).pmuUsage().get(0);
        assertThat(rec.groups()).hasSize(15);
        assertThat(rec.sampling()).isEqualTo(Sampling.frequencyHz(1000));
        assertThat(s.run()).isEqualTo(new RunLength.UntilWorkDone("vm0", 9_000_000_000L, 60_000_000_000L));
        assertThat(s.policies().allocation())
                .extracting(PolicyChoice::name)
                .containsExactly("emulated", "static-hpmn", "vcpu-load-resched", "sysfs-writable", "trap-and-grow");
    }

    @Test
    void coverLetterBenchmarkThreePinsOneVcpuForThirtySeconds() {
        Scenario s = BuiltInScenarios.load("stress-ng-host-measured");
        VmSpec vm = s.vms().get(0);
        assertThat(vm.vcpus()).isEqualTo(1);
        assertThat(vm.placement().pinned()).isTrue();
        assertThat(vm.placement().cpus()).containsExactly(3);
        assertThat(s.run()).isEqualTo(new RunLength.FixedDuration(30_000_000_000L));
        assertThat(((PmuUsage.PerfRecord) vm.pmuUsage().get(0)).sampling().value())
                .isEqualTo(4000);
        assertThat(s.hostPerf()).isEmpty();
    }

    @Test
    void flagshipIs128VcpusOn64CpusComparingEveryAllocationPolicy() {
        Scenario s = BuiltInScenarios.load(BuiltInScenarios.FLAGSHIP);
        assertThat(s.host().cpuCount()).isEqualTo(64);
        assertThat(s.vcpuCount()).isEqualTo(128);
        assertThat(s.policies().allocation()).isEmpty();
        assertThat(s.host().nmiWatchdog()).isTrue();
        assertThat(s.hostPerf())
                .singleElement()
                .satisfies(p -> assertThat(p.groups()).hasSize(2));
    }

    @Test
    void windowsScenarioMigratesAcrossTheCoreTypesOfABigLittleSoc() {
        Scenario s = BuiltInScenarios.load("windows-biglittle-migration");
        assertThat(s.host().soc().heterogeneous()).isTrue();
        VmSpec vm = s.vms().get(0);
        assertThat(vm.guestOs()).isEqualTo(GuestOs.WINDOWS);
        assertThat(vm.vcpus()).as("more vCPUs than one cluster has CPUs").isEqualTo(6);
        assertThat(vm.placement().migrate()).contains(new Placement.Migration(40_000_000L, true));
        assertThat(vm.pmuUsage()).containsExactly(new PmuUsage.WindowsCycleTick(15_625_000L));
        assertThat(s.policies().selection()).hasValueSatisfying(c -> {
            assertThat(c.kind()).isEqualTo(PolicyKind.SELECTION);
            assertThat(c.name()).isEqualTo("default-pmu");
        });
    }

    @Test
    void noHostEventsHasNoHostPerfAndNoWatchdog() {
        Scenario s = BuiltInScenarios.load("no-host-events");
        assertThat(s.hostPerf()).isEmpty();
        assertThat(s.host().nmiWatchdog()).isFalse();
        assertThat(s.vms()).allSatisfy(v -> assertThat(v.pmuIdle()).isFalse());
    }

    @Test
    void sysfsScenarioSchedulesItsWritesInsideTheRun() {
        Scenario s = BuiltInScenarios.load("sysfs-admin-writes");
        assertThat(s.adminWrites())
                .containsExactly(
                        new AdminWrite(500_000_000L, "reserved_host_counters", 4),
                        new AdminWrite(1_000_000_000L, "reserved_host_counters", 1),
                        new AdminWrite(1_500_000_000L, "reserved_host_counters", 2));
        assertThat(s.adminWrites())
                .allSatisfy(w -> assertThat(w.atNs()).isLessThan(s.run().limitNs()));
    }

    @Test
    void brbeScenarioRunsOnACoreWithBrbe() {
        Scenario s = BuiltInScenarios.load("guest-brbe-freeze");
        assertThat(s.host().soc().cpu(0).brbe().value()).isTrue();
        assertThat(s.vms().get(0).pmuUsage()).singleElement().isInstanceOf(PmuUsage.Brbe.class);
    }

    @Test
    void questionIsTheFirstParagraphOfTheOpeningComment() {
        assertThat(BuiltInScenarios.question("# Why is\n#  the sky blue?\n#\n# Because.\nname: x\n"))
                .isEqualTo("Why is the sky blue?");
        assertThat(BuiltInScenarios.question("name: x\n")).isEmpty();
    }
}
