package dev.pmulab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.hw.catalog.Provenance;
import dev.pmulab.hw.catalog.SocModel;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.vpmu.PartitionFgtSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ScenarioLoaderTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    static String fullExample() {
        try (InputStream in = ScenarioLoaderTest.class.getResourceAsStream("full-example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static EventRef ev(String name, int number) {
        return new EventRef(name, number);
    }

    @Test
    void fullExampleReadsIntoRecordsFieldByField() {
        Scenario s = ScenarioLoader.load("full-example.yaml", fullExample());

        assertThat(s.name()).isEqualTo("full-example");
        assertThat(s.description()).isEqualTo("Every field of the scenario format on a custom big.LITTLE host");
        assertThat(s.source()).isEqualTo("full-example.yaml");
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.run()).isEqualTo(new RunLength.UntilWorkDone("web", 25_000_000_000L, 30 * S));
        assertThat(s.run().limitNs()).isEqualTo(30 * S);

        HostSpec h = s.host();
        SocModel soc = h.soc();
        assertThat(soc.name()).isEqualTo("custom");
        assertThat(soc.firmware()).isEqualTo(SocModel.Firmware.DEVICE_TREE);
        assertThat(soc.cpuCount()).isEqualTo(8);
        assertThat(soc.cpu(0).name()).isEqualTo("cortex-a55");
        assertThat(soc.cpu(0).n().value()).isEqualTo(6);
        assertThat(soc.cpu(4).name()).isEqualTo("cortex-a76");
        assertThat(soc.cpu(4).n().value()).isEqualTo(8);
        assertThat(soc.cpu(4).n().provenance()).isEqualTo(Provenance.OVERRIDDEN);
        assertThat(soc.cpu(4).version().value()).isEqualTo(PmuVersion.P5);
        assertThat(soc.cpu(4).fgt().value()).isTrue();
        assertThat(soc.cpu(4).hpmn0().value()).isTrue();
        assertThat(soc.cpu(4).brbe().value()).isTrue();
        assertThat(soc.cpu(0).brbe().value()).isFalse();
        assertThat(soc.pmus()).extracting(p -> p.name()).containsExactly("armv8_cortex_a55", "armv8_cortex_a76");
        assertThat(h.vhe()).isTrue();
        assertThat(h.hz()).isEqualTo(1000);
        assertThat(h.muxIntervalNs()).isEqualTo(2 * MS);
        assertThat(h.nmiWatchdog()).isTrue();
        assertThat(h.watchdogThreshNs()).isEqualTo(5 * S);
        assertThat(h.partitionFgt()).isEqualTo(PartitionFgtSet.V1);

        assertThat(s.hostPerf())
                .containsExactly(
                        new PerfSession(
                                "big-core-stat",
                                PerfMode.STAT,
                                PerfScope.SYSTEM,
                                List.of(4, 5, 6, 7),
                                Optional.empty(),
                                List.of(
                                        EventGroup.of(ev("cycles", 0x11), ev("instructions", 0x08)),
                                        EventGroup.of(
                                                ev("l1d_cache", 0x04), ev("l1d_cache_refill", 0x03), ev("0x17", 0x17))),
                                false,
                                Optional.empty(),
                                true,
                                false,
                                100 * MS,
                                OptionalLong.of(20 * S)),
                        new PerfSession(
                                "batch-record",
                                PerfMode.RECORD,
                                PerfScope.TASK,
                                List.of(),
                                Optional.of("batch"),
                                List.of(EventGroup.of(ev("instructions", 0x08))),
                                true,
                                Optional.of(Sampling.period(1_000_000)),
                                false,
                                false,
                                0,
                                OptionalLong.empty()));

        assertThat(s.hostTasks())
                .containsExactly(new HostTask(
                        "batch",
                        List.of(0, 1),
                        new Workload(WorkloadProfile.CPU_BOUND, 2, 0.5, Map.of(), OptionalLong.empty())));

        assertThat(s.vms()).hasSize(5);
        VmSpec web = s.vms().get(0);
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.vcpus()).isEqualTo(4);
        assertThat(web.guestOs()).isEqualTo(GuestOs.LINUX);
        assertThat(web.guestHz()).isEqualTo(250);
        assertThat(web.pmu()).isTrue();
        assertThat(web.nrCounters()).isEqualTo(OptionalInt.of(4));
        assertThat(web.partition()).isTrue();
        assertThat(web.placement())
                .isEqualTo(new Placement(
                        List.of(0, 1, 2, 3, 4, 5, 6, 7),
                        false,
                        4,
                        Optional.of(new Placement.Migration(10 * MS, true))));
        assertThat(web.pmuUsage())
                .containsExactly(
                        new PmuUsage.NmiWatchdog(10 * S),
                        new PmuUsage.PerfRecord(
                                List.of(
                                        EventGroup.of(ev("cycles", 0x11)),
                                        EventGroup.of(ev("instructions", 0x08), ev("branch-misses", 0x10))),
                                Sampling.frequencyHz(4000),
                                PerfScope.SYSTEM),
                        new PmuUsage.PerfStat(
                                List.of(EventGroup.of(ev("stall_backend", 0x24))), PerfScope.TASK, OptionalLong.of(S)));
        assertThat(web.workload())
                .isEqualTo(new Workload(
                        WorkloadProfile.EXIT_HEAVY,
                        3,
                        0.75,
                        Map.of(
                                Events.CPU_CYCLES,
                                2_400_000_000L,
                                Events.INST_RETIRED,
                                3_000_000_000L,
                                Events.STALL,
                                1000L),
                        OptionalLong.of(20_000)));
        assertThat(web.workload().ratesPerSecond().keySet()).containsExactly(0x08, 0x11, 0x3c);

        VmSpec win = s.vms().get(1);
        assertThat(win.guestOs()).isEqualTo(GuestOs.WINDOWS);
        assertThat(win.placement()).isEqualTo(new Placement(List.of(6, 7), true, 6, Optional.empty()));
        assertThat(win.placement().pinnedCpu(0)).isEqualTo(6);
        assertThat(win.placement().pinnedCpu(1)).isEqualTo(7);
        assertThat(win.pmuUsage()).containsExactly(new PmuUsage.WindowsCycleTick(15_625_000L));
        assertThat(win.workload()).isEqualTo(Workload.of(WorkloadProfile.IDLE, 2));
        assertThat(win.workload().load()).isZero();

        VmSpec greedy = s.vms().get(2);
        assertThat(greedy.partition()).isFalse();
        assertThat(greedy.guestOs()).isEqualTo(GuestOs.LINUX);
        assertThat(greedy.nrCounters()).isEmpty();
        assertThat(greedy.placement())
                .isEqualTo(new Placement(List.of(0, 1, 2, 3, 4, 5, 6, 7), false, 0, Optional.empty()));
        assertThat(greedy.pmuUsage()).containsExactly(new PmuUsage.Greedy(5 * MS, false));
        assertThat(greedy.workload()).isEqualTo(Workload.of(WorkloadProfile.CPU_BOUND, 1));

        assertThat(s.vms().get(3).pmuUsage())
                .containsExactly(new PmuUsage.Brbe(List.of(ev("cycles", 0x11)), Sampling.period(100_000), false));
        assertThat(s.vms().get(3).placement().cpus()).containsExactly(4, 5, 6, 7);
        VmSpec quiet = s.vms().get(4);
        assertThat(quiet.pmu()).isFalse();
        assertThat(quiet.pmuUsage()).containsExactly(new PmuUsage.Idle());
        assertThat(quiet.pmuIdle()).isTrue();

        Policies p = s.policies();
        assertThat(p.allocation()).extracting(PolicyChoice::kind).containsOnly(PolicyKind.ALLOCATION);
        assertThat(p.allocation())
                .extracting(PolicyChoice::name)
                .containsExactly("emulated", "static-hpmn", "vcpu-load-resched");
        assertThat(p.allocation().get(0).rawSettings()).isEmpty();
        assertThat(p.allocation().get(1).rawSettings()).isEqualTo(Map.of("reserved_host_counters", 2L));
        assertThat(p.allocation().get(2).rawSettings()).isEqualTo(Map.of("reserved_host_counters", 4L));
        assertThat(p.allocation().get(1).declaredAt())
                .isEqualTo(new SourcePosition("full-example.yaml", 96, 7, "policies.allocation[1]"));
        assertThat(p.allocation().get(1).label()).isEqualTo("static-hpmn(reserved_host_counters=2)");
        assertThat(p.selection()).hasValueSatisfying(c -> {
            assertThat(c.kind()).isEqualTo(PolicyKind.SELECTION);
            assertThat(c.name()).isEqualTo("set-pmu");
            assertThat(c.rawSettings()).isEqualTo(Map.of("pmu", "armv8_cortex_a76"));
        });
        assertThat(p.filter()).hasValueSatisfying(c -> {
            assertThat(c.kind()).isEqualTo(PolicyKind.FILTER);
            assertThat(c.name()).isEqualTo("event-filter");
            assertThat(c.declaredAt()).isEqualTo(new SourcePosition("full-example.yaml", 99, 11, "policies.filter"));
        });

        assertThat(s.adminWrites())
                .containsExactly(
                        new AdminWrite(1 * S, "reserved_host_counters", 1),
                        new AdminWrite(5 * S, "reserved_host_counters", 3));

        assertThat(s.costs())
                .containsExactly(
                        Map.entry(KernelCost.TRAP_SYSREG_EMULATION, CostOverride.base(500)),
                        Map.entry(KernelCost.PERF_EVENT_CREATE, CostOverride.base(4000)),
                        Map.entry(KernelCost.PERF_PMU_RESCHED, new CostOverride(1200, OptionalLong.of(250))),
                        Map.entry(KernelCost.PERF_ROTATE_CONTEXT, CostOverride.base(600)));
        assertThat(s.costs().get(KernelCost.PERF_ROTATE_CONTEXT).perUnitNsOrDefault(KernelCost.PERF_ROTATE_CONTEXT))
                .isEqualTo(200);
        assertThat(s.vcpuCount()).isEqualTo(9);
        assertThat(s.vm("win")).contains(win);
        assertThat(s.vm("nope")).isEmpty();
    }

    @Test
    void twoLoadsOfTheSameTextGiveEqualScenarios() {
        Scenario a = ScenarioLoader.load("full-example.yaml", fullExample());
        Scenario b = ScenarioLoader.load("full-example.yaml", fullExample());
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).isEqualTo(b.toString());
        for (String name : BuiltInScenarios.names()) {
            assertThat(BuiltInScenarios.load(name)).isEqualTo(BuiltInScenarios.load(name));
        }
    }

    @Test
    void theDocumentationShowsTheFullExampleVerbatim() throws IOException {
        // Surefire runs in the module directory; the docs live at the reactor root.
        String docs = Files.readString(Path.of("..", "docs", "scenarios.md"));
        assertThat(docs).contains("```yaml\n" + fullExample() + "```");
    }

    @Test
    void minimalScenarioTakesEveryDefault() {
        Scenario s = ScenarioLoader.load("dir/tiny.yml", "run: {duration: 250us}\nvms: [{name: vm0, vcpus: 2}]\n");
        assertThat(s.name()).isEqualTo("tiny");
        assertThat(s.description()).isEmpty();
        assertThat(s.seed()).isEqualTo(1);
        assertThat(s.run()).isEqualTo(new RunLength.FixedDuration(250_000));
        assertThat(s.host().soc().name()).isEqualTo("generic");
        assertThat(s.host().cpuCount()).isEqualTo(8);
        assertThat(s.host().vhe()).isTrue();
        assertThat(s.host().hz()).isEqualTo(250);
        assertThat(s.host().muxIntervalNs()).isEqualTo(4 * MS);
        assertThat(s.host().nmiWatchdog()).isFalse();
        assertThat(s.host().partitionFgt()).isEqualTo(PartitionFgtSet.V8);
        assertThat(s.hostPerf()).isEmpty();
        assertThat(s.hostTasks()).isEmpty();
        VmSpec vm = s.vms().get(0);
        assertThat(vm)
                .isEqualTo(new VmSpec(
                        "vm0",
                        2,
                        GuestOs.LINUX,
                        250,
                        true,
                        OptionalInt.empty(),
                        true,
                        new Placement(List.of(0, 1, 2, 3, 4, 5, 6, 7), false, 0, Optional.empty()),
                        List.of(new PmuUsage.Idle()),
                        Workload.of(WorkloadProfile.CPU_BOUND, 2)));
        assertThat(s.policies()).isEqualTo(Policies.defaults());
        assertThat(s.adminWrites()).isEmpty();
        assertThat(s.costs()).isEmpty();
    }

    @Test
    void aPartitionRequestOnAnNvheHostLoadsBecauseThePolicyDecides() {
        Scenario s = ScenarioLoader.load("nvhe.yaml", """
                run: {duration: 1s}
                host: {soc: ampere-altra, vhe: false}
                vms: [{name: vm0, vcpus: 2, partition: true}]
                policies: {allocation: static-hpmn}
                """);
        assertThat(s.host().vhe()).isFalse();
        assertThat(s.vms().get(0).partition()).isTrue();
    }

    @Test
    void overridesOfACatalogSocKeepItsNameAndMarkTheValuesOverridden() {
        Scenario s = ScenarioLoader.load("o.yaml", """
                run: {duration: 1s}
                host:
                  soc: rk3588
                  cpu_overrides: {Cortex-A76: {fgt: true, hpmn0: true}}
                """);
        SocModel soc = s.host().soc();
        assertThat(soc.name()).isEqualTo("rk3588");
        assertThat(soc.cpu(0).fgt().value()).isFalse();
        assertThat(soc.cpu(4).fgt().value()).isTrue();
        assertThat(soc.cpu(4).hpmn0().provenance()).isEqualTo(Provenance.OVERRIDDEN);
        assertThat(soc.assumptions()).anyMatch(a -> a.contains("Cortex-A76 FEAT_FGT=1"));
    }

    @Test
    void muxIntervalDefaultsToPerfCpuHrtimerOfTheHz() {
        assertThat(ScenarioLoader.load("a.yaml", "run: {duration: 1s}\nhost: {hz: 300}\n")
                        .host()
                        .muxIntervalNs())
                .isEqualTo(3 * MS);
        assertThat(ScenarioLoader.load("a.yaml", "run: {duration: 1s}\nhost: {hz: 1000}\n")
                        .host()
                        .muxIntervalNs())
                .isEqualTo(1 * MS);
        assertThat(ScenarioLoader.load("a.yaml", "run: {duration: 1s}\nhost: {hz: 100}\n")
                        .host()
                        .muxIntervalNs())
                .isEqualTo(10 * MS);
    }

    @Test
    void shorthandsAndSpellingsAreEquivalent() {
        Scenario longhand = ScenarioLoader.load("a.yaml", """
                run: {duration: 1s}
                vms:
                  - name: vm0
                    vcpus: 2
                    placement: {cpus: [0, 1, 2, 3]}
                    pmu_usage: [{kind: nmi-watchdog}]
                    workload: {profile: cpu-bound}
                policies:
                  allocation: [{name: emulated}]
                """);
        Scenario shorthand = ScenarioLoader.load("a.yaml", """
                run: {duration: 1000ms}
                vms:
                  - name: vm0
                    vcpus: 2
                    placement: {cpus: 0-3}
                    pmu_usage: nmi-watchdog
                    workload: cpu-bound
                policies:
                  allocation: emulated
                """);
        // Equal apart from where the policy was written.
        assertThat(shorthand.vms()).isEqualTo(longhand.vms());
        assertThat(shorthand.run()).isEqualTo(longhand.run());
        assertThat(shorthand.policies().allocation())
                .extracting(PolicyChoice::label)
                .containsExactly("emulated");
        Scenario mixed = ScenarioLoader.load(
                "a.yaml",
                "run: {duration: 1s}\nvms: [{name: vm0, vcpus: 2,"
                        + " placement: {cpus: '0-1, 2,3'}, pmu_usage: nmi-watchdog}]\n");
        assertThat(mixed.vms().get(0).placement().cpus()).containsExactly(0, 1, 2, 3);
        Scenario listed = ScenarioLoader.load(
                "a.yaml", "run: {duration: 1s}\nvms: [{name: vm0, vcpus: 2," + " placement: {cpus: [3, 0-1, 1]}}]\n");
        assertThat(listed.vms().get(0).placement().cpus()).containsExactly(0, 1, 3);
    }

    @Test
    void eventNamesOfEverySpellingResolveToTheirNumbers() {
        Scenario s = ScenarioLoader.load("a.yaml", """
                run: {duration: 1s}
                vms:
                  - name: vm0
                    vcpus: 1
                    pmu_usage:
                      kind: perf-stat
                      events: [CPU_CYCLES, Cycles, 0x11, r11, r0011, LLC-load-misses, 0x4004]
                """);
        PmuUsage.PerfStat stat = (PmuUsage.PerfStat) s.vms().get(0).pmuUsage().get(0);
        assertThat(stat.groups())
                .extracting(g -> g.leader().number())
                .containsExactly(0x11, 0x11, 0x11, 0x11, 0x11, 0x37, 0x4004);
        assertThat(stat.groups())
                .extracting(g -> g.leader().name())
                .containsExactly("CPU_CYCLES", "Cycles", "0x11", "r11", "r0011", "LLC-load-misses", "0x4004");
    }

    @Test
    void rawPolicySettingsKeepTheirYamlTypes() {
        Scenario s = ScenarioLoader.load("a.yaml", """
                run: {duration: 1s}
                policies:
                  allocation:
                    name: p
                    settings: {b: true, i: 0x10, big: 99999999999999999999, f: 2.5, s: text, q: '12', l: [1, x]}
                """);
        assertThat(s.policies().allocation().get(0).rawSettings())
                .containsExactly(
                        Map.entry("b", true),
                        Map.entry("i", 16L),
                        Map.entry("big", new java.math.BigInteger("99999999999999999999")),
                        Map.entry("f", 2.5),
                        Map.entry("s", "text"),
                        Map.entry("q", "12"),
                        Map.entry("l", List.of(1L, "x")));
    }

    @Test
    void loadsFromAPathAndNamesTheFileInMessages(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("mine.yaml");
        Files.writeString(good, "run: {duration: 1s}\n");
        assertThat(ScenarioLoader.load(good).name()).isEqualTo("mine");
        assertThat(ScenarioLoader.load(good).source()).isEqualTo(good.toString());

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "run: {duration: 1s}\nvms: [{name: vm0, vcpus: 0}]\n");
        assertThatThrownBy(() -> ScenarioLoader.load(bad))
                .isInstanceOf(ScenarioException.class)
                .hasMessage(bad + ":2:26: vms[0].vcpus: a VM needs at least 1 vCPU, was 0");

        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> ScenarioLoader.load(missing))
                .isInstanceOf(ScenarioException.class)
                .hasMessage(missing + ": no such file");

        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "run: {duration: 1s}\ndescription: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ScenarioLoader.load(latin1))
                .isInstanceOf(ScenarioException.class)
                // "run: {duration: 1s}\n" is 20 bytes, "description: caf" 16 more: the Latin-1 é is byte 36.
                .hasMessage(latin1 + ": not UTF-8 text at byte 36 (0xe9); save it as UTF-8");

        Path binary = dir.resolve("binary.yaml");
        Files.write(binary, new byte[] {'r', 'u', 'n', ':', 0, 1, 2});
        assertThatThrownBy(() -> ScenarioLoader.load(binary))
                .hasMessage(binary + ": not UTF-8 text at byte 4 (control character 0x00)");

        Path directory = Files.createDirectories(dir.resolve("a-directory.yaml"));
        assertThatThrownBy(() -> ScenarioLoader.load(directory))
                .hasMessage(directory + ": is a directory, not a scenario file");
    }

    @Test
    void aFileAboveTheSizeLimitIsRefusedBeforeTheParserSeesIt(@TempDir Path dir) throws IOException {
        Path huge = dir.resolve("huge.yaml");
        // Exactly the limit is read; one byte more is refused, in well under a second.
        byte[] atLimit = ("run: {duration: 1s}\n#" + "x".repeat((int) ScenarioLoader.MAX_FILE_BYTES - 22) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(atLimit).hasSize((int) ScenarioLoader.MAX_FILE_BYTES);
        Files.write(huge, atLimit);
        assertThat(ScenarioLoader.load(huge).name()).isEqualTo("huge");
        Files.write(huge, "x".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ScenarioLoader.load(huge))
                .isInstanceOf(ScenarioException.class)
                .hasMessage(huge
                        + ": is larger than 1 MiB, the limit for a scenario file (a hand-written one is a few kB)");
    }

    @Test
    void problemsCarryTheirPartsAndTheMessageJoinsThemOnePerLine() {
        ScenarioException e = org.junit.jupiter.api.Assertions.assertThrows(
                ScenarioException.class, () -> ScenarioLoader.load("bad.yaml", """
                        run: {duration: 2s}
                        host: {hz: 200}
                        vms:
                          - {name: vm0, vcpus: -1}
                        admin_writes: [{at: 3s, knob: reserved_host_counters, value: 1}]
                        """));
        assertThat(e.problems())
                .containsExactly(
                        new ScenarioProblem(
                                "bad.yaml",
                                2,
                                12,
                                "host.hz",
                                "must be one of 100, 250, 300, 1000 (the CONFIG_HZ choices), was 200"),
                        new ScenarioProblem("bad.yaml", 4, 24, "vms[0].vcpus", "a VM needs at least 1 vCPU, was -1"),
                        new ScenarioProblem(
                                "bad.yaml",
                                5,
                                21,
                                "admin_writes[0].at",
                                "at 3s is not before the end of the run (2s)"));
        assertThat(e.getMessage())
                .isEqualTo(String.join(
                        "\n",
                        "bad.yaml:2:12: host.hz: must be one of 100, 250, 300, 1000 (the CONFIG_HZ choices), was 200",
                        "bad.yaml:4:24: vms[0].vcpus: a VM needs at least 1 vCPU, was -1",
                        "bad.yaml:5:21: admin_writes[0].at: at 3s is not before the end of the run (2s)"));
    }
}
