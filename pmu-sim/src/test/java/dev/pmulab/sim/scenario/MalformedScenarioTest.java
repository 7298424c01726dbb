package dev.pmulab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One malformed scenario per row, each with the exact message the user sees: file, line, column,
 * field path and what is wrong.
 */
final class MalformedScenarioTest {
    private static final String RUN = "run: {duration: 2s}\n";

    static Stream<Arguments> malformed() {
        return Stream.of(
                row(
                        "YAML syntax error",
                        RUN + "vms: [{name: vm0, vcpus: 2}\nseed: 1\n",
                        "bad.yaml:3:1: YAML syntax error: expected ',' or ']', but got <scalar> (while parsing a"
                                + " flow sequence that starts at line 2, column 6)"),
                row(
                        "tab indentation",
                        RUN + "host:\n\thz: 250\n",
                        "bad.yaml:3:1: YAML syntax error: found character '\\t(TAB)' that cannot start any token."
                                + " (Do not use \\t(TAB) for indentation)"),
                row("empty file", "# nothing but a comment\n", "bad.yaml:1:1: the file holds no YAML document"),
                row(
                        "two documents",
                        RUN + "---\n" + RUN,
                        "bad.yaml:3:1: a scenario file holds one YAML document; found a second one here"),
                row(
                        "top level is a list",
                        "- run: {duration: 1s}\n",
                        "bad.yaml:1:1: expected a mapping of fields, got a list"),
                row(
                        "key written twice",
                        RUN + "seed: 1\nseed: 2\n",
                        "bad.yaml:3:1: seed: the key is written twice; the first is at line 2, column 1"),
                row(
                        "YAML alias",
                        RUN + "vms:\n  - {name: &n vm0, vcpus: 1}\n  - {name: *n, vcpus: 1}\n",
                        "bad.yaml:4:12: vms[1].name: YAML aliases (*n) are not supported; write the value out"),
                row(
                        "unknown top-level field",
                        RUN + "vm: []\n",
                        "bad.yaml:2:1: vm: unknown field 'vm'; known fields: name, description, seed, run, host,"
                                + " host_perf, host_tasks, vms, policies, admin_writes, costs"),
                row(
                        "unknown nested field",
                        RUN + "vms:\n  - name: vm0\n    vcpus: 2\n" + "    placement: {cpus: all, pinnned: true}\n",
                        "bad.yaml:5:28: vms[0].placement.pinnned: unknown field 'pinnned'; known fields: cpus,"
                                + " pinned, init_cpu, migrate"),
                row(
                        "unknown field for the usage kind",
                        RUN + "vms:\n  - name: vm0\n    vcpus: 2\n"
                                + "    pmu_usage: {kind: perf-stat, events: [cycles], frequency: 99}\n",
                        "bad.yaml:5:52: vms[0].pmu_usage.frequency: unknown field 'frequency' for a perf-stat"
                                + " usage; known fields: kind, events, groups, scope, interval"),
                row(
                        "wrong type",
                        RUN + "vms: [{name: vm0, vcpus: four}]\n",
                        "bad.yaml:2:26: vms[0].vcpus: expected a whole number, got 'four'"),
                row(
                        "mapping where a list goes",
                        RUN + "vms: {name: vm0}\n",
                        "bad.yaml:2:6: vms: expected a list, got a mapping"),
                row(
                        "zero vCPUs",
                        RUN + "vms: [{name: vm0, vcpus: 0}]\n",
                        "bad.yaml:2:26: vms[0].vcpus: a VM needs at least 1 vCPU, was 0"),
                row(
                        "negative vCPUs",
                        RUN + "vms: [{name: vm0, vcpus: -4}]\n",
                        "bad.yaml:2:26: vms[0].vcpus: a VM needs at least 1 vCPU, was -4"),
                row(
                        "more vCPUs than KVM allows",
                        RUN + "vms: [{name: vm0, vcpus: 513}]\n",
                        "bad.yaml:2:26: vms[0].vcpus: KVM on arm64 allows at most 512 vCPUs per VM"
                                + " (KVM_MAX_VCPUS), was 513"),
                row(
                        "required field missing",
                        RUN + "vms:\n  - name: vm0\n",
                        "bad.yaml:3:5: vms[0].vcpus: required field is missing"),
                row(
                        "bad duration",
                        "run: {duration: 2 sec}\n",
                        "bad.yaml:1:17: run.duration: expected a duration with a unit (ns, us, ms, s, min, h),"
                                + " such as 10ms; got '2 sec'"),
                row(
                        "duration without a unit",
                        "run: {duration: 2}\n",
                        "bad.yaml:1:17: run.duration: expected a duration with a unit (ns, us, ms, s, min, h),"
                                + " such as 10ms; got '2'"),
                row(
                        "fraction of a nanosecond",
                        "run: {duration: 1.5ns}\n",
                        "bad.yaml:1:17: run.duration: '1.5ns' is not a whole number of nanoseconds"),
                row(
                        "run missing",
                        "seed: 3\n",
                        "bad.yaml:1:1: run: required field is missing: give run: {duration: 1s} or"
                                + " run: {until_work_done: {vm: NAME, instructions: N}}"),
                row(
                        "duration and until_work_done",
                        "run: {duration: 1s, until_work_done: {vm: a, instructions: 1}}\n",
                        "bad.yaml:1:6: run: give either duration or until_work_done"),
                row(
                        "time_limit on a fixed run",
                        "run: {duration: 1s, time_limit: 5s}\n",
                        "bad.yaml:1:21: run.time_limit: time_limit goes with until_work_done; a run of fixed"
                                + " duration ends at its duration"),
                row(
                        "work for an unknown VM",
                        "run: {until_work_done: {vm: web, instructions: 1e9}}\n" + "vms: [{name: vm0, vcpus: 1}]\n",
                        "bad.yaml:1:29: run.until_work_done.vm: no VM is named 'web'; VMs: vm0"),
                row(
                        "work for an idle VM",
                        "run: {until_work_done: {vm: vm0, instructions: 1e9}}\n"
                                + "vms: [{name: vm0, vcpus: 1, workload: idle}]\n",
                        "bad.yaml:1:29: run.until_work_done.vm: VM vm0 runs nothing (its workload is idle), so it"
                                + " never retires the instructions the run waits for"),
                row(
                        "unknown partition trap set",
                        RUN + "host: {kvm: {partition_fgt: v5}}\n",
                        "bad.yaml:2:29: host.kvm.partition_fgt: expected one of v1, v8, got 'v5'"),
                row(
                        "unknown host.kvm field",
                        RUN + "host:\n  kvm: {partition_fgts: v1}\n",
                        "bad.yaml:3:9: host.kvm.partition_fgts: unknown field 'partition_fgts'; known fields:"
                                + " partition_fgt"),
                row(
                        "unknown SoC",
                        RUN + "host: {soc: rk3399}\n",
                        "bad.yaml:2:13: host.soc: unknown SoC 'rk3399'; known: rk3588, sm8550, sm8650, tensor-g3,"
                                + " dimensity-9300, ampere-altra, graviton3, generic"),
                row(
                        "unknown CPU",
                        RUN + "host:\n  cpus: [{core: cortex-a99, count: 4}]\n",
                        "bad.yaml:3:17: host.cpus[0].core: unknown CPU 'cortex-a99'; known: cortex-a35, cortex-a53,"
                                + " cortex-a57, cortex-a72, cortex-a55, cortex-a76, cortex-a77, cortex-a78,"
                                + " cortex-a78ae, cortex-x1, neoverse-n1, a64fx, neoverse-v1, ampereone, cortex-a510,"
                                + " cortex-a710, cortex-a715, cortex-x3, neoverse-n2, neoverse-v2, cortex-a520,"
                                + " cortex-a720, cortex-x4, neoverse-v3, neoverse-v3ae"),
                row(
                        "soc and cpus",
                        RUN + "host: {soc: rk3588, cpus: [{core: cortex-a55, count: 1}]}\n",
                        "bad.yaml:2:21: host.cpus: give soc or cpus, not both"),
                row(
                        "firmware with a catalog SoC",
                        RUN + "host: {soc: rk3588, firmware: acpi}\n",
                        "bad.yaml:2:21: host.firmware: firmware goes with cpus; a catalog SoC has its own"),
                row(
                        "override of a core the host lacks",
                        RUN + "host:\n  soc: rk3588\n" + "  cpu_overrides: {neoverse-n1: {n: 8}}\n",
                        "bad.yaml:4:19: host.cpu_overrides.neoverse-n1: this host has no neoverse-n1 core; its"
                                + " cores: cortex-a55, cortex-a76"),
                row(
                        "impossible counter count",
                        RUN + "host:\n  soc: rk3588\n" + "  cpu_overrides: {cortex-a76: {n: 32}}\n",
                        "bad.yaml:4:35: host.cpu_overrides.cortex-a76.n: PMCR_EL0.N is 0..31, was 32"),
                row(
                        "unknown PMU version",
                        RUN + "host:\n  soc: rk3588\n" + "  cpu_overrides: {cortex-a76: {pmu_version: p6}}\n",
                        "bad.yaml:4:45: host.cpu_overrides.cortex-a76.pmu_version: unknown PMU version 'p6';"
                                + " known: v3, p1, p4, p5, p7, p8, p9"),
                row(
                        "HZ not a kernel choice",
                        RUN + "host: {hz: 200}\n",
                        "bad.yaml:2:12: host.hz: must be one of 100, 250, 300, 1000 (the CONFIG_HZ choices),"
                                + " was 200"),
                row(
                        "zero mux interval",
                        RUN + "host: {mux_interval: 0ms}\n",
                        "bad.yaml:2:22: host.mux_interval: must be longer than 0"),
                row(
                        "CPU out of range",
                        RUN + "host: {soc: rk3588}\nvms: [{name: vm0, vcpus: 1," + " placement: {cpus: [2, 8]}}]\n",
                        "bad.yaml:3:51: vms[0].placement.cpus[1]: CPU 8 is out of range: the host has 8 CPUs (0-7)"),
                row(
                        "range that runs backwards",
                        RUN + "vms: [{name: vm0, vcpus: 1, placement: {cpus: 3-1}}]\n",
                        "bad.yaml:2:47: vms[0].placement.cpus: the range 3-1 runs backwards"),
                row(
                        "not a CPU list",
                        RUN + "vms: [{name: vm0, vcpus: 1, placement: {cpus: big}}]\n",
                        "bad.yaml:2:47: vms[0].placement.cpus: expected all, a CPU number, a range such as 0-3, or"
                                + " a list of them; got 'big'"),
                row(
                        "duplicate VM name",
                        RUN + "vms:\n  - {name: vm0, vcpus: 1}\n  - {name: vm0, vcpus: 2}\n",
                        "bad.yaml:4:12: vms[1].name: the name 'vm0' is already used by a host task or VM at line 3,"
                                + " column 12"),
                row(
                        "bad name",
                        RUN + "vms: [{name: 'my vm', vcpus: 1}]\n",
                        "bad.yaml:2:14: vms[0].name: a name is letters, digits, '.', '_' and '-', starting with a"
                                + " letter or digit; got 'my vm'"),
                row(
                        "unknown guest OS",
                        RUN + "vms: [{name: vm0, vcpus: 1, guest_os: freebsd}]\n",
                        "bad.yaml:2:39: vms[0].guest_os: expected one of linux, windows, got 'freebsd'"),
                row(
                        "nr_counters beyond the host PMU",
                        RUN + "host: {soc: rk3588}\n" + "vms: [{name: vm0, vcpus: 1, nr_counters: 7}]\n",
                        "bad.yaml:3:42: vms[0].nr_counters: must be 0..6 (the most event counters a PMU of this"
                                + " host has), was 7"),
                row(
                        "migrate while pinned",
                        RUN + "vms:\n  - name: vm0\n    vcpus: 1\n"
                                + "    placement: {cpus: [0], pinned: true, migrate: {every: 10ms}}\n",
                        "bad.yaml:5:42: vms[0].placement.migrate: a pinned vCPU does not migrate: drop migrate or"
                                + " set pinned: false"),
                row(
                        "across core types on one core type",
                        RUN + "host: {soc: rk3588}\nvms:\n  - name: vm0\n"
                                + "    vcpus: 1\n    placement: {cpus: 0-3, migrate: {every: 1ms, across_core_types: true}}\n",
                        "bad.yaml:6:69: vms[0].placement.migrate.across_core_types: needs CPUs of two core types in"
                                + " placement.cpus; they are all cortex-a55"),
                row(
                        "unknown event",
                        RUN + "vms:\n  - name: vm0\n    vcpus: 1\n"
                                + "    pmu_usage: {kind: perf-stat, events: [cycles, cyclez]}\n",
                        "bad.yaml:5:51: vms[0].pmu_usage.events[1]: unknown event 'cyclez'; write a perf name"
                                + " (cycles, instructions, branch-misses, ...), an Arm name (cpu_cycles, inst_retired,"
                                + " l1d_cache_refill, ...) or a raw number (0x11); docs/scenarios.md lists them"),
                row(
                        "decimal raw event",
                        RUN + "vms:\n  - name: vm0\n    vcpus: 1\n"
                                + "    pmu_usage: {kind: perf-stat, events: [17]}\n",
                        "bad.yaml:5:43: vms[0].pmu_usage.events[0]: unknown event '17'; raw event numbers are"
                                + " written in hex, as perf does: 0x17 or r17"),
                row(
                        "event number over 16 bits",
                        RUN + "vms:\n  - name: vm0\n    vcpus: 1\n"
                                + "    pmu_usage: {kind: perf-stat, events: [0x10000]}\n",
                        "bad.yaml:5:43: vms[0].pmu_usage.events[0]: event number 0x10000 is too large: PMUv3 event"
                                + " numbers are 16 bits (at most 0xffff)"),
                row(
                        "usage without events",
                        RUN + "vms: [{name: vm0, vcpus: 1, pmu_usage: perf-record}]\n",
                        "bad.yaml:2:40: vms[0].pmu_usage: needs at least one event: give events or groups"),
                row(
                        "unknown usage kind",
                        RUN + "vms: [{name: vm0, vcpus: 1, pmu_usage: {kind: perf-top}}]\n",
                        "bad.yaml:2:47: vms[0].pmu_usage.kind: unknown PMU usage kind 'perf-top'; known: perf-stat,"
                                + " perf-record, nmi-watchdog, windows-cycle-tick, greedy, brbe, idle"),
                row(
                        "Linux behaviour on a Windows guest",
                        RUN + "vms:\n  - name: win\n    vcpus: 1\n"
                                + "    guest_os: windows\n    pmu_usage: {kind: perf-stat, events: [cycles]}\n",
                        "bad.yaml:6:16: vms[0].pmu_usage: perf-stat is a Linux guest behaviour; this VM's guest_os"
                                + " is windows"),
                row(
                        "idle combined with another usage",
                        RUN + "vms: [{name: vm0, vcpus: 1," + " pmu_usage: [idle, nmi-watchdog]}]\n",
                        "bad.yaml:2:41: vms[0].pmu_usage: idle means the guest never touches its PMU; it cannot be"
                                + " combined with nmi-watchdog"),
                row(
                        "usage listed twice",
                        RUN + "vms: [{name: vm0, vcpus: 1,"
                                + " pmu_usage: [nmi-watchdog, {kind: nmi-watchdog, thresh: 5s}]}]\n",
                        "bad.yaml:2:55: vms[0].pmu_usage[1]: nmi-watchdog is already listed at line 2, column 41"),
                row(
                        "usage on a VM without a PMU",
                        RUN + "vms: [{name: vm0, vcpus: 1, pmu: false," + " pmu_usage: nmi-watchdog}]\n",
                        "bad.yaml:2:52: vms[0].pmu_usage: the VM has no PMU (pmu: false), so its guest cannot use"
                                + " one"),
                row(
                        "frequency and period",
                        RUN + "vms:\n  - name: vm0\n    vcpus: 1\n"
                                + "    pmu_usage: {kind: perf-record, events: [cycles], frequency: 99, period: 1000}\n",
                        "bad.yaml:5:69: vms[0].pmu_usage.period: give frequency or period, not both"),
                row(
                        "frequency above the kernel's maximum",
                        RUN + "vms:\n  - name: vm0\n    vcpus: 1\n"
                                + "    pmu_usage: {kind: perf-record, events: [cycles], frequency: 200000}\n",
                        "bad.yaml:5:65: vms[0].pmu_usage.frequency: must be at most 100000 Hz"
                                + " (kernel.perf_event_max_sample_rate's default), was 200000"),
                row(
                        "unknown workload profile",
                        RUN + "vms: [{name: vm0, vcpus: 1, workload: gzip}]\n",
                        "bad.yaml:2:39: vms[0].workload: unknown workload profile 'gzip'; known: cpu-bound,"
                                + " compression, spec-int, stress-ng-cpu, exit-heavy, idle"),
                row(
                        "load above one",
                        RUN + "vms: [{name: vm0, vcpus: 1, workload: {profile: cpu-bound, load: 1.5}}]\n",
                        "bad.yaml:2:66: vms[0].workload.load: must be from 0 to 1, was 1.5"),
                row(
                        "busy idle workload",
                        RUN + "vms: [{name: vm0, vcpus: 1, workload: {profile: idle, load: 0.5}}]\n",
                        "bad.yaml:2:61: vms[0].workload.load: an idle workload has no load; choose another profile"
                                + " for a busy one"),
                row(
                        "one event's rate set twice",
                        RUN + "vms: [{name: vm0, vcpus: 1, workload: {profile: cpu-bound,"
                                + " rates: {cycles: 3e9, cpu_cycles: 2e9}}}]\n",
                        "bad.yaml:2:81: vms[0].workload.rates.cpu_cycles: sets the rate of event 0x0011 again (as"
                                + " cycles)"),
                row(
                        "stat session that samples",
                        RUN + "host_perf:\n  - {name: s, mode: stat, events: [cycles]," + " frequency: 99}\n",
                        "bad.yaml:3:45: host_perf[0].frequency: a stat session counts and does not sample; frequency"
                                + " goes with mode: record"),
                row(
                        "task session of an unknown task",
                        RUN + "host_perf:\n  - {name: s, mode: stat, scope: task," + " task: qemu, events: [cycles]}\n",
                        "bad.yaml:3:46: host_perf[0].task: no host task or VM is named 'qemu'; known: (none)"),
                row(
                        "task session with CPUs",
                        RUN + "vms: [{name: vm0, vcpus: 1}]\nhost_perf:\n  - {name: s, mode:"
                                + " stat, scope: task, task: vm0, cpus: all, events: [cycles]}\n",
                        "bad.yaml:4:51: host_perf[0].cpus: cpus goes with scope: system; a task session follows its"
                                + " task wherever it runs"),
                row(
                        "group larger than the PMU",
                        RUN + "host: {soc: rk3588}\nhost_perf:\n  - name: big\n"
                                + "    mode: stat\n    groups: [[cycles, instructions, branches, branch-misses,"
                                + " l1d_cache, l1d_cache_refill, l2d_cache, l2d_cache_refill]]\n",
                        "bad.yaml:6:14: host_perf[0].groups[0]: a group of 8 events cannot fit these CPUs' PMU (6"
                                + " event counters and the cycle counter), so perf_event_open would refuse it; split"
                                + " it"),
                row(
                        "session that counts nothing",
                        RUN + "host_perf:\n  - {name: s, mode: stat, events: [cycles],"
                                + " exclude_guest: true, exclude_host: true}\n",
                        "bad.yaml:3:66: host_perf[0].exclude_host: with both exclude_guest and exclude_host the"
                                + " session counts nothing"),
                row(
                        "session stopping before it starts",
                        RUN + "host_perf:\n  - {name: s, mode: stat, events:" + " [cycles], start: 1s, stop: 500ms}\n",
                        "bad.yaml:3:62: host_perf[0].stop: stops at 500ms, not after it starts (1s)"),
                row(
                        "duplicate session name",
                        RUN + "host_perf:\n  - {name: s, mode: stat, events: [cycles]}\n"
                                + "  - {name: s, mode: stat, events: [instructions]}\n",
                        "bad.yaml:4:12: host_perf[1].name: a host perf session named 's' is already defined at line"
                                + " 3, column 12"),
                row(
                        "unknown policy kind",
                        RUN + "policies: {allocatoin: emulated}\n",
                        "bad.yaml:2:12: policies.allocatoin: unknown policy kind 'allocatoin'; known: allocation,"
                                + " selection, filter"),
                row(
                        "list of selection policies",
                        RUN + "policies: {selection: [default-pmu, set-pmu]}\n",
                        "bad.yaml:2:23: policies.selection: only allocation may list several policies to compare;"
                                + " selection takes one"),
                row(
                        "list of filter policies",
                        RUN + "policies:\n  filter: [a, b]\n",
                        "bad.yaml:3:11: policies.filter: only allocation may list several policies to compare;"
                                + " filter takes one"),
                row(
                        "allocation policy listed twice",
                        RUN + "policies:\n  allocation: [emulated, static-hpmn," + " emulated]\n",
                        "bad.yaml:3:39: policies.allocation[2]: emulated is already listed at line 3, column 16"),
                row(
                        "setting that is a mapping",
                        RUN + "policies:\n  allocation: {name: p, settings: {x: {y: 1}}}\n",
                        "bad.yaml:3:39: policies.allocation.settings.x: a setting is a scalar or a list of scalars,"
                                + " not a mapping"),
                row(
                        "admin write after the end",
                        RUN + "admin_writes: [{at: 2s, knob: reserved_host_counters," + " value: 1}]\n",
                        "bad.yaml:2:21: admin_writes[0].at: at 2s is not before the end of the run (2s)"),
                row(
                        "admin write of a bad knob",
                        RUN + "admin_writes: [{at: 1s, knob: Reserved, value: 1}]\n",
                        "bad.yaml:2:31: admin_writes[0].knob: a knob is a sysfs file name: lower-case letters,"
                                + " digits and '_', starting with a letter; got 'Reserved'"),
                row(
                        "unknown cost",
                        RUN + "costs: {C99: 5}\n",
                        "bad.yaml:2:9: costs.C99: unknown cost 'C99'; write an id of perf-core-and-costs.md §8 (C1,"
                                + " C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13, C14, C16, C17, C18, C19, C20,"
                                + " C21, C22, C23, C24) or a name such as PERF_EVENT_CREATE"),
                row(
                        "the rotation interval as a cost",
                        RUN + "costs: {C15: 1000}\n",
                        "bad.yaml:2:9: costs.C15: C15, the rotation interval, is not a cost here: set"
                                + " host.mux_interval"),
                row(
                        "cost set twice",
                        RUN + "costs: {C9: 4000, perf_event_create: 3000}\n",
                        "bad.yaml:2:19: costs.perf_event_create: C9 (PERF_EVENT_CREATE) is already set at line 2,"
                                + " column 9"),
                row(
                        "per-unit part of a cost without one",
                        RUN + "costs: {C1: {base: 400, per_unit: 10}}\n",
                        "bad.yaml:2:25: costs.C1.per_unit: C1 (TRAP_SYSREG_EMULATION) has no per-unit part; only"
                                + " C12 and C14 do"),
                row("negative cost", RUN + "costs: {C2: -5}\n", "bad.yaml:2:13: costs.C2: must be at least 0, was -5"),
                row(
                        "BRBE on a host without it",
                        RUN + "host: {cpus: [{core: neoverse-n2, count: 2}]}\nvms:\n"
                                + "  - name: vm0\n    vcpus: 1\n"
                                + "    pmu_usage: [nmi-watchdog, {kind: brbe, events: [cycles], frequency: 1000}]\n",
                        "bad.yaml:6:31: vms[0].pmu_usage[1]: brbe needs FEAT_BRBE on every CPU the VM can run on;"
                                + " neoverse-n2 has none (catalog cores with it: neoverse-v3, neoverse-v3ae)"));
    }

    private static Arguments row(String kind, String yaml, String message) {
        return Arguments.of(kind, yaml, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void isRefusedWithFileLineColumnFieldAndReason(String kind, String yaml, String message) {
        assertThatThrownBy(() -> ScenarioLoader.load("bad.yaml", yaml))
                .isInstanceOf(ScenarioException.class)
                .hasMessage(message);
    }

    @Test
    void thereAreAtLeastTwentyFiveKinds() {
        assertThat(malformed().count()).isGreaterThanOrEqualTo(25);
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        String yaml = """
                name: many problems
                run: {duration: 1s}
                host: {soc: nope}
                vms:
                  - {name: vm0, vcpus: 0, guest_os: beos}
                  - {name: vm0, vcpus: 1, placement: {cpus: 99999}}
                policies: {selection: [a, b], sorting: x}
                costs: {C0: 1}
                """;
        assertThatThrownBy(() -> ScenarioLoader.load("many.yaml", yaml))
                .isInstanceOf(ScenarioException.class)
                .satisfies(e -> assertThat(((ScenarioException) e).problems()).hasSize(9))
                .hasMessage(String.join(
                        "\n",
                        "many.yaml:1:7: name: a name is letters, digits, '.', '_' and '-', starting with a letter or"
                                + " digit; got 'many problems'",
                        "many.yaml:3:13: host.soc: unknown SoC 'nope'; known: rk3588, sm8550, sm8650, tensor-g3,"
                                + " dimensity-9300, ampere-altra, graviton3, generic",
                        "many.yaml:5:24: vms[0].vcpus: a VM needs at least 1 vCPU, was 0",
                        "many.yaml:5:37: vms[0].guest_os: expected one of linux, windows, got 'beos'",
                        "many.yaml:6:12: vms[1].name: the name 'vm0' is already used by a host task or VM at line 5,"
                                + " column 12",
                        "many.yaml:6:45: vms[1].placement.cpus: CPU 99999 is beyond any host (at most 4096 CPUs)",
                        "many.yaml:7:23: policies.selection: only allocation may list several policies to compare;"
                                + " selection takes one",
                        "many.yaml:7:31: policies.sorting: unknown policy kind 'sorting'; known: allocation,"
                                + " selection, filter",
                        "many.yaml:8:9: costs.C0: unknown cost 'C0'; write an id of perf-core-and-costs.md §8 (C1,"
                                + " C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13, C14, C16, C17, C18, C19, C20,"
                                + " C21, C22, C23, C24) or a name such as PERF_EVENT_CREATE"));
    }
}
