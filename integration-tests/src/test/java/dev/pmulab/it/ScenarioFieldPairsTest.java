package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.report.ComparisonReport;
import dev.pmulab.sim.report.ReportFormat;
import dev.pmulab.sim.report.ReportWriter;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioFields;
import dev.pmulab.sim.scenario.ScenarioLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No scenario field is accepted and then ignored: for every field the reader accepts
 * ({@link ScenarioFields#accepted()}) a pair of small scenarios that differ in that field (and, where
 * the format requires it, in what the field needs beside it, such as a task session's {@code task})
 * gives different results, as {@code pmulab run --format csv} prints them with the scenario's name
 * and seed left out; or the field is one of the few that cannot change a metric, with its reason. A
 * field added to a reader without a pair here fails {@link #everyAcceptedFieldHasAPairOrAReason}.
 *
 * <p>Each scenario is tiny (tens of ms, one or two vCPUs, one policy) so the whole test runs in a
 * few seconds.
 */
final class ScenarioFieldPairsTest {
    /** Fields no metric can depend on, and why. */
    static final Map<String, String> CANNOT_CHANGE_A_METRIC = Map.of(
            "name", "the scenario's name labels the report; no metric reads it",
            "description", "one line for the reader of the file and the report",
            "vms[].name", "a label that run.until_work_done and host_perf[].task refer to (their pairs show those)",
            "host_tasks[].name", "a label that host_perf[].task refers to (its pair shows that)",
            "host_perf[].name", "a label of the session; no metric is per session",
            "host.firmware",
                    "names the host's PMUs (armv8_cortex_a76 from the device tree, or armv8_pmuv3_N under"
                            + " ACPI), a name a policy setting may refer to; the PMUs and what they count are the same",
            "vms[].guest_os",
                    "decides which usages a VM may list (a Linux behaviour in a Windows guest is refused);"
                            + " with the same usage (idle, greedy) a Linux and a Windows guest do the same",
            "host.cpu_overrides.<core>.brbe",
                    "FEAT_BRBE only lets a brbe usage run on the core (without it the"
                            + " scenario is refused); the brbe usage's own pairs show what BRBE changes");

    private static final String RUN = "run: {duration: 20ms}\n";
    /**
     * Two Neoverse-N2; host interrupts are irq time (IRQ_TIME_ACCOUNTING), so the host's own
     * sampling and re-tuning on a vCPU's CPU show in {@code host.irq_pct} rather than vanishing into
     * guest time.
     */
    private static final String N2_OPEN = "host: {cpus: [{core: neoverse-n2, count: 2}], cputime_accounting: irq-time";

    private static final String N2 = N2_OPEN + "}\n";
    private static final String EMULATED = "policies: {allocation: emulated}\n";
    private static final String STAT = "pmu_usage: {kind: perf-stat, events: [cycles, instructions]}";
    private static final String STAT4 =
            "pmu_usage: {kind: perf-stat, events: [cycles, instructions, l1d_cache," + " br_mis_pred]}";
    private static final String FAST = "workload: {profile: cpu-bound, rates: {cycles: 2.5e11, instructions: 1e11}}";
    /** Eight host events on a 6-counter PMU: the host multiplexes. */
    private static final String HOST8 = "[cycles, instructions, l1d_cache, br_mis_pred, l1d_cache_refill, l2d_cache,"
            + " stall_backend, stall_frontend]";

    /** One VM with {@code fields}, its vCPU pinned on CPU 0. */
    private static String vm(String fields) {
        return "vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [0], pinned: true}, " + fields + "}\n";
    }

    /** A 2-vCPU VM with {@code fields} on CPUs 0 and 1. */
    private static String vm2(String fields) {
        return "vms:\n  - {name: vm0, vcpus: 2, placement: {cpus: [0, 1], pinned: true}, " + fields + "}\n";
    }

    /** The usual tiny scenario: 20 ms on two Neoverse-N2, {@code vms} and {@code more}, the emulated vPMU. */
    private static String base(String vms, String more) {
        return RUN + N2 + vms + more + (more.contains("policies:") ? "" : EMULATED);
    }

    private static final class Pairs {
        final Map<String, String[]> byField = new LinkedHashMap<>();

        Pairs add(String field, String a, String b) {
            if (byField.put(field, new String[] {a, b}) != null) {
                throw new IllegalStateException("two pairs for " + field);
            }
            return this;
        }

        /** A pair that differs in one VM's fields. */
        Pairs vmField(String field, String a, String b) {
            return add(field, base(vm(a), ""), base(vm(b), ""));
        }
    }

    static Map<String, String[]> pairs() {
        Pairs p = new Pairs();
        // Top level.
        String rk = "host: {soc: rk3588}\n";
        String migrating =
                "vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: all, migrate: {every: 1ms}}, " + STAT + "}\n";
        p.add("seed", "seed: 1\n" + RUN + rk + migrating + EMULATED, "seed: 2\n" + RUN + rk + migrating + EMULATED);
        p.add("run", "run: {duration: 10ms}\n" + N2 + vm(STAT) + EMULATED, base(vm(STAT), ""));
        // Two vCPUs share CPU 0, preempted at 1 ms ticks once EEVDF's slice is used: 2.8 ms on 8 CPUs
        // (the generic host), 1.4 ms on 2.
        String shareCpu0 = "vms:\n  - {name: vm0, vcpus: 2, placement: {cpus: [0]}, " + STAT + "}\n";
        p.add(
                "host",
                RUN + "host: {hz: 1000}\n" + shareCpu0 + EMULATED,
                RUN + N2_OPEN + ", hz: 1000}\n" + shareCpu0 + EMULATED);
        p.add(
                "host_perf",
                base(vm(STAT), ""),
                base(vm(STAT), "host_perf: [{name: s, mode: stat, cpus: [0], events: " + HOST8 + "}]\n"));
        p.add(
                "host_tasks",
                base(vm(STAT), ""),
                base(vm(STAT), "host_tasks: [{name: t, cpus: [0], workload: cpu-bound}]\n"));
        p.add("vms", base("", ""), base(vm(STAT), ""));
        p.add("policies", base(vm(STAT), ""), base(vm(STAT), "policies: {allocation: static-hpmn}\n"));
        String sysfs = "policies: {allocation: sysfs-writable}\n";
        p.add(
                "admin_writes",
                base(vm(STAT4), sysfs),
                base(vm(STAT4), sysfs + "admin_writes: [{at: 5ms, knob: reserved_host_counters, value: 2}]\n"));
        p.add("costs", base(vm(STAT), ""), base(vm(STAT), "costs: {C1: 5000}\n"));

        // run
        p.add("run.duration", "run: {duration: 10ms}\n" + N2 + vm(STAT) + EMULATED, base(vm(STAT), ""));
        p.add(
                "run.until_work_done",
                base(vm(STAT), ""),
                "run: {until_work_done: {vm: vm0, instructions: 3e7}}\n" + N2 + vm(STAT) + EMULATED);
        String slowAndFast = "vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [0], pinned: true}, " + STAT + "}\n"
                + "  - {name: vm1, vcpus: 1, placement: {cpus: [1], pinned: true}, " + STAT
                + ", workload: {profile: cpu-bound, rates: {instructions: 1e9}}}\n";
        p.add(
                "run.until_work_done.vm",
                "run: {until_work_done: {vm: vm0, instructions: 3e7}}\n" + N2 + slowAndFast + EMULATED,
                "run: {until_work_done: {vm: vm1, instructions: 3e7}}\n" + N2 + slowAndFast + EMULATED);
        p.add(
                "run.until_work_done.instructions",
                "run: {until_work_done: {vm: vm0, instructions: 3e7}}\n" + N2 + vm(STAT) + EMULATED,
                "run: {until_work_done: {vm: vm0, instructions: 6e7}}\n" + N2 + vm(STAT) + EMULATED);
        // Work it cannot finish: the run stops at its limit, reported unfinished.
        p.add(
                "run.time_limit",
                "run: {until_work_done: {vm: vm0, instructions: 1e12}, time_limit: 10ms}\n" + N2 + vm(STAT) + EMULATED,
                "run: {until_work_done: {vm: vm0, instructions: 1e12}, time_limit: 20ms}\n" + N2 + vm(STAT) + EMULATED);

        // host
        // KVM's default PMU is that of the CPU the VMM initialised the vCPU on (CPU 0); on rk3588 that
        // is an A55's, whose events do not count on CPU 4, an A76.
        String onCpu4 =
                "vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [4], pinned: true, init_cpu: 0}, " + STAT + "}\n";
        p.add("host.soc", RUN + "host: {soc: generic}\n" + onCpu4 + EMULATED, RUN + rk + onCpu4 + EMULATED);
        // STALL is a PMUv3p5 event: a Neoverse-N2 counts it, a Cortex-A76 (PMUv3p1) does not; -I reads it.
        String stall = vm("pmu_usage: {kind: perf-stat, interval: 10ms, events: [stall]}");
        p.add("host.cpus", base(stall, ""), RUN + "host: {cpus: [{core: cortex-a76, count: 2}]}\n" + stall + EMULATED);
        p.add(
                "host.cpu_overrides",
                base(vm(STAT4), ""),
                RUN + N2_OPEN + "," + " cpu_overrides: {neoverse-n2: {n: 2}}}\n" + vm(STAT4) + EMULATED);
        String hpmn = "policies: {allocation: static-hpmn}\n";
        p.add("host.vhe", base(vm(STAT4), ""), RUN + N2_OPEN + ", vhe: false}\n" + vm(STAT4) + EMULATED);
        String record = "pmu_usage: {kind: perf-record, events: [instructions], frequency: 1000}";
        // The host re-tunes its frequency-mode event at every one of its ticks.
        String hostFreq = "host_perf: [{name: r, mode: record, cpus: [0], frequency: 1000, events: [cycles]}]\n";
        p.add("host.hz", base(vm(STAT), hostFreq), RUN + N2_OPEN + ", hz: 1000}\n" + vm(STAT) + hostFreq + EMULATED);
        String hostMux = "host_perf: [{name: s, mode: stat, cpus: [0], events: " + HOST8 + "}]\n";
        p.add(
                "host.mux_interval",
                RUN + N2_OPEN + ", mux_interval: 1ms}\n" + vm(STAT) + hostMux + EMULATED,
                RUN + N2_OPEN + ", mux_interval: 2ms}\n" + vm(STAT) + hostMux + EMULATED);
        p.add(
                "host.nmi_watchdog",
                base(vm(STAT), ""),
                RUN + N2_OPEN + "," + " nmi_watchdog: true}\n" + vm(STAT) + EMULATED);
        // 3 GHz x thresh cycles at 2.5e11 a second, armed 2^31 at a time: 1 s elapses at 12 ms, 60 s not.
        String wd =
                "run: {duration: 15ms}\nhost: {cpus: [{core: neoverse-n2, count: 2}], cputime_accounting: irq-time, nmi_watchdog: true,"
                        + " watchdog_thresh: ";
        p.add(
                "host.watchdog_thresh",
                wd + "1s}\n" + vm(STAT + ", " + FAST) + EMULATED,
                wd + "60s}\n" + vm(STAT + ", " + FAST) + EMULATED);
        String ampere = "host: {cpus: [{core: ampereone, count: 2}]";
        // The guest's PMU interrupts reach the host first: guest time or irq time on that CPU.
        String sampled4k = "pmu_usage: {kind: perf-record, events: [instructions], frequency: 4000}";
        p.add(
                "host.cputime_accounting",
                RUN + "host: {cpus: [{core: neoverse-n2, count: 2}], cputime_accounting:" + " tick}\n" + vm(sampled4k)
                        + EMULATED,
                RUN + "host: {cpus: [{core: neoverse-n2, count: 2}]," + " cputime_accounting: irq-time}\n"
                        + vm(sampled4k) + EMULATED);
        p.vmField(
                "vms[].cputime_accounting",
                sampled4k + ", cputime_accounting: tick",
                sampled4k + ", cputime_accounting: irq-time");
        // perf record -F 4000 opened at 1000 Hz under a guest rate of 1000. At 1 % of CPU time the
        // emulated vPMU's handlers (about ten traps each, over 10 us) pass the 100 ns allowed, and
        // as their running average (biased low over its first 128) climbs perf_sample_event_took
        // cuts max_samples_per_tick to the 40 us budget of a tick over 1.25 averages: soon below -F
        // 4000's 16 a tick. At 25 % the budget is 1 ms a tick and 2.5 us allowed: never below 16.
        p.vmField("vms[].sysctl", sampled4k, sampled4k + ", sysctl: {perf_event_max_sample_rate: 1000}");
        p.vmField(
                "vms[].sysctl.perf_event_max_sample_rate",
                sampled4k + ", sysctl: {perf_event_max_sample_rate: 100000}",
                sampled4k + ", sysctl: {perf_event_max_sample_rate: 1000}");
        p.vmField(
                "vms[].sysctl.perf_cpu_time_max_percent",
                sampled4k + ", sysctl: {perf_cpu_time_max_percent: 25}",
                sampled4k + ", sysctl: {perf_cpu_time_max_percent: 1}");
        p.add(
                "host.kvm",
                RUN + ampere + "}\n" + vm(STAT4) + hpmn,
                RUN + ampere + ", kvm: {partition_fgt: v1}}\n" + vm(STAT4) + hpmn);
        p.add(
                "host.kvm.partition_fgt",
                RUN + ampere + ", kvm: {partition_fgt: v8}}\n" + vm(STAT4) + hpmn,
                RUN + ampere + ", kvm: {partition_fgt: v1}}\n" + vm(STAT4) + hpmn);
        p.add(
                "host.cpus[].core",
                base(stall, ""),
                RUN + "host: {cpus: [{core: cortex-a76, count: 2}]}\n" + stall + EMULATED);
        String twoVcpus = "vms:\n  - {name: vm0, vcpus: 2, " + STAT + "}\n";
        p.add(
                "host.cpus[].count",
                RUN + "host: {cpus: [{core: neoverse-n2, count: 1}]}\n" + twoVcpus + EMULATED,
                RUN + N2 + twoVcpus + EMULATED);
        String onA76 =
                "vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [4], pinned: true, init_cpu: 4}, " + STAT4 + "}\n";
        p.add(
                "host.cpu_overrides.<core>",
                RUN + "host: {soc: rk3588, cpu_overrides: {cortex-a55: {n: 2}}}\n" + onA76 + EMULATED,
                RUN + "host: {soc: rk3588, cpu_overrides: {cortex-a76: {n: 2}}}\n" + onA76 + EMULATED);
        p.add(
                "host.cpu_overrides.<core>.n",
                RUN + "host: {soc: rk3588, cpu_overrides: {cortex-a76: {n: 2}}}\n" + onA76 + EMULATED,
                RUN + "host: {soc: rk3588, cpu_overrides: {cortex-a76: {n: 4}}}\n" + onA76 + EMULATED);
        // INST_SPEC is a PMUv3p1 event: a PMUv3 core does not count it, and perf stat -I reads it.
        String spec = "vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [4], pinned: true, init_cpu: 4}, pmu_usage:"
                + " {kind: perf-stat, interval: 10ms, events: [inst_spec]}}\n";
        p.add(
                "host.cpu_overrides.<core>.pmu_version",
                RUN + "host: {soc: rk3588, cpu_overrides: {cortex-a76:" + " {pmu_version: v3}}}\n" + spec + EMULATED,
                RUN + "host: {soc: rk3588, cpu_overrides: {cortex-a76:" + " {pmu_version: p5}}}\n" + spec + EMULATED);
        p.add(
                "host.cpu_overrides.<core>.fgt",
                RUN + ampere + ", cpu_overrides: {ampereone: {fgt: true}}}\n" + vm(STAT4) + hpmn,
                RUN + ampere + ", cpu_overrides: {ampereone: {fgt: false, hpmn0: false}}}\n" + vm(STAT4) + hpmn);
        String allToHost = "policies: {allocation: {name: static-hpmn, settings: {reserved_host_counters: 6}}}\n";
        p.add(
                "host.cpu_overrides.<core>.hpmn0",
                RUN + ampere + ", cpu_overrides: {ampereone: {hpmn0: true}}}\n" + vm(STAT4) + allToHost,
                RUN + ampere + ", cpu_overrides: {ampereone: {hpmn0: false}}}\n" + vm(STAT4) + allToHost);

        // host_perf
        String hp = "host_perf: [{name: s, ";
        p.add(
                "host_perf[].mode",
                base(vm(STAT), hp + "mode: stat, events: [cycles]}]\n"),
                base(vm(STAT), hp + "mode: record, events: [cycles]}]\n"));
        p.add(
                "host_perf[].scope",
                base(vm(STAT4), hp + "mode: stat, scope: system, events: " + HOST8 + "}]\n"),
                base(vm(STAT4), hp + "mode: stat, scope: task, task: vm0, events: " + HOST8 + "}]\n"));
        p.add(
                "host_perf[].cpus",
                base(vm(STAT4), hp + "mode: stat, cpus: [0], events: " + HOST8 + "}]\n"),
                base(vm(STAT4), hp + "mode: stat, cpus: [1], events: " + HOST8 + "}]\n"));
        String task = "host_tasks: [{name: t, cpus: [1], workload: cpu-bound}]\n";
        p.add(
                "host_perf[].task",
                base(vm(STAT), task + hp + "mode: record, scope: task, task: t, events:" + " [cycles]}]\n"),
                base(vm(STAT), task + hp + "mode: record, scope: task, task: vm0, events:" + " [cycles]}]\n"));
        p.add(
                "host_perf[].events",
                base(vm(STAT4), hp + "mode: stat, cpus: [0], events: [cycles]}]\n"),
                base(vm(STAT4), hp + "mode: stat, cpus: [0], events: " + HOST8 + "}]\n"));
        p.add(
                "host_perf[].groups",
                base(
                        vm(STAT),
                        hp + "mode: stat, cpus: [0], groups: [[instructions, l1d_cache,"
                                + " br_mis_pred, l1d_cache_refill]]}]\n"),
                base(
                        vm(STAT),
                        hp + "mode: stat, cpus: [0], groups:"
                                + " [[instructions, l1d_cache, br_mis_pred, l1d_cache_refill], [l2d_cache, stall_backend,"
                                + " stall_frontend, inst_spec]]}]\n"));
        String six = "[instructions, l1d_cache, br_mis_pred, l1d_cache_refill, l2d_cache, stall_backend]";
        p.add(
                "host_perf[].pinned",
                base(vm(STAT4), hp + "mode: stat, cpus: [0], pinned: false, events: " + six + "}]\n"),
                base(vm(STAT4), hp + "mode: stat, cpus: [0], pinned: true, events: " + six + "}]\n"));
        p.add(
                "host_perf[].frequency",
                base(vm(STAT), hp + "mode: record, cpus: [0], frequency: 1000, events:" + " [cycles]}]\n"),
                base(vm(STAT), hp + "mode: record, cpus: [0], frequency: 4000, events: [cycles]}]\n"));
        p.add(
                "host_perf[].period",
                base(vm(STAT), hp + "mode: record, cpus: [0], period: 1000000, events:" + " [cycles]}]\n"),
                base(vm(STAT), hp + "mode: record, cpus: [0], period: 10000000, events:" + " [cycles]}]\n"));
        p.add(
                "host_perf[].exclude_guest",
                base(vm(STAT), hp + "mode: record, cpus: [0], period: 1000000, events:" + " [cycles]}]\n"),
                base(
                        vm(STAT),
                        hp + "mode: record, cpus: [0], period: 1000000, exclude_guest: true,"
                                + " events: [cycles]}]\n"));
        p.add(
                "host_perf[].exclude_host",
                base(vm(STAT), hp + "mode: record, cpus: [0], period: 1000000, events:" + " [cycles]}]\n"),
                base(
                        vm(STAT),
                        hp + "mode: record, cpus: [0], period: 1000000, exclude_host: true,"
                                + " events: [cycles]}]\n"));
        p.add(
                "host_perf[].start",
                base(vm(STAT), hp + "mode: record, cpus: [0], events: [cycles]}]\n"),
                base(vm(STAT), hp + "mode: record, cpus: [0], start: 10ms, events: [cycles]}]\n"));
        p.add(
                "host_perf[].stop",
                base(vm(STAT), hp + "mode: record, cpus: [0], events: [cycles]}]\n"),
                base(vm(STAT), hp + "mode: record, cpus: [0], stop: 10ms, events: [cycles]}]\n"));

        // host_tasks: beside the vCPU on CPU 0, sampled there every 10^6 instructions.
        String sampled = hp + "mode: record, cpus: [0], period: 1000000, events: [instructions]}]\n";
        String ht = "host_tasks: [{name: t, ";
        p.add(
                "host_tasks[].cpus",
                base(vm(STAT), ht + "cpus: [0], workload: cpu-bound}]\n"),
                base(vm(STAT), ht + "cpus: [1], workload: cpu-bound}]\n"));
        p.add(
                "host_tasks[].workload",
                base(vm(STAT), ht + "cpus: [0], workload: cpu-bound}]\n"),
                base(vm(STAT), ht + "cpus: [0], workload: idle}]\n"));
        p.add(
                "host_tasks[].workload.profile",
                base(vm(STAT), ht + "cpus: [0], workload: {profile: cpu-bound}}]\n" + sampled),
                base(vm(STAT), ht + "cpus: [0], workload: {profile: compression}}]\n" + sampled));
        p.add(
                "host_tasks[].workload.threads",
                base(vm(STAT), ht + "cpus: [0], workload: {profile: cpu-bound," + " threads: 1}}]\n"),
                base(vm(STAT), ht + "cpus: [0], workload: {profile: cpu-bound, threads: 2}}]\n"));
        p.add(
                "host_tasks[].workload.load",
                base(vm(STAT), ht + "cpus: [0], workload: {profile: cpu-bound, load:" + " 1}}]\n"),
                base(vm(STAT), ht + "cpus: [0], workload: {profile: cpu-bound, load: 0.5}}]\n"));
        p.add(
                "host_tasks[].workload.rates",
                base(vm(STAT), ht + "cpus: [0], workload: {profile: cpu-bound}}]\n" + sampled),
                base(
                        vm(STAT),
                        ht + "cpus: [0], workload: {profile: cpu-bound, rates: {instructions:" + " 1e10}}}]\n"
                                + sampled));
        p.add(
                "host_tasks[].workload.rates.<event>",
                base(
                        vm(STAT),
                        ht + "cpus: [0], workload: {profile: cpu-bound," + " rates: {instructions: 1e10}}}]\n"
                                + sampled),
                base(
                        vm(STAT),
                        ht + "cpus: [0], workload: {profile:" + " cpu-bound, rates: {l1d_cache: 1e10}}}]\n" + sampled));

        // vms
        p.add(
                "vms[].vcpus",
                base("vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [0, 1]}, " + STAT + "}\n", ""),
                base("vms:\n  - {name: vm0, vcpus: 2, placement: {cpus: [0, 1]}, " + STAT + "}\n", ""));
        p.vmField("vms[].guest_hz", record + ", guest_hz: 250", record + ", guest_hz: 1000");
        // A VM with a PMU gets the selection policy's SET_PMU, and set-pmu pins it to that PMU's CPUs,
        // where host tasks keep it waiting; a VM without one runs where the scheduler puts it.
        String a76Busy = RUN + rk + "host_tasks: [{name: t, cpus: 4-7, workload: cpu-bound}]\n";
        String setPmu =
                "policies: {allocation: emulated, selection: {name: set-pmu, settings: {pmu: armv8_cortex_a76}}}\n";
        p.add(
                "vms[].pmu",
                a76Busy + "vms: [{name: vm0, vcpus: 1, pmu: true, pmu_usage: idle}]\n" + setPmu,
                a76Busy + "vms: [{name: vm0, vcpus: 1, pmu: false, pmu_usage: idle}]\n" + setPmu);
        p.vmField("vms[].nr_counters", STAT4 + ", nr_counters: 2", STAT4 + ", nr_counters: 4");
        p.add(
                "vms[].partition",
                base(vm(STAT4 + ", partition: true"), hpmn),
                base(vm(STAT4 + ", partition: false"), hpmn));
        String busy0 = "host_tasks: [{name: t, cpus: [0], workload: cpu-bound}]\n";
        p.add(
                "vms[].placement",
                base("vms:\n  - {name: vm0, vcpus: 1, " + STAT + "}\n", busy0),
                base("vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [0]}, " + STAT + "}\n", busy0));
        p.vmField("vms[].pmu_usage", "pmu_usage: idle", STAT);
        p.vmField("vms[].workload", STAT + ", workload: cpu-bound", STAT + ", workload: idle");
        p.add(
                "vms[].placement.cpus",
                base("vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [0]}, " + STAT + "}\n", busy0),
                base("vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [1]}, " + STAT + "}\n", busy0));
        // Pinned, vCPU 1 shares CPU 1 with the task; placed by the scheduler, both go to CPU 0.
        String busy1 = "host_tasks: [{name: t, cpus: [1], workload: cpu-bound}]\n";
        p.add(
                "vms[].placement.pinned",
                base(
                        "vms:\n  - {name: vm0, vcpus: 2, placement: {cpus: [0, 1], pinned:" + " true}, " + STAT + "}\n",
                        busy1),
                base(
                        "vms:\n  - {name: vm0, vcpus: 2, placement: {cpus: [0, 1]," + " pinned: false}, " + STAT
                                + "}\n",
                        busy1));
        p.add(
                "vms[].placement.init_cpu",
                RUN + rk + "vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [4], pinned:" + " true, init_cpu: 0}, "
                        + STAT + "}\n" + EMULATED,
                RUN + rk + onA76.replace(STAT4, STAT) + EMULATED);
        p.add(
                "vms[].placement.migrate",
                base("vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [0, 1]}, " + STAT + "}\n", ""),
                base(
                        "vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [0, 1], migrate: {every: 1ms}}, " + STAT
                                + "}\n",
                        ""));
        p.add(
                "vms[].placement.migrate.every",
                base(
                        "vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [0, 1]," + " migrate: {every: 1ms}}, " + STAT
                                + "}\n",
                        ""),
                base(
                        "vms:\n  - {name: vm0, vcpus: 1, placement:" + " {cpus: [0, 1], migrate: {every: 3ms}}, " + STAT
                                + "}\n",
                        ""));
        p.add(
                "vms[].placement.migrate.across_core_types",
                RUN + rk + "vms:\n  - {name: vm0, vcpus: 1, placement:"
                        + " {cpus: all, migrate: {every: 1ms, across_core_types: false}}, " + STAT + "}\n" + EMULATED,
                RUN + rk + "vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: all, migrate: {every: 1ms,"
                        + " across_core_types: true}}, " + STAT + "}\n" + EMULATED);

        // vms[].pmu_usage, per kind
        String oneThread = ", workload: {profile: cpu-bound, threads: 1}";
        p.vmField("vms[].pmu_usage(perf-stat).kind", "pmu_usage: idle", STAT);
        p.vmField("vms[].pmu_usage(perf-stat).events", "pmu_usage: {kind: perf-stat, events: [cycles]}", STAT);
        p.vmField(
                "vms[].pmu_usage(perf-stat).groups",
                "pmu_usage: {kind: perf-stat, groups: [[instructions," + " l1d_cache]]}",
                "pmu_usage: {kind: perf-stat, groups: [[instructions, l1d_cache, br_mis_pred]]}");
        p.add(
                "vms[].pmu_usage(perf-stat).scope",
                base(
                        vm2("pmu_usage: {kind: perf-stat, scope: task, events: [cycles," + " instructions]}"
                                + oneThread),
                        ""),
                base(
                        vm2("pmu_usage: {kind: perf-stat, scope: system, events:" + " [cycles, instructions]}"
                                + oneThread),
                        ""));
        p.vmField(
                "vms[].pmu_usage(perf-stat).interval",
                STAT,
                "pmu_usage: {kind: perf-stat, interval: 10ms, events:" + " [cycles, instructions]}");
        p.vmField("vms[].pmu_usage(perf-record).kind", "pmu_usage: idle", record);
        p.vmField(
                "vms[].pmu_usage(perf-record).events",
                record,
                "pmu_usage: {kind: perf-record, events: [instructions," + " l1d_cache], frequency: 1000}");
        p.vmField(
                "vms[].pmu_usage(perf-record).groups",
                "pmu_usage: {kind: perf-record, groups: [[instructions]]}",
                "pmu_usage: {kind: perf-record, groups: [[instructions, l1d_cache]]}");
        p.add(
                "vms[].pmu_usage(perf-record).scope",
                base(vm2("pmu_usage: {kind: perf-record, scope: task, events:" + " [instructions]}" + oneThread), ""),
                base(
                        vm2("pmu_usage: {kind: perf-record, scope: system, events:" + " [instructions]}" + oneThread),
                        ""));
        p.vmField("vms[].pmu_usage(perf-record).frequency", record, record.replace("1000", "4000"));
        p.vmField(
                "vms[].pmu_usage(perf-record).period",
                "pmu_usage: {kind: perf-record, events: [instructions], period:" + " 1000000}",
                "pmu_usage: {kind: perf-record, events: [instructions], period: 10000000}");
        p.vmField("vms[].pmu_usage(nmi-watchdog).kind", "pmu_usage: idle", "pmu_usage: nmi-watchdog");
        // 5 GHz x thresh cycles at 2.5e11 a second, armed 2^31 at a time: 1 s elapses at 20 ms, 10 s not.
        p.add(
                "vms[].pmu_usage(nmi-watchdog).thresh",
                "run: {duration: 30ms}\n" + N2 + vm("pmu_usage: {kind:" + " nmi-watchdog, thresh: 1s}, " + FAST)
                        + EMULATED,
                "run: {duration: 30ms}\n" + N2 + vm("pmu_usage:" + " {kind: nmi-watchdog, thresh: 10s}, " + FAST)
                        + EMULATED);
        p.vmField(
                "vms[].pmu_usage(windows-cycle-tick).kind",
                "guest_os: windows, pmu_usage: idle",
                "guest_os: windows, pmu_usage: windows-cycle-tick");
        p.vmField(
                "vms[].pmu_usage(windows-cycle-tick).tick",
                "guest_os: windows, pmu_usage: {kind: windows-cycle-tick," + " tick: 15.625ms}",
                "guest_os: windows, pmu_usage: {kind: windows-cycle-tick, tick: 5ms}");
        p.vmField("vms[].pmu_usage(greedy).kind", "pmu_usage: idle", "pmu_usage: greedy");
        p.vmField(
                "vms[].pmu_usage(greedy).reprogram_every",
                "pmu_usage: {kind: greedy, reprogram_every: 2ms}",
                "pmu_usage: {kind: greedy, reprogram_every: 5ms}");
        // Under trap-and-grow a write above PMCR_EL0.N grows the guest's share; elsewhere it is UNDEFINED.
        String grow = "policies: {allocation: trap-and-grow}\n";
        p.add(
                "vms[].pmu_usage(greedy).asks_for_more",
                base(vm("pmu_usage: {kind: greedy, reprogram_every: 2ms," + " asks_for_more: true}"), grow),
                base(vm("pmu_usage: {kind: greedy, reprogram_every: 2ms," + " asks_for_more: false}"), grow));
        String v3 = "host: {cpus: [{core: neoverse-v3, count: 2}]}\n";
        String hostRecord = "host_perf: [{name: r, mode: record, events: [cycles], frequency: 4000}]\n";
        p.add(
                "vms[].pmu_usage(brbe).kind",
                RUN + v3 + vm("pmu_usage: idle") + EMULATED,
                RUN + v3 + vm("pmu_usage: brbe") + EMULATED);
        p.add(
                "vms[].pmu_usage(brbe).events",
                RUN + v3 + vm("pmu_usage: {kind: brbe, events: [cycles]}") + EMULATED,
                RUN + v3 + vm("pmu_usage: {kind: brbe, events: [instructions]}") + EMULATED);
        p.add(
                "vms[].pmu_usage(brbe).frequency",
                RUN + v3 + vm("pmu_usage: {kind: brbe, frequency: 1000}") + EMULATED,
                RUN + v3 + vm("pmu_usage: {kind: brbe, frequency: 4000}") + EMULATED);
        p.add(
                "vms[].pmu_usage(brbe).period",
                RUN + v3 + vm("pmu_usage: {kind: brbe, period: 1000000}") + EMULATED,
                RUN + v3 + vm("pmu_usage: {kind: brbe, period: 10000000}") + EMULATED);
        p.add(
                "vms[].pmu_usage(brbe).freeze_on_overflow",
                RUN + v3 + vm("pmu_usage: {kind: brbe," + " freeze_on_overflow: true}") + hostRecord + EMULATED,
                RUN + v3 + vm("pmu_usage: {kind: brbe," + " freeze_on_overflow: false}") + hostRecord + EMULATED);
        p.vmField("vms[].pmu_usage(idle).kind", "pmu_usage: {kind: idle}", "pmu_usage: {kind: nmi-watchdog}");

        // vms[].workload: sampled every 10^6 instructions, so their rate shows.
        String sampling = "pmu_usage: {kind: perf-record, events: [instructions], period: 1000000}";
        p.vmField(
                "vms[].workload.profile",
                sampling + ", workload: {profile: cpu-bound}",
                sampling + ", workload: {profile: compression}");
        p.add(
                "vms[].workload.threads",
                base(vm2(STAT + ", workload: {profile: cpu-bound, threads: 1}"), ""),
                base(vm2(STAT + ", workload: {profile: cpu-bound, threads: 2}"), ""));
        p.vmField(
                "vms[].workload.load",
                STAT + ", workload: {profile: cpu-bound, load: 1}",
                STAT + ", workload: {profile: cpu-bound, load: 0.5}");
        p.vmField(
                "vms[].workload.rates",
                sampling + ", workload: {profile: cpu-bound}",
                sampling + ", workload: {profile: cpu-bound, rates: {instructions: 1e9}}");
        p.vmField(
                "vms[].workload.exits_per_second",
                STAT + ", workload: {profile: cpu-bound, exits_per_second: 0}",
                STAT + ", workload: {profile: cpu-bound, exits_per_second: 10000}");
        // 50 (cpu-bound's) against 5000 switches a second: each takes the task-scope perf stat's
        // events off the guest's PMU and back, every access a trap under emulated.
        p.vmField(
                "vms[].workload.context_switches_per_second",
                STAT + ", workload: {profile: cpu-bound}",
                STAT + ", workload: {profile: cpu-bound, context_switches_per_second: 5000}");
        p.vmField(
                "vms[].workload.rates.<event>",
                sampling + ", workload: {profile: cpu-bound, rates: {instructions:" + " 1e9}}",
                sampling + ", workload: {profile: cpu-bound, rates: {l1d_cache: 1e9}}");

        // policies
        p.add(
                "policies.allocation",
                base(vm(STAT), "policies: {allocation: emulated}\n"),
                base(vm(STAT), "policies: {allocation: static-hpmn}\n"));
        String onA76Default =
                "vms:\n  - {name: vm0, vcpus: 1, placement: {cpus: [4], pinned: true, init_cpu: 0}, " + STAT + "}\n";
        p.add(
                "policies.selection",
                RUN + rk + onA76Default + EMULATED,
                RUN + rk + onA76Default + "policies:"
                        + " {allocation: emulated, selection: {name: set-pmu, settings: {pmu: armv8_cortex_a76}}}\n");
        p.add(
                "policies.filter",
                base(vm(STAT), ""),
                base(
                        vm(STAT),
                        "policies: {allocation: emulated, filter: {name:"
                                + " event-filter, settings: {filters: 'deny:0x08'}}}\n"));
        p.add(
                "policies.<kind>.name",
                base(vm(STAT), "policies: {allocation: {name: emulated}}\n"),
                base(vm(STAT), "policies: {allocation: {name: static-hpmn}}\n"));
        p.add(
                "policies.<kind>.settings",
                base(vm(STAT4), "policies: {allocation: {name: static-hpmn}}\n"),
                base(
                        vm(STAT4),
                        "policies: {allocation: {name: static-hpmn, settings: {reserved_host_counters: 4}}}\n"));
        p.add(
                "policies.<kind>.settings.<setting>",
                base(
                        vm(STAT4),
                        "policies: {allocation: {name: static-hpmn," + " settings: {reserved_host_counters: 2}}}\n"),
                base(
                        vm(STAT4),
                        "policies: {allocation: {name:" + " static-hpmn, settings: {reserved_host_counters: 4}}}\n"));

        // admin_writes, under the policy whose sysfs file they write
        String aw = sysfs + "admin_writes: [{";
        p.add(
                "admin_writes[].at",
                base(vm(STAT4), aw + "at: 5ms, knob: reserved_host_counters, value: 2}]\n"),
                base(vm(STAT4), aw + "at: 15ms, knob: reserved_host_counters, value: 2}]\n"));
        p.add(
                "admin_writes[].knob",
                base(vm(STAT4), aw + "at: 5ms, knob: reserved_host_counters, value: 2}]\n"),
                base(vm(STAT4), aw + "at: 5ms, knob: reserved_guest_counters, value: 2}]\n"));
        p.add(
                "admin_writes[].value",
                base(vm(STAT4), aw + "at: 5ms, knob: reserved_host_counters, value: 2}]\n"),
                base(vm(STAT4), aw + "at: 5ms, knob: reserved_host_counters, value: 4}]\n"));

        // costs: C1 prices every trap; C12 (with a part per event moved) every perf_event_enable.
        p.add("costs.<cost>", base(vm(STAT), "costs: {C1: 5000}\n"), base(vm(STAT), "costs: {C2: 5000}\n"));
        p.add(
                "costs.<cost>.base",
                base(vm(STAT), "costs: {C1: {base: 500}}\n"),
                base(vm(STAT), "costs: {C1: {base: 5000}}\n"));
        p.add(
                "costs.<cost>.per_unit",
                base(vm(STAT4), "costs: {C12: {base: 1000, per_unit: 200}}\n"),
                base(vm(STAT4), "costs: {C12: {base: 1000, per_unit: 2000}}\n"));
        return p.byField;
    }

    @Test
    void everyAcceptedFieldHasAPairOrAReason() {
        Set<String> missing = new TreeSet<>();
        Set<String> accepted = new TreeSet<>();
        for (ScenarioFields.Field f : ScenarioFields.accepted()) {
            accepted.add(f.path());
            if (!pairs().containsKey(f.path()) && !CANNOT_CHANGE_A_METRIC.containsKey(f.path())) {
                missing.add(f.path());
            }
        }
        assertThat(missing)
                .as("scenario fields with neither a pair of scenarios that differ in them here nor a"
                        + " reason they cannot change a metric")
                .isEmpty();
        assertThat(accepted)
                .as("pairs and reasons name accepted fields only")
                .containsAll(pairs().keySet())
                .containsAll(CANNOT_CHANGE_A_METRIC.keySet());
    }

    static Stream<Arguments> fieldPairs() {
        return pairs().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()[0], e.getValue()[1]));
    }

    /** The pair's results differ, and neither result is an error only one of them has. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldPairs")
    void aFieldChangesTheResult(String field, String a, String b) {
        List<String> ra = results(a);
        List<String> rb = results(b);
        assertThat(ra)
                .as("%s: the runs fail alike or succeed alike", field)
                .extracting(r -> r.split(",", 2)[0])
                .isEqualTo(rb.stream().map(r -> r.split(",", 2)[0]).toList());
        assertThat(ra)
                .as("%s: two scenarios that differ only in it give the same results", field)
                .isNotEqualTo(rb);
    }

    /**
     * {@code pmulab run --format csv} of the scenario in process, each row without the scenario's
     * name, its seed and the columns that name the policies: status, metric, unit, direction, value,
     * best, error.
     */
    private static List<String> results(String yaml) {
        Scenario s = ScenarioLoader.load("pair.yaml", yaml);
        Comparison c = Comparison.plan(s, Runs.REGISTRY, List.of(), s.seed());
        ComparisonReport report = c.report(c.execute(1, n -> {}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ReportWriter.write(report, ReportFormat.CSV, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> rows = new ArrayList<>();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        // By the header's names: the policy and setting columns between them vary with the policies.
        List<String> header = csvCells(lines[0]);
        int status = header.indexOf("status");
        int metric = header.indexOf("metric");
        for (int i = 1; i < lines.length; i++) {
            List<String> cells = csvCells(lines[i]);
            rows.add(cells.get(status) + "," + String.join(",", cells.subList(metric, cells.size())));
        }
        return rows;
    }

    /** The cells of one CSV row, quotes removed. */
    private static List<String> csvCells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
