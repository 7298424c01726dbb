package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.perf.PerfSysctls;
import dev.pmulab.sim.scenario.FieldReader.Fields;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import dev.pmulab.sim.scenario.YamlTree.Mark;
import dev.pmulab.sim.scenario.YamlTree.Node;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** One entry of {@code vms}: the VM, its vCPUs' placement, its guest's PMU usage and its workload. */
final class VmReader {
    static final List<String> VM_KEYS = List.of(
            "name",
            "vcpus",
            "guest_os",
            "guest_hz",
            "pmu",
            "nr_counters",
            "partition",
            "placement",
            "pmu_usage",
            "workload",
            "cputime_accounting",
            "sysctl");
    /** The guest kernel's perf sysctls a scenario may set ({@code vms[].sysctl}). */
    static final List<String> SYSCTL_KEYS = List.of("perf_event_max_sample_rate", "perf_cpu_time_max_percent");

    static final List<String> PLACEMENT_KEYS = List.of("cpus", "pinned", "init_cpu", "migrate");
    static final List<String> MIGRATE_KEYS = List.of("every", "across_core_types");

    /** KVM_MAX_VCPUS on arm64 (the GICv3 limit). */
    static final int MAX_VCPUS = 512;

    private final FieldReader in;
    private final ReadContext host;
    private final ProcessNames names;
    private final PmuUsageReader usage;
    private final WorkloadReader workloads;
    private final ScenarioChecks checks;

    /** {@code host}: the context after {@code host}; {@code names}: shared with the host tasks read before. */
    VmReader(
            FieldReader in,
            ReadContext host,
            ProcessNames names,
            PmuUsageReader usage,
            WorkloadReader workloads,
            ScenarioChecks checks) {
        this.in = requireNonNull(in, "in is null");
        this.host = requireNonNull(host, "host is null");
        this.names = requireNonNull(names, "names is null");
        this.usage = requireNonNull(usage, "usage is null");
        this.workloads = requireNonNull(workloads, "workloads is null");
        this.checks = requireNonNull(checks, "checks is null");
    }

    /** The VM, or null after a problem. */
    VmSpec read(MapNode m, String path) {
        Fields o = in.fields(m, path, VM_KEYS);
        String name = names.declare(o);
        if (name != null) {
            names.vmNamed(name);
        }
        Integer vcpusRead = o.required("vcpus") ? vcpus(o.get("vcpus"), o.at("vcpus")) : null;
        int vcpus = vcpusRead == null ? 1 : vcpusRead;
        GuestOs os = GuestOs.LINUX;
        if (o.has("guest_os")) {
            os = FieldReader.orElse(
                    in.choice(
                            o.get("guest_os"),
                            o.at("guest_os"),
                            List.of(GuestOs.LINUX, GuestOs.WINDOWS),
                            GuestOs::configName),
                    os);
        }
        int guestHz = o.has("guest_hz")
                ? in.hz(o.get("guest_hz"), o.at("guest_hz"), HostReader.DEFAULT_HZ)
                : HostReader.DEFAULT_HZ;
        boolean pmu = o.flag("pmu", true);
        OptionalInt nrCounters = OptionalInt.empty();
        if (o.has("nr_counters")) {
            Long n = in.wholeNumber(o.get("nr_counters"), o.at("nr_counters"));
            if (n != null && checks.nrCountersFit(o.get("nr_counters"), o.at("nr_counters"), n, host.soc())) {
                nrCounters = OptionalInt.of((int) (long) n);
            }
        }
        boolean partition = o.flag("partition", true);
        Placement placement =
                o.has("placement") ? placement(o.get("placement"), o.at("placement")) : defaultPlacement();
        List<PmuUsage> usages = o.has("pmu_usage")
                ? usage.read(o.get("pmu_usage"), o.at("pmu_usage"), os, pmu, placement, host.soc())
                : List.of(new PmuUsage.Idle());
        Workload workload = o.has("workload")
                ? workloads.read(
                        o.get("workload"),
                        o.at("workload"),
                        vcpus,
                        WorkloadReader.Runner.vm(
                                vcpus, host.priceNs(KernelCost.HVC_ROUND_TRIP), host.priceNs(KernelCost.EXIT_INDIRECT)))
                : Workload.of(WorkloadProfile.CPU_BOUND, vcpus);
        CputimeAccounting accounting = CputimeAccounting.TICK;
        if (o.has("cputime_accounting")) {
            accounting = FieldReader.orElse(
                    in.choice(
                            o.get("cputime_accounting"),
                            o.at("cputime_accounting"),
                            List.of(CputimeAccounting.values()),
                            CputimeAccounting::configName),
                    accounting);
        }
        PerfSysctls sysctls = o.has("sysctl")
                ? sysctl(o.get("sysctl"), o.at("sysctl"), o.keyMark("sysctl"), os, usages)
                : PerfSysctls.DEFAULTS;
        if (!FieldReader.allPresent(name, vcpusRead, placement, usages, workload, sysctls)) {
            return null;
        }
        GuestOs osFinal = os;
        OptionalInt nrFinal = nrCounters;
        CputimeAccounting accountingFinal = accounting;
        VmSpec vm = in.build(
                m.mark(),
                path,
                () -> new VmSpec(
                        name,
                        vcpus,
                        osFinal,
                        guestHz,
                        pmu,
                        nrFinal,
                        partition,
                        placement,
                        usages,
                        workload,
                        accountingFinal,
                        sysctls));
        if (vm != null) {
            names.vmRead(vm);
        }
        return vm;
    }

    /**
     * {@code sysctl}: the guest kernel's perf sysctls when the run starts, as an administrator (or an
     * earlier {@code perf_sample_event_took}) left them. {@code perf_event_max_sample_rate} is
     * {@code proc_dointvec_minmax} from 1 ({@code perf_event_max_sample_rate_handler});
     * {@code perf_cpu_time_max_percent} 0..100 ({@code perf_cpu_time_max_percent_handler}). Only a
     * Linux guest has them, and they only act on the guest kernel's perf, so a VM none of whose
     * usages is a user of it would ignore them: refused. Null after a problem.
     */
    private PerfSysctls sysctl(Node node, String path, Mark keyMark, GuestOs os, List<PmuUsage> usages) {
        MapNode m = in.map(node, path);
        if (m == null) {
            return null;
        }
        Fields o = in.fields(m, path, SYSCTL_KEYS);
        if (os != GuestOs.LINUX) {
            in.problem(
                    keyMark, path, "kernel.perf_event_* are Linux sysctls; this VM's guest_os is " + os.configName());
            return null;
        }
        Integer rate = PerfSysctls.DEFAULT_MAX_SAMPLE_RATE;
        if (o.has("perf_event_max_sample_rate")) {
            rate = in.intInRange(
                    o.get("perf_event_max_sample_rate"), o.at("perf_event_max_sample_rate"), 1, Integer.MAX_VALUE);
        }
        Integer percent = PerfSysctls.DEFAULT_CPU_TIME_MAX_PERCENT;
        if (o.has("perf_cpu_time_max_percent")) {
            percent = in.intInRange(o.get("perf_cpu_time_max_percent"), o.at("perf_cpu_time_max_percent"), 0, 100);
        }
        if (rate == null || percent == null) {
            return null;
        }
        if (usages != null && usages.stream().noneMatch(PmuUsage::usesGuestPerf)) {
            in.problem(
                    keyMark,
                    path,
                    "the perf sysctls act on the guest kernel's perf, which none of this VM's pmu_usage uses"
                            + " (perf-stat, perf-record, nmi-watchdog or brbe)");
            return null;
        }
        int r = rate;
        int p = percent;
        return in.build(m.mark(), path, () -> new PerfSysctls(r, p));
    }

    private Integer vcpus(Node node, String path) {
        Long v = in.wholeNumber(node, path);
        if (v != null && v < 1) {
            in.problem(node.mark(), path, "a VM needs at least 1 vCPU, was " + v);
            return null;
        }
        if (v != null && v > MAX_VCPUS) {
            in.problem(
                    node.mark(),
                    path,
                    "KVM on arm64 allows at most " + MAX_VCPUS + " vCPUs per VM (KVM_MAX_VCPUS), was " + v);
            return null;
        }
        return v == null ? null : (int) (long) v;
    }

    private Placement defaultPlacement() {
        List<Integer> all = host.cpus().all();
        return new Placement(all, false, all.get(0), Optional.empty());
    }

    private Placement placement(Node node, String path) {
        MapNode m = in.map(node, path);
        if (m == null) {
            return null;
        }
        Fields o = in.fields(m, path, PLACEMENT_KEYS);
        List<Integer> cpus = o.has("cpus")
                ? host.cpus().read(o.get("cpus"), o.at("cpus"))
                : host.cpus().all();
        boolean pinned = o.flag("pinned", false);
        Integer initCpu = cpus == null ? null : cpus.get(0);
        if (o.has("init_cpu")) {
            initCpu = host.cpus().one(o.get("init_cpu"), o.at("init_cpu"));
        }
        // Empty: no forced migration; null: one was written and is wrong.
        Optional<Placement.Migration> migrate = Optional.empty();
        if (o.has("migrate")) {
            if (pinned) {
                in.problem(
                        o.keyMark("migrate"),
                        o.at("migrate"),
                        "a pinned vCPU does not migrate: drop migrate or set pinned: false");
                migrate = null;
            } else {
                Placement.Migration mig = migration(o.get("migrate"), o.at("migrate"), cpus);
                migrate = mig == null ? null : Optional.of(mig);
            }
        }
        if (!FieldReader.allPresent(cpus, initCpu, migrate)) {
            return null;
        }
        int init = initCpu;
        Optional<Placement.Migration> mg = migrate;
        return in.build(m.mark(), path, () -> new Placement(cpus, pinned, init, mg));
    }

    private Placement.Migration migration(Node node, String path, List<Integer> cpus) {
        MapNode m = in.map(node, path);
        if (m == null) {
            return null;
        }
        Fields o = in.fields(m, path, MIGRATE_KEYS);
        Long every = o.required("every") ? in.positiveDuration(o.get("every"), o.at("every")) : null;
        boolean across = o.flag("across_core_types", false);
        if (across && !checks.twoCoreTypes(o.get("across_core_types"), o.at("across_core_types"), cpus, host.soc())) {
            return null;
        }
        if (every == null) {
            return null;
        }
        return new Placement.Migration(every, across);
    }
}
