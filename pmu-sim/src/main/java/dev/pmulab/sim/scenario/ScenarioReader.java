package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonToken;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.hw.catalog.CpuCatalog;
import dev.pmulab.hw.catalog.CpuModel;
import dev.pmulab.hw.catalog.SocCatalog;
import dev.pmulab.hw.catalog.SocModel;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.vpmu.PartitionFgtSet;
import dev.pmulab.sim.scenario.YamlTree.Entry;
import dev.pmulab.sim.scenario.YamlTree.ListNode;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import dev.pmulab.sim.scenario.YamlTree.Mark;
import dev.pmulab.sim.scenario.YamlTree.Node;
import dev.pmulab.sim.scenario.YamlTree.ScalarNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Reads a parsed scenario tree into {@link Scenario} records, strictly: every field is known, typed
 * and in range, or it is a problem naming its line, column and path. Reading goes on after a
 * problem with a harmless stand-in value, so one pass reports everything; no record is returned
 * if anything was wrong. It does not consult the policy registry ({@link ScenarioPolicies} does).
 */
final class ScenarioReader {
    static final List<String> TOP_FIELDS = List.of("name", "description", "seed", "run", "host", "host_perf",
            "host_tasks", "vms", "policies", "admin_writes", "costs");
    static final List<String> RUN_FIELDS = List.of("duration", "until_work_done", "time_limit");
    static final List<String> WORK_FIELDS = List.of("vm", "instructions");
    static final List<String> HOST_FIELDS = List.of("soc", "cpus", "firmware", "cpu_overrides", "vhe", "hz",
            "mux_interval", "nmi_watchdog", "watchdog_thresh", "kvm");
    static final List<String> HOST_KVM_FIELDS = List.of("partition_fgt");
    static final List<String> CLUSTER_FIELDS = List.of("core", "count");
    static final List<String> OVERRIDE_FIELDS = List.of("n", "pmu_version", "fgt", "hpmn0", "brbe");
    static final List<String> SESSION_FIELDS = List.of("name", "mode", "scope", "cpus", "task", "events", "groups",
            "pinned", "frequency", "period", "exclude_guest", "exclude_host", "start", "stop");
    static final List<String> TASK_FIELDS = List.of("name", "cpus", "workload");
    static final List<String> VM_FIELDS = List.of("name", "vcpus", "guest_os", "guest_hz", "pmu", "nr_counters",
            "partition", "placement", "pmu_usage", "workload");
    static final List<String> PLACEMENT_FIELDS = List.of("cpus", "pinned", "init_cpu", "migrate");
    static final List<String> MIGRATE_FIELDS = List.of("every", "across_core_types");
    static final List<String> WORKLOAD_FIELDS = List.of("profile", "threads", "load", "rates", "exits_per_second");
    static final List<String> POLICY_KINDS = List.of("allocation", "selection", "filter");
    static final List<String> POLICY_FIELDS = List.of("name", "settings");
    static final List<String> ADMIN_FIELDS = List.of("at", "knob", "value");
    static final List<String> COST_FIELDS = List.of("base", "per_unit");
    static final Map<String, List<String>> USAGE_FIELDS = Map.of(
            PmuUsage.PerfStat.KIND, List.of("kind", "events", "groups", "scope", "interval"),
            PmuUsage.PerfRecord.KIND, List.of("kind", "events", "groups", "scope", "frequency", "period"),
            PmuUsage.NmiWatchdog.KIND, List.of("kind", "thresh"),
            PmuUsage.WindowsCycleTick.KIND, List.of("kind", "tick"),
            PmuUsage.Greedy.KIND, List.of("kind", "reprogram_every", "asks_for_more"),
            PmuUsage.Brbe.KIND, List.of("kind", "events", "frequency", "period", "freeze_on_overflow"),
            PmuUsage.Idle.KIND, List.of("kind"));

    /** KVM_MAX_VCPUS on arm64 (the GICv3 limit). */
    static final int MAX_VCPUS = 512;
    /** The largest NR_CPUS arm64's Kconfig allows. */
    static final int MAX_HOST_CPUS = 4096;
    /** The scenario's default seed. */
    static final long DEFAULT_SEED = 1;
    /** The host's default CONFIG_HZ, and a guest's: arm64 defconfig's 250. */
    static final int DEFAULT_HZ = 250;

    private static final String NAME_RULE = "[A-Za-z0-9][A-Za-z0-9._-]*";
    private static final String KNOB_RULE = "[a-z][a-z0-9_]*";

    private final Problems problems;
    private final String file;

    /** The host's SoC once read; null if it could not be, which turns off the checks that need it. */
    private SocModel soc;
    /** The latest time a run reaches, once read; -1 if unknown. */
    private long limitNs = -1;
    /** VM and host task names, with where each is declared. */
    private final Map<String, Mark> processNames = new LinkedHashMap<>();
    /** VM names, including those of VMs that had problems (so references to them do not add more). */
    private final Set<String> vmNames = new LinkedHashSet<>();
    private final Map<String, VmSpec> vmsByName = new LinkedHashMap<>();

    ScenarioReader(Problems problems) {
        this.problems = requireNonNull(problems, "problems is null");
        this.file = problems.file();
    }

    // ------------------------------------------------------------------------------------------
    // The document

    /** The scenario, or null when there were problems (they are in {@code problems}). */
    Scenario read(Node root, String defaultName) {
        MapNode top = map(root, "");
        if (top == null) {
            return null;
        }
        Fields o = new Fields(top, "", TOP_FIELDS, "");
        String name = o.has("name") ? name(o.get("name"), o.at("name")) : defaultName;
        String description = o.has("description") ? string(o.get("description"), o.at("description")) : "";
        long seed = o.has("seed") ? orElse(wholeNumber(o.get("seed"), o.at("seed")), DEFAULT_SEED) : DEFAULT_SEED;
        HostSpec host = readHost(o.get("host"));
        List<HostTask> tasks = readList(o, "host_tasks", this::readHostTask);
        List<VmSpec> vms = readList(o, "vms", this::readVm);
        RunLength run = readRun(o);
        List<PerfSession> sessions = readHostPerf(o);
        Policies policies = o.has("policies") ? readPolicies(o.get("policies"), o.at("policies")) : Policies.defaults();
        List<AdminWrite> writes = readList(o, "admin_writes", this::readAdminWrite);
        Map<KernelCost, CostOverride> costs = o.has("costs") ? readCosts(o.get("costs"), o.at("costs")) : Map.of();
        if (!problems.isEmpty()) {
            return null;
        }
        List<AdminWrite> byTime = new ArrayList<>(writes);
        byTime.sort((a, b) -> Long.compare(a.atNs(), b.atNs()));
        return build(top.mark(), "", () -> new Scenario(name, description, file, seed, run, host, sessions, tasks, vms,
                policies, byTime, costs));
    }

    private RunLength readRun(Fields top) {
        if (!top.has("run")) {
            problems.add(top.node.mark(), "run", "required field is missing: give run: {duration: 1s} or"
                    + " run: {until_work_done: {vm: NAME, instructions: N}}");
            return null;
        }
        MapNode m = map(top.get("run"), "run");
        if (m == null) {
            return null;
        }
        Fields o = new Fields(m, "run", RUN_FIELDS, "");
        if (o.has("duration") == o.has("until_work_done")) {
            problems.add(m.mark(), "run", "give either duration or until_work_done");
            return null;
        }
        if (o.has("duration")) {
            if (o.has("time_limit")) {
                problems.add(o.keyMark("time_limit"), o.at("time_limit"),
                        "time_limit goes with until_work_done; a run of fixed duration ends at its duration");
            }
            Long d = positiveDuration(o.get("duration"), o.at("duration"));
            if (d == null) {
                return null;
            }
            limitNs = d;
            return new RunLength.FixedDuration(d);
        }
        long limit = RunLength.UntilWorkDone.DEFAULT_TIME_LIMIT_NS;
        if (o.has("time_limit")) {
            Long t = positiveDuration(o.get("time_limit"), o.at("time_limit"));
            if (t == null) {
                return null;
            }
            limit = t;
        }
        limitNs = limit;
        MapNode wm = map(o.get("until_work_done"), o.at("until_work_done"));
        if (wm == null) {
            return null;
        }
        Fields w = new Fields(wm, o.at("until_work_done"), WORK_FIELDS, "");
        String vm = w.required("vm") ? string(w.get("vm"), w.at("vm")) : null;
        Long instructions = w.required("instructions") ? atLeast(wholeNumber(w.get("instructions"),
                w.at("instructions")), 1, w.get("instructions"), w.at("instructions")) : null;
        if (vm == null || instructions == null) {
            return null;
        }
        if (!vmNames.contains(vm)) {
            problems.add(w.get("vm").mark(), w.at("vm"), "no VM is named '" + vm + "'; VMs: " + known(vmNames));
            return null;
        }
        VmSpec target = vmsByName.get(vm);
        if (target != null && (target.workload().profile() == WorkloadProfile.IDLE
                || target.workload().load() == 0.0)) {
            problems.add(w.get("vm").mark(), w.at("vm"), "VM " + vm + " runs nothing (its workload is idle), so it"
                    + " never retires the instructions the run waits for");
            return null;
        }
        long lim = limit;
        return build(wm.mark(), o.at("until_work_done"), () -> new RunLength.UntilWorkDone(vm, instructions, lim));
    }

    // ------------------------------------------------------------------------------------------
    // host

    private HostSpec readHost(Node node) {
        SocModel generic = SocCatalog.byName(SocCatalog.GENERIC);
        if (node == null) {
            soc = generic;
            return new HostSpec(generic, true, DEFAULT_HZ, HostSpec.defaultMuxIntervalNs(DEFAULT_HZ), false,
                    PmuUsage.NmiWatchdog.DEFAULT_THRESH_NS);
        }
        MapNode m = map(node, "host");
        if (m == null) {
            soc = null;
            return null;
        }
        Fields o = new Fields(m, "host", HOST_FIELDS, "");
        SocModel base = null;
        boolean resolved = true;
        if (o.has("soc") && o.has("cpus")) {
            problems.add(o.keyMark("cpus"), o.at("cpus"), "give soc or cpus, not both");
            resolved = false;
        } else if (o.has("soc")) {
            if (o.has("firmware")) {
                problems.add(o.keyMark("firmware"), o.at("firmware"),
                        "firmware goes with cpus; a catalog SoC has its own");
            }
            String name = string(o.get("soc"), o.at("soc"));
            if (name != null) {
                try {
                    base = SocCatalog.byName(name);
                } catch (IllegalArgumentException e) {
                    problems.add(o.get("soc").mark(), o.at("soc"), e.getMessage());
                }
            }
            resolved = base != null;
        } else if (o.has("cpus")) {
            base = customSoc(o);
            resolved = base != null;
        } else {
            if (o.has("firmware")) {
                problems.add(o.keyMark("firmware"), o.at("firmware"),
                        "firmware goes with cpus; a catalog SoC has its own");
            }
            base = generic;
        }
        if (resolved && o.has("cpu_overrides")) {
            base = applyOverrides(base, o.get("cpu_overrides"), o.at("cpu_overrides"));
        }
        soc = base;
        boolean vhe = o.has("vhe") ? orElse(bool(o.get("vhe"), o.at("vhe")), true) : true;
        int hz = DEFAULT_HZ;
        if (o.has("hz")) {
            hz = hz(o.get("hz"), o.at("hz"), DEFAULT_HZ);
        }
        long mux = HostSpec.defaultMuxIntervalNs(hz);
        if (o.has("mux_interval")) {
            mux = orElse(positiveDuration(o.get("mux_interval"), o.at("mux_interval")), mux);
        }
        boolean watchdog = o.has("nmi_watchdog") ? orElse(bool(o.get("nmi_watchdog"), o.at("nmi_watchdog")), false)
                : false;
        long thresh = PmuUsage.NmiWatchdog.DEFAULT_THRESH_NS;
        if (o.has("watchdog_thresh")) {
            thresh = orElse(positiveDuration(o.get("watchdog_thresh"), o.at("watchdog_thresh")), thresh);
        }
        PartitionFgtSet fgtSet = HostSpec.DEFAULT_PARTITION_FGT;
        MapNode km = o.has("kvm") ? map(o.get("kvm"), o.at("kvm")) : null;
        if (km != null) {
            Fields k = new Fields(km, o.at("kvm"), HOST_KVM_FIELDS, "");
            if (k.has("partition_fgt")) {
                String v = choice(k.get("partition_fgt"), k.at("partition_fgt"),
                        Arrays.stream(PartitionFgtSet.values()).map(PartitionFgtSet::configName).toList());
                fgtSet = v == null ? fgtSet : PartitionFgtSet.valueOf(v.toUpperCase(Locale.ROOT));
            }
        }
        if (soc == null) {
            return null;
        }
        int hzFinal = hz;
        long muxFinal = mux;
        long threshFinal = thresh;
        PartitionFgtSet fgtFinal = fgtSet;
        return build(m.mark(), "host",
                () -> new HostSpec(soc, vhe, hzFinal, muxFinal, watchdog, threshFinal, fgtFinal));
    }

    private int hz(Node node, String path, int fallback) {
        Long v = wholeNumber(node, path);
        if (v == null) {
            return fallback;
        }
        if (v > Integer.MAX_VALUE || v < 0 || !HostSpec.HZ_CHOICES.contains((int) (long) v)) {
            problems.add(node.mark(), path, "must be one of 100, 250, 300, 1000 (the CONFIG_HZ choices), was " + v);
            return fallback;
        }
        return (int) (long) v;
    }

    private SocModel customSoc(Fields host) {
        ListNode l = list(host.get("cpus"), host.at("cpus"));
        if (l == null) {
            return null;
        }
        if (l.items().isEmpty()) {
            problems.add(l.mark(), host.at("cpus"), "a host needs at least one CPU: give [{core: NAME, count: N}, ...]");
            return null;
        }
        List<SocModel.Cluster> clusters = new ArrayList<>();
        boolean ok = true;
        long total = 0;
        for (int i = 0; i < l.items().size(); i++) {
            String p = host.at("cpus") + "[" + i + "]";
            MapNode cm = map(l.items().get(i), p);
            if (cm == null) {
                ok = false;
                continue;
            }
            Fields c = new Fields(cm, p, CLUSTER_FIELDS, "");
            CpuModel cpu = null;
            if (c.required("core")) {
                String name = string(c.get("core"), c.at("core"));
                if (name != null) {
                    try {
                        cpu = CpuCatalog.byName(name);
                    } catch (IllegalArgumentException e) {
                        problems.add(c.get("core").mark(), c.at("core"), e.getMessage());
                    }
                }
            }
            Long count = c.required("count") ? atLeast(wholeNumber(c.get("count"), c.at("count")), 1, c.get("count"),
                    c.at("count")) : null;
            if (cpu == null || count == null) {
                ok = false;
                continue;
            }
            total += count;
            if (total > MAX_HOST_CPUS) {
                problems.add(c.get("count").mark(), c.at("count"), "a host has at most " + MAX_HOST_CPUS
                        + " CPUs (arm64's largest NR_CPUS); this one would have " + total);
                return null;
            }
            clusters.add(new SocModel.Cluster(cpu, (int) (long) count));
        }
        SocModel.Firmware firmware = SocModel.Firmware.DEVICE_TREE;
        if (host.has("firmware")) {
            String f = choice(host.get("firmware"), host.at("firmware"), List.of("device-tree", "acpi"));
            if (f != null) {
                firmware = f.equals("acpi") ? SocModel.Firmware.ACPI : SocModel.Firmware.DEVICE_TREE;
            }
        }
        if (!ok) {
            return null;
        }
        String shape = clusters.stream().map(c -> c.count() + "x " + c.cpu().displayName())
                .collect(Collectors.joining(" + "));
        SocModel.Firmware fw = firmware;
        return build(host.get("cpus").mark(), host.at("cpus"), () -> new SocModel("custom", "Custom (" + shape + ")", fw,
                clusters, List.of("the scenario's own CPUs (" + file + "): " + shape
                        + ", numbered in the order the scenario lists them"), List.of()));
    }

    private SocModel applyOverrides(SocModel base, Node node, String path) {
        MapNode m = map(node, path);
        if (m == null) {
            return base;
        }
        Map<String, CpuModel> overridden = new LinkedHashMap<>();
        for (CpuModel c : base.coreTypes()) {
            overridden.put(c.name(), c);
        }
        for (Entry e : m.entries().values()) {
            String p = path + "." + e.key();
            String core = e.key().toLowerCase(Locale.ROOT);
            CpuModel cpu = overridden.get(core);
            if (cpu == null) {
                problems.add(e.keyMark(), p, "this host has no " + e.key() + " core; its cores: "
                        + String.join(", ", overridden.keySet()));
                continue;
            }
            MapNode om = map(e.value(), p);
            if (om == null) {
                continue;
            }
            Fields o = new Fields(om, p, OVERRIDE_FIELDS, "");
            try {
                if (o.has("n")) {
                    Long n = wholeNumber(o.get("n"), o.at("n"));
                    if (n != null && (n < 0 || n > 31)) {
                        problems.add(o.get("n").mark(), o.at("n"), "PMCR_EL0.N is 0..31, was " + n);
                    } else if (n != null) {
                        cpu = cpu.withN((int) (long) n);
                    }
                }
                if (o.has("pmu_version")) {
                    String v = string(o.get("pmu_version"), o.at("pmu_version"));
                    if (v != null) {
                        PmuVersion version = pmuVersion(v);
                        if (version == null) {
                            problems.add(o.get("pmu_version").mark(), o.at("pmu_version"), "unknown PMU version '" + v
                                    + "'; known: " + Arrays.stream(PmuVersion.values()).map(PmuVersion::shortName)
                                            .collect(Collectors.joining(", ")));
                        } else {
                            cpu = cpu.withVersion(version);
                        }
                    }
                }
                if (o.has("fgt")) {
                    Boolean b = bool(o.get("fgt"), o.at("fgt"));
                    if (b != null) {
                        cpu = cpu.withFgt(b);
                    }
                }
                if (o.has("hpmn0")) {
                    Boolean b = bool(o.get("hpmn0"), o.at("hpmn0"));
                    if (b != null) {
                        cpu = cpu.withHpmn0(b);
                    }
                }
                if (o.has("brbe")) {
                    Boolean b = bool(o.get("brbe"), o.at("brbe"));
                    if (b != null) {
                        cpu = cpu.withBrbe(b);
                    }
                }
            } catch (IllegalArgumentException ex) {
                problems.add(om.mark(), p, ex.getMessage());
            }
            overridden.put(core, cpu);
        }
        List<SocModel.Cluster> clusters = base.clusters().stream()
                .map(c -> new SocModel.Cluster(overridden.get(c.cpu().name()), c.count())).toList();
        return build(m.mark(), path, () -> new SocModel(base.name(), base.displayName(), base.firmware(), clusters,
                base.provenance(), base.topologyAssumptions()));
    }

    private static PmuVersion pmuVersion(String v) {
        for (PmuVersion p : PmuVersion.values()) {
            if (p.shortName().equalsIgnoreCase(v)) {
                return p;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------
    // host tasks and VMs

    private HostTask readHostTask(MapNode m, String path) {
        Fields o = new Fields(m, path, TASK_FIELDS, "");
        String name = processName(o, "a host task or VM");
        List<Integer> cpus = o.has("cpus") ? cpuList(o.get("cpus"), o.at("cpus")) : allCpus();
        Workload workload = null;
        if (o.required("workload")) {
            workload = readWorkload(o.get("workload"), o.at("workload"), cpus == null ? 1 : cpus.size());
        }
        if (name == null || cpus == null || workload == null) {
            return null;
        }
        Workload w = workload;
        return build(m.mark(), path, () -> new HostTask(name, cpus, w));
    }

    private VmSpec readVm(MapNode m, String path) {
        Fields o = new Fields(m, path, VM_FIELDS, "");
        String name = processName(o, "a host task or VM");
        if (name != null) {
            vmNames.add(name);
        }
        Long vcpusRead = null;
        if (o.required("vcpus")) {
            vcpusRead = wholeNumber(o.get("vcpus"), o.at("vcpus"));
            if (vcpusRead != null && vcpusRead < 1) {
                problems.add(o.get("vcpus").mark(), o.at("vcpus"), "a VM needs at least 1 vCPU, was " + vcpusRead);
                vcpusRead = null;
            } else if (vcpusRead != null && vcpusRead > MAX_VCPUS) {
                problems.add(o.get("vcpus").mark(), o.at("vcpus"), "KVM on arm64 allows at most " + MAX_VCPUS
                        + " vCPUs per VM (KVM_MAX_VCPUS), was " + vcpusRead);
                vcpusRead = null;
            }
        }
        int vcpus = vcpusRead == null ? 1 : (int) (long) vcpusRead;
        GuestOs os = GuestOs.LINUX;
        if (o.has("guest_os")) {
            String s = choice(o.get("guest_os"), o.at("guest_os"), List.of("linux", "windows"));
            if (s != null) {
                os = GuestOs.valueOf(s.toUpperCase(Locale.ROOT));
            }
        }
        int guestHz = o.has("guest_hz") ? hz(o.get("guest_hz"), o.at("guest_hz"), DEFAULT_HZ) : DEFAULT_HZ;
        boolean pmu = o.has("pmu") ? orElse(bool(o.get("pmu"), o.at("pmu")), true) : true;
        OptionalInt nrCounters = OptionalInt.empty();
        if (o.has("nr_counters")) {
            Long n = wholeNumber(o.get("nr_counters"), o.at("nr_counters"));
            int maxN = soc == null ? 31 : soc.coreTypes().stream().mapToInt(c -> c.n().value()).max().orElse(31);
            if (n != null && (n < 0 || n > maxN)) {
                problems.add(o.get("nr_counters").mark(), o.at("nr_counters"), "must be 0.." + maxN
                        + (soc == null ? " (PMCR_EL0.N)" : " (the most event counters a PMU of this host has)")
                        + ", was " + n);
            } else if (n != null) {
                nrCounters = OptionalInt.of((int) (long) n);
            }
        }
        boolean partition = o.has("partition") ? orElse(bool(o.get("partition"), o.at("partition")), true) : true;
        Placement placement = o.has("placement") ? readPlacement(o.get("placement"), o.at("placement"))
                : defaultPlacement();
        List<PmuUsage> usage = o.has("pmu_usage")
                ? readPmuUsage(o.get("pmu_usage"), o.at("pmu_usage"), os, pmu, placement)
                : List.of(new PmuUsage.Idle());
        Workload workload = o.has("workload") ? readWorkload(o.get("workload"), o.at("workload"), vcpus)
                : Workload.of(WorkloadProfile.CPU_BOUND, vcpus);
        if (name == null || vcpusRead == null || placement == null || usage == null || workload == null) {
            return null;
        }
        GuestOs osFinal = os;
        OptionalInt nrFinal = nrCounters;
        VmSpec vm = build(m.mark(), path, () -> new VmSpec(name, vcpus, osFinal, guestHz, pmu, nrFinal, partition,
                placement, usage, workload));
        if (vm != null) {
            vmsByName.put(name, vm);
        }
        return vm;
    }

    /** Reads {@code name}, checks its spelling and that no other VM or host task has it. */
    private String processName(Fields o, String what) {
        if (!o.required("name")) {
            return null;
        }
        String name = name(o.get("name"), o.at("name"));
        if (name == null) {
            return null;
        }
        Mark first = processNames.putIfAbsent(name, o.get("name").mark());
        if (first != null) {
            problems.add(o.get("name").mark(), o.at("name"), "the name '" + name + "' is already used by " + what
                    + " at line " + first.line() + ", column " + first.column());
            return null;
        }
        return name;
    }

    private Placement defaultPlacement() {
        List<Integer> all = allCpus();
        return new Placement(all, false, all.get(0), Optional.empty());
    }

    private Placement readPlacement(Node node, String path) {
        MapNode m = map(node, path);
        if (m == null) {
            return null;
        }
        Fields o = new Fields(m, path, PLACEMENT_FIELDS, "");
        List<Integer> cpus = o.has("cpus") ? cpuList(o.get("cpus"), o.at("cpus")) : allCpus();
        boolean pinned = o.has("pinned") ? orElse(bool(o.get("pinned"), o.at("pinned")), false) : false;
        Integer initCpu = cpus == null ? null : cpus.get(0);
        if (o.has("init_cpu")) {
            initCpu = cpu(o.get("init_cpu"), o.at("init_cpu"));
        }
        Optional<Placement.Migration> migrate = Optional.empty();
        boolean migrateOk = true;
        if (o.has("migrate")) {
            if (pinned) {
                problems.add(o.keyMark("migrate"), o.at("migrate"),
                        "a pinned vCPU does not migrate: drop migrate or set pinned: false");
                migrateOk = false;
            } else {
                Placement.Migration mig = readMigration(o.get("migrate"), o.at("migrate"), cpus);
                migrateOk = mig != null;
                migrate = Optional.ofNullable(mig);
            }
        }
        if (cpus == null || initCpu == null || !migrateOk) {
            return null;
        }
        int init = initCpu;
        Optional<Placement.Migration> mg = migrate;
        return build(m.mark(), path, () -> new Placement(cpus, pinned, init, mg));
    }

    private Placement.Migration readMigration(Node node, String path, List<Integer> cpus) {
        MapNode m = map(node, path);
        if (m == null) {
            return null;
        }
        Fields o = new Fields(m, path, MIGRATE_FIELDS, "");
        Long every = o.required("every") ? positiveDuration(o.get("every"), o.at("every")) : null;
        boolean across = o.has("across_core_types")
                ? orElse(bool(o.get("across_core_types"), o.at("across_core_types")), false) : false;
        if (across && soc != null && cpus != null) {
            Set<String> types = new LinkedHashSet<>();
            for (int c : cpus) {
                types.add(soc.cpu(c).name());
            }
            if (types.size() < 2) {
                problems.add(o.get("across_core_types").mark(), o.at("across_core_types"), "needs CPUs of two core"
                        + " types in placement.cpus; they are all " + types.iterator().next());
                return null;
            }
        }
        if (every == null) {
            return null;
        }
        return new Placement.Migration(every, across);
    }

    // ------------------------------------------------------------------------------------------
    // guest PMU usage

    private List<PmuUsage> readPmuUsage(Node node, String path, GuestOs os, boolean pmu, Placement placement) {
        List<Node> items;
        List<String> paths = new ArrayList<>();
        if (node instanceof ListNode l) {
            items = l.items();
            for (int i = 0; i < items.size(); i++) {
                paths.add(path + "[" + i + "]");
            }
            if (items.isEmpty()) {
                problems.add(node.mark(), path, "lists no usage; write idle for a guest that does not use its PMU");
                return null;
            }
        } else {
            items = List.of(node);
            paths.add(path);
        }
        List<PmuUsage> out = new ArrayList<>();
        Map<String, Mark> seen = new LinkedHashMap<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String p = paths.get(i);
            PmuUsage u = readOneUsage(item, p);
            if (u == null) {
                ok = false;
                continue;
            }
            Mark first = seen.putIfAbsent(u.kind(), item.mark());
            if (first != null) {
                problems.add(item.mark(), p, u.kind() + " is already listed at line " + first.line() + ", column "
                        + first.column());
                ok = false;
                continue;
            }
            if (!u.runsOn(os)) {
                problems.add(item.mark(), p, u.kind() + " is a " + (os == GuestOs.LINUX ? "Windows" : "Linux")
                        + " guest behaviour; this VM's guest_os is " + os.configName());
                ok = false;
                continue;
            }
            if (!pmu && !(u instanceof PmuUsage.Idle)) {
                problems.add(item.mark(), p, "the VM has no PMU (pmu: false), so its guest cannot use one");
                ok = false;
                continue;
            }
            String noBrbe = u instanceof PmuUsage.Brbe ? coresWithoutBrbe(placement) : null;
            if (noBrbe != null) {
                // The guest's first BRBCR_EL1 write would be UNDEFINED: an impossible setup, not a result.
                problems.add(item.mark(), p, "brbe needs FEAT_BRBE on every CPU the VM can run on; " + noBrbe
                        + " none (catalog cores with it: " + String.join(", ", brbeCores()) + ")");
                ok = false;
                continue;
            }
            out.add(u);
        }
        if (seen.containsKey(PmuUsage.Idle.KIND) && seen.size() > 1) {
            problems.add(seen.get(PmuUsage.Idle.KIND), path, "idle means the guest never touches its PMU; it cannot"
                    + " be combined with " + seen.keySet().stream().filter(k -> !k.equals(PmuUsage.Idle.KIND))
                            .collect(Collectors.joining(", ")));
            ok = false;
        }
        return ok ? out : null;
    }

    /** "X has" / "X and Y have": the core types among the VM's CPUs without FEAT_BRBE; null if none (or unknown). */
    private String coresWithoutBrbe(Placement placement) {
        if (soc == null || placement == null) {
            return null;
        }
        Set<String> without = new LinkedHashSet<>();
        for (int c : placement.cpus()) {
            if (!soc.cpu(c).brbe().value()) {
                without.add(soc.cpu(c).name());
            }
        }
        if (without.isEmpty()) {
            return null;
        }
        return String.join(" and ", without) + (without.size() == 1 ? " has" : " have");
    }

    private static List<String> brbeCores() {
        return CpuCatalog.all().stream().filter(c -> c.brbe().value()).map(CpuModel::name).toList();
    }

    private PmuUsage readOneUsage(Node node, String path) {
        MapNode m;
        String kind;
        if (node instanceof ScalarNode s && !s.isNull()) {
            kind = s.text();
            m = null;
        } else {
            m = map(node, path);
            if (m == null) {
                return null;
            }
            Entry k = m.entries().get("kind");
            if (k == null) {
                problems.add(m.mark(), path + ".kind", "required field is missing: one of "
                        + String.join(", ", PmuUsage.kinds()));
                return null;
            }
            kind = string(k.value(), path + ".kind");
            if (kind == null) {
                return null;
            }
        }
        List<String> fields = USAGE_FIELDS.get(kind);
        if (fields == null) {
            Mark at = m == null ? node.mark() : m.entries().get("kind").value().mark();
            problems.add(at, m == null ? path : path + ".kind", "unknown PMU usage kind '" + kind + "'; known: "
                    + String.join(", ", PmuUsage.kinds()));
            return null;
        }
        Fields o = m == null ? new Fields(node.mark(), path) : new Fields(m, path, fields, " for a " + kind + " usage");
        switch (kind) {
            case PmuUsage.PerfStat.KIND: {
                List<ReadGroup> groups = eventGroups(o, true);
                PerfScope scope = scope(o, PerfScope.TASK);
                OptionalLong interval = OptionalLong.empty();
                if (o.has("interval")) {
                    Long i = positiveDuration(o.get("interval"), o.at("interval"));
                    if (i == null) {
                        return null;
                    }
                    interval = OptionalLong.of(i);
                }
                if (groups == null || scope == null) {
                    return null;
                }
                return new PmuUsage.PerfStat(plain(groups), scope, interval);
            }
            case PmuUsage.PerfRecord.KIND: {
                List<ReadGroup> groups = eventGroups(o, true);
                PerfScope scope = scope(o, PerfScope.TASK);
                Sampling sampling = sampling(o);
                if (groups == null || scope == null || sampling == null) {
                    return null;
                }
                return new PmuUsage.PerfRecord(plain(groups), sampling, scope);
            }
            case PmuUsage.NmiWatchdog.KIND: {
                long thresh = PmuUsage.NmiWatchdog.DEFAULT_THRESH_NS;
                if (o.has("thresh")) {
                    Long t = positiveDuration(o.get("thresh"), o.at("thresh"));
                    if (t == null) {
                        return null;
                    }
                    thresh = t;
                }
                return new PmuUsage.NmiWatchdog(thresh);
            }
            case PmuUsage.WindowsCycleTick.KIND: {
                long tick = PmuUsage.WindowsCycleTick.DEFAULT_TICK_NS;
                if (o.has("tick")) {
                    Long t = positiveDuration(o.get("tick"), o.at("tick"));
                    if (t == null) {
                        return null;
                    }
                    tick = t;
                }
                return new PmuUsage.WindowsCycleTick(tick);
            }
            case PmuUsage.Greedy.KIND: {
                long every = PmuUsage.Greedy.DEFAULT_REPROGRAM_EVERY_NS;
                if (o.has("reprogram_every")) {
                    Long t = positiveDuration(o.get("reprogram_every"), o.at("reprogram_every"));
                    if (t == null) {
                        return null;
                    }
                    every = t;
                }
                Boolean more = o.has("asks_for_more") ? bool(o.get("asks_for_more"), o.at("asks_for_more")) : true;
                return more == null ? null : new PmuUsage.Greedy(every, more);
            }
            case PmuUsage.Brbe.KIND: {
                List<EventRef> events = List.of(new EventRef("cycles", Events.CPU_CYCLES));
                if (o.has("events")) {
                    List<ReadGroup> groups = eventGroups(o, false);
                    if (groups == null) {
                        return null;
                    }
                    events = groups.stream().map(g -> g.group().leader()).toList();
                }
                Sampling sampling = sampling(o);
                Boolean freeze = o.has("freeze_on_overflow")
                        ? bool(o.get("freeze_on_overflow"), o.at("freeze_on_overflow")) : true;
                if (sampling == null || freeze == null) {
                    return null;
                }
                return new PmuUsage.Brbe(events, sampling, freeze);
            }
            case PmuUsage.Idle.KIND:
                return new PmuUsage.Idle();
            default:
                throw new IllegalStateException("kind " + kind + " has fields but no reader");
        }
    }

    private PerfScope scope(Fields o, PerfScope dflt) {
        if (!o.has("scope")) {
            return dflt;
        }
        String s = choice(o.get("scope"), o.at("scope"), List.of("system", "task"));
        return s == null ? null : PerfScope.valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** {@code frequency} or {@code period}; perf record's default 4000 Hz when neither is given. */
    private Sampling sampling(Fields o) {
        if (o.has("frequency") && o.has("period")) {
            problems.add(o.keyMark("period"), o.at("period"), "give frequency or period, not both");
            return null;
        }
        if (o.has("period")) {
            Long p = atLeast(wholeNumber(o.get("period"), o.at("period")), 1, o.get("period"), o.at("period"));
            return p == null ? null : Sampling.period(p);
        }
        if (o.has("frequency")) {
            Long f = atLeast(wholeNumber(o.get("frequency"), o.at("frequency")), 1, o.get("frequency"),
                    o.at("frequency"));
            if (f != null && f > Sampling.MAX_FREQUENCY_HZ) {
                problems.add(o.get("frequency").mark(), o.at("frequency"), "must be at most "
                        + Sampling.MAX_FREQUENCY_HZ + " Hz (kernel.perf_event_max_sample_rate's default), was " + f);
                return null;
            }
            return f == null ? null : Sampling.frequencyHz(f);
        }
        return Sampling.frequencyHz(Sampling.DEFAULT_FREQUENCY_HZ);
    }

    /** An event group as read, with where it was written (for the host's fits-the-PMU check). */
    private record ReadGroup(EventGroup group, Mark mark, String path, boolean fromGroups) {}

    private static List<EventGroup> plain(List<ReadGroup> groups) {
        return groups.stream().map(ReadGroup::group).toList();
    }

    /**
     * {@code events} (each a group of one) then {@code groups} (lists, leader first); at least one
     * event in all. Null if anything was wrong.
     */
    private List<ReadGroup> eventGroups(Fields o, boolean groupsAllowed) {
        List<ReadGroup> out = new ArrayList<>();
        boolean ok = true;
        if (o.has("events")) {
            ListNode l = list(o.get("events"), o.at("events"));
            if (l == null) {
                ok = false;
            } else {
                for (int i = 0; i < l.items().size(); i++) {
                    String p = o.at("events") + "[" + i + "]";
                    EventRef e = event(l.items().get(i), p);
                    if (e == null) {
                        ok = false;
                    } else {
                        out.add(new ReadGroup(EventGroup.of(e), l.items().get(i).mark(), p, false));
                    }
                }
            }
        }
        if (groupsAllowed && o.has("groups")) {
            ListNode l = list(o.get("groups"), o.at("groups"));
            if (l == null) {
                ok = false;
            } else {
                for (int i = 0; i < l.items().size(); i++) {
                    String p = o.at("groups") + "[" + i + "]";
                    ListNode g = list(l.items().get(i), p);
                    if (g == null) {
                        ok = false;
                        continue;
                    }
                    if (g.items().isEmpty()) {
                        problems.add(g.mark(), p, "an event group needs at least one event");
                        ok = false;
                        continue;
                    }
                    List<EventRef> events = new ArrayList<>();
                    for (int j = 0; j < g.items().size(); j++) {
                        EventRef e = event(g.items().get(j), p + "[" + j + "]");
                        if (e == null) {
                            ok = false;
                        } else {
                            events.add(e);
                        }
                    }
                    if (events.size() == g.items().size()) {
                        out.add(new ReadGroup(new EventGroup(events), g.mark(), p, true));
                    }
                }
            }
        }
        if (ok && out.isEmpty()) {
            problems.add(o.mark(), o.path(), groupsAllowed ? "needs at least one event: give events or groups"
                    : "needs at least one event");
            return null;
        }
        return ok ? out : null;
    }

    private EventRef event(Node node, String path) {
        ScalarNode s = scalar(node, path, "an event name");
        if (s == null) {
            return null;
        }
        try {
            return EventRef.of(s.text());
        } catch (IllegalArgumentException e) {
            problems.add(node.mark(), path, e.getMessage());
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------
    // workloads

    private Workload readWorkload(Node node, String path, int defaultThreads) {
        if (node instanceof ScalarNode s && !s.isNull()) {
            WorkloadProfile p = profile(s, path);
            return p == null ? null : Workload.of(p, defaultThreads);
        }
        MapNode m = map(node, path);
        if (m == null) {
            return null;
        }
        Fields o = new Fields(m, path, WORKLOAD_FIELDS, "");
        WorkloadProfile profile = null;
        if (o.required("profile")) {
            ScalarNode s = scalar(o.get("profile"), o.at("profile"), "a workload profile");
            profile = s == null ? null : profile(s, o.at("profile"));
        }
        int threads = defaultThreads;
        if (o.has("threads")) {
            Long t = atLeast(wholeNumber(o.get("threads"), o.at("threads")), 1, o.get("threads"), o.at("threads"));
            if (t == null) {
                return null;
            }
            if (t > MAX_HOST_CPUS * 4L) {
                problems.add(o.get("threads").mark(), o.at("threads"), "must be at most " + MAX_HOST_CPUS * 4
                        + ", was " + t);
                return null;
            }
            threads = (int) (long) t;
        }
        Double load = null;
        if (o.has("load")) {
            load = fraction(o.get("load"), o.at("load"));
            if (load == null) {
                return null;
            }
        }
        if (profile == WorkloadProfile.IDLE && load != null && load > 0) {
            problems.add(o.get("load").mark(), o.at("load"), "an idle workload has no load; choose another profile"
                    + " for a busy one");
            return null;
        }
        Map<Integer, Long> rates = new TreeMap<>();
        if (o.has("rates")) {
            MapNode rm = map(o.get("rates"), o.at("rates"));
            if (rm == null) {
                return null;
            }
            Map<Integer, String> namedAs = new TreeMap<>();
            for (Entry e : rm.entries().values()) {
                String p = o.at("rates") + "." + e.key();
                int number;
                try {
                    number = EventNames.number(e.key());
                } catch (IllegalArgumentException ex) {
                    problems.add(e.keyMark(), p, ex.getMessage());
                    continue;
                }
                Long v = wholeNumber(e.value(), p);
                if (v != null && v < 0) {
                    problems.add(e.value().mark(), p, "a rate is at least 0 events per second, was " + v);
                    continue;
                }
                String other = namedAs.putIfAbsent(number, e.key());
                if (other != null) {
                    problems.add(e.keyMark(), p, String.format("sets the rate of event 0x%04x again (as %s)", number,
                            other));
                    continue;
                }
                if (v != null) {
                    rates.put(number, v);
                }
            }
        }
        OptionalLong exits = OptionalLong.empty();
        if (o.has("exits_per_second")) {
            Long e = atLeast(wholeNumber(o.get("exits_per_second"), o.at("exits_per_second")), 0,
                    o.get("exits_per_second"), o.at("exits_per_second"));
            if (e == null) {
                return null;
            }
            exits = OptionalLong.of(e);
        }
        if (profile == null) {
            return null;
        }
        double l = load != null ? load : profile == WorkloadProfile.IDLE ? 0.0 : 1.0;
        WorkloadProfile pf = profile;
        int th = threads;
        OptionalLong ex = exits;
        return build(m.mark(), path, () -> new Workload(pf, th, l, rates, ex));
    }

    private WorkloadProfile profile(ScalarNode s, String path) {
        WorkloadProfile p = WorkloadProfile.fromConfigName(s.text());
        if (p == null) {
            problems.add(s.mark(), path, "unknown workload profile '" + s.text() + "'; known: "
                    + Arrays.stream(WorkloadProfile.values()).map(WorkloadProfile::configName)
                            .collect(Collectors.joining(", ")));
        }
        return p;
    }

    // ------------------------------------------------------------------------------------------
    // host perf

    private List<PerfSession> readHostPerf(Fields top) {
        Map<String, Mark> names = new LinkedHashMap<>();
        return readList(top, "host_perf", (m, path) -> readSession(m, path, names));
    }

    private PerfSession readSession(MapNode m, String path, Map<String, Mark> names) {
        Fields o = new Fields(m, path, SESSION_FIELDS, "");
        String name = null;
        if (o.required("name")) {
            name = name(o.get("name"), o.at("name"));
            if (name != null) {
                Mark first = names.putIfAbsent(name, o.get("name").mark());
                if (first != null) {
                    problems.add(o.get("name").mark(), o.at("name"), "a host perf session named '" + name
                            + "' is already defined at line " + first.line() + ", column " + first.column());
                    name = null;
                }
            }
        }
        PerfMode mode = null;
        if (o.required("mode")) {
            String s = choice(o.get("mode"), o.at("mode"), List.of("stat", "record"));
            mode = s == null ? null : PerfMode.valueOf(s.toUpperCase(Locale.ROOT));
        }
        PerfScope scope = scope(o, PerfScope.SYSTEM);
        boolean ok = name != null && mode != null && scope != null;
        List<Integer> cpus = List.of();
        Optional<String> task = Optional.empty();
        if (scope == PerfScope.SYSTEM) {
            if (o.has("task")) {
                problems.add(o.keyMark("task"), o.at("task"), "task goes with scope: task; a system-wide session"
                        + " counts on CPUs");
                ok = false;
            }
            cpus = o.has("cpus") ? cpuList(o.get("cpus"), o.at("cpus")) : allCpus();
            ok &= cpus != null;
        } else if (scope == PerfScope.TASK) {
            if (o.has("cpus")) {
                problems.add(o.keyMark("cpus"), o.at("cpus"), "cpus goes with scope: system; a task session follows"
                        + " its task wherever it runs");
                ok = false;
            }
            if (o.required("task")) {
                String t = string(o.get("task"), o.at("task"));
                if (t != null && !processNames.containsKey(t)) {
                    problems.add(o.get("task").mark(), o.at("task"), "no host task or VM is named '" + t + "'; known: "
                            + known(processNames.keySet()));
                    ok = false;
                } else if (t != null) {
                    task = Optional.of(t);
                } else {
                    ok = false;
                }
            } else {
                ok = false;
            }
        }
        List<ReadGroup> groups = eventGroups(o, true);
        ok &= groups != null;
        if (groups != null && cpus != null && soc != null) {
            checkGroupsFit(groups, scope == PerfScope.SYSTEM ? cpus : allCpus());
        }
        boolean pinned = o.has("pinned") ? orElse(bool(o.get("pinned"), o.at("pinned")), false) : false;
        Optional<Sampling> sampling = Optional.empty();
        if (mode == PerfMode.STAT) {
            for (String k : List.of("frequency", "period")) {
                if (o.has(k)) {
                    problems.add(o.keyMark(k), o.at(k), "a stat session counts and does not sample; " + k
                            + " goes with mode: record");
                    ok = false;
                }
            }
        } else if (mode == PerfMode.RECORD) {
            Sampling s = sampling(o);
            ok &= s != null;
            sampling = Optional.ofNullable(s);
        }
        boolean exGuest = o.has("exclude_guest") ? orElse(bool(o.get("exclude_guest"), o.at("exclude_guest")), false)
                : false;
        boolean exHost = o.has("exclude_host") ? orElse(bool(o.get("exclude_host"), o.at("exclude_host")), false)
                : false;
        if (exGuest && exHost) {
            problems.add(o.keyMark("exclude_host"), o.at("exclude_host"), "with both exclude_guest and exclude_host"
                    + " the session counts nothing");
            ok = false;
        }
        long start = 0;
        if (o.has("start")) {
            Long s = duration(o.get("start"), o.at("start"));
            if (s != null && limitNs >= 0 && s >= limitNs) {
                problems.add(o.get("start").mark(), o.at("start"), "starts at " + Durations.format(s)
                        + ", not before the end of the run (" + Durations.format(limitNs) + ")");
                ok = false;
            } else if (s != null) {
                start = s;
            } else {
                ok = false;
            }
        }
        OptionalLong stop = OptionalLong.empty();
        if (o.has("stop")) {
            Long s = duration(o.get("stop"), o.at("stop"));
            if (s != null && s <= start) {
                problems.add(o.get("stop").mark(), o.at("stop"), "stops at " + Durations.format(s)
                        + ", not after it starts (" + Durations.format(start) + ")");
                ok = false;
            } else if (s != null && limitNs >= 0 && s > limitNs) {
                problems.add(o.get("stop").mark(), o.at("stop"), "stops at " + Durations.format(s)
                        + ", after the end of the run (" + Durations.format(limitNs) + ")");
                ok = false;
            } else if (s != null) {
                stop = OptionalLong.of(s);
            } else {
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        String n = name;
        PerfMode md = mode;
        List<Integer> cp = cpus;
        Optional<String> tk = task;
        Optional<Sampling> sm = sampling;
        long st = start;
        OptionalLong sp = stop;
        return build(m.mark(), path, () -> new PerfSession(n, md, scope, cp, tk, plain(groups), pinned, sm, exGuest,
                exHost, st, sp));
    }

    /**
     * A group larger than an empty PMU can never be opened (arm_pmu's validate_group,
     * perf-core-and-costs.md §1.2): it needs an event counter per event except one cycles event,
     * which the cycle counter can take.
     */
    private void checkGroupsFit(List<ReadGroup> groups, List<Integer> cpus) {
        Set<String> seen = new TreeSet<>();
        int maxN = 0;
        for (int c : cpus) {
            CpuModel type = soc.cpu(c);
            if (seen.add(type.name())) {
                maxN = Math.max(maxN, type.n().value());
            }
        }
        for (ReadGroup g : groups) {
            if (!g.fromGroups()) {
                continue;
            }
            long cycles = g.group().events().stream().filter(e -> e.number() == Events.CPU_CYCLES).count();
            long others = g.group().size() - cycles;
            if (others > maxN || g.group().size() > maxN + 1) {
                problems.add(g.mark(), g.path(), "a group of " + g.group().size() + " events cannot fit these CPUs'"
                        + " PMU (" + maxN + " event counters and the cycle counter), so perf_event_open would refuse"
                        + " it; split it");
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // policies, admin writes, costs

    private Policies readPolicies(Node node, String path) {
        MapNode m = map(node, path);
        if (m == null) {
            return null;
        }
        for (Entry e : m.entries().values()) {
            if (!POLICY_KINDS.contains(e.key())) {
                problems.add(e.keyMark(), path + "." + e.key(), "unknown policy kind '" + e.key()
                        + "'; known: allocation, selection, filter");
            }
        }
        List<PolicyChoice> allocation = new ArrayList<>();
        Entry a = m.entries().get("allocation");
        if (a != null) {
            String p = path + ".allocation";
            if (a.value() instanceof ListNode l) {
                if (l.items().isEmpty()) {
                    problems.add(l.mark(), p, "lists no policy; leave allocation out to compare every installed one");
                }
                Map<PolicyChoice, Mark> seen = new LinkedHashMap<>();
                for (int i = 0; i < l.items().size(); i++) {
                    PolicyChoice c = policyChoice(l.items().get(i), p + "[" + i + "]", PolicyKind.ALLOCATION);
                    if (c == null) {
                        continue;
                    }
                    PolicyChoice key = new PolicyChoice(c.kind(), c.name(), c.rawSettings(),
                            new SourcePosition(file, 0, 0, ""));
                    Mark first = seen.putIfAbsent(key, l.items().get(i).mark());
                    if (first != null) {
                        problems.add(l.items().get(i).mark(), p + "[" + i + "]", c.label()
                                + " is already listed at line " + first.line() + ", column " + first.column());
                    } else {
                        allocation.add(c);
                    }
                }
            } else {
                PolicyChoice c = policyChoice(a.value(), p, PolicyKind.ALLOCATION);
                if (c != null) {
                    allocation.add(c);
                }
            }
        }
        Optional<PolicyChoice> selection = singlePolicy(m, path, PolicyKind.SELECTION);
        Optional<PolicyChoice> filter = singlePolicy(m, path, PolicyKind.FILTER);
        return new Policies(allocation, selection, filter);
    }

    private Optional<PolicyChoice> singlePolicy(MapNode policies, String path, PolicyKind kind) {
        Entry e = policies.entries().get(kind.configName());
        if (e == null) {
            return Optional.empty();
        }
        String p = path + "." + kind.configName();
        if (e.value() instanceof ListNode) {
            problems.add(e.value().mark(), p, "only allocation may list several policies to compare; "
                    + kind.configName() + " takes one");
            return Optional.empty();
        }
        return Optional.ofNullable(policyChoice(e.value(), p, kind));
    }

    /** {@code name} or {@code {name: NAME, settings: {...}}}. */
    private PolicyChoice policyChoice(Node node, String path, PolicyKind kind) {
        SourcePosition at = new SourcePosition(file, node.mark().line(), node.mark().column(), path);
        if (node instanceof ScalarNode s && !s.isNull() && s.token() == JsonToken.VALUE_STRING) {
            if (s.text().isBlank()) {
                problems.add(node.mark(), path, "expected a policy name, got nothing");
                return null;
            }
            return new PolicyChoice(kind, s.text(), Map.of(), at);
        }
        if (!(node instanceof MapNode)) {
            problems.add(node.mark(), path, "expected a policy name or {name: NAME, settings: {...}}, got "
                    + node.describe());
            return null;
        }
        Fields o = new Fields((MapNode) node, path, POLICY_FIELDS, "");
        String name = o.required("name") ? string(o.get("name"), o.at("name")) : null;
        Map<String, Object> settings = new LinkedHashMap<>();
        boolean ok = name != null;
        if (o.has("settings")) {
            MapNode sm = map(o.get("settings"), o.at("settings"));
            if (sm == null) {
                ok = false;
            } else {
                for (Entry e : sm.entries().values()) {
                    Object v = rawSetting(e.value(), o.at("settings") + "." + e.key());
                    if (v == null) {
                        ok = false;
                    } else {
                        settings.put(e.key(), v);
                    }
                }
            }
        }
        return ok ? new PolicyChoice(kind, name, settings, at) : null;
    }

    /** A setting as YAML typed it: Boolean, Long (BigInteger if larger), Double, String, or a list of those. */
    private Object rawSetting(Node node, String path) {
        if (node instanceof ListNode l) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.items().size(); i++) {
                Node item = l.items().get(i);
                if (!(item instanceof ScalarNode)) {
                    problems.add(item.mark(), path + "[" + i + "]", "a setting's list holds scalars, not "
                            + item.describe());
                    return null;
                }
                Object v = rawScalar((ScalarNode) item, path + "[" + i + "]");
                if (v == null) {
                    return null;
                }
                out.add(v);
            }
            return out;
        }
        if (node instanceof ScalarNode s) {
            return rawScalar(s, path);
        }
        problems.add(node.mark(), path, "a setting is a scalar or a list of scalars, not " + node.describe());
        return null;
    }

    private Object rawScalar(ScalarNode s, String path) {
        switch (s.token()) {
            case VALUE_NULL:
                problems.add(s.mark(), path, "the setting has no value");
                return null;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NUMBER_INT: {
                BigInteger b = integerText(s.text());
                if (b == null) {
                    return s.text();
                }
                return b.bitLength() < 64 ? (Object) b.longValue() : b;
            }
            case VALUE_NUMBER_FLOAT:
                try {
                    return Double.valueOf(s.text().replace("_", ""));
                } catch (NumberFormatException e) {
                    return s.text();
                }
            default:
                return s.text();
        }
    }

    private AdminWrite readAdminWrite(MapNode m, String path) {
        Fields o = new Fields(m, path, ADMIN_FIELDS, "");
        Long at = o.required("at") ? duration(o.get("at"), o.at("at")) : null;
        if (at != null && limitNs >= 0 && at >= limitNs) {
            problems.add(o.get("at").mark(), o.at("at"), "at " + Durations.format(at) + " is not before the end of the run ("
                    + Durations.format(limitNs) + ")");
            at = null;
        }
        String knob = null;
        if (o.required("knob")) {
            knob = string(o.get("knob"), o.at("knob"));
            if (knob != null && !knob.matches(KNOB_RULE)) {
                problems.add(o.get("knob").mark(), o.at("knob"), "a knob is a sysfs file name: lower-case letters,"
                        + " digits and '_', starting with a letter; got '" + knob + "'");
                knob = null;
            }
        }
        Long value = o.required("value") ? wholeNumber(o.get("value"), o.at("value")) : null;
        if (at == null || knob == null || value == null) {
            return null;
        }
        return new AdminWrite(at, knob, value);
    }

    private Map<KernelCost, CostOverride> readCosts(Node node, String path) {
        MapNode m = map(node, path);
        if (m == null) {
            return Map.of();
        }
        Map<KernelCost, CostOverride> out = new EnumMap<>(KernelCost.class);
        Map<KernelCost, Mark> where = new EnumMap<>(KernelCost.class);
        for (Entry e : m.entries().values()) {
            String p = path + "." + e.key();
            KernelCost cost = cost(e.key());
            if (cost == null) {
                String msg = e.key().equalsIgnoreCase("C15")
                        ? "C15, the rotation interval, is not a cost here: set host.mux_interval"
                        : "unknown cost '" + e.key() + "'; write an id of perf-core-and-costs.md §8 ("
                                + Arrays.stream(KernelCost.values()).map(KernelCost::id)
                                        .collect(Collectors.joining(", "))
                                + ") or a name such as PERF_EVENT_CREATE";
                problems.add(e.keyMark(), p, msg);
                continue;
            }
            Mark first = where.putIfAbsent(cost, e.keyMark());
            if (first != null) {
                problems.add(e.keyMark(), p, cost.id() + " (" + cost.name() + ") is already set at line " + first.line()
                        + ", column " + first.column());
                continue;
            }
            CostOverride c = costValue(e.value(), p, cost);
            if (c != null) {
                out.put(cost, c);
            }
        }
        return out;
    }

    private static KernelCost cost(String key) {
        for (KernelCost c : KernelCost.values()) {
            if (c.id().equalsIgnoreCase(key) || c.name().equalsIgnoreCase(key)) {
                return c;
            }
        }
        return null;
    }

    /** A number of ns, a duration, or {@code {base: ..., per_unit: ...}}. */
    private CostOverride costValue(Node node, String path, KernelCost cost) {
        if (node instanceof MapNode m) {
            Fields o = new Fields(m, path, COST_FIELDS, "");
            Long base = o.required("base") ? nanoseconds(o.get("base"), o.at("base")) : null;
            OptionalLong perUnit = OptionalLong.empty();
            if (o.has("per_unit")) {
                if (cost.defaultPerUnitNs() == 0) {
                    problems.add(o.keyMark("per_unit"), o.at("per_unit"), cost.id() + " (" + cost.name()
                            + ") has no per-unit part; only "
                            + Arrays.stream(KernelCost.values()).filter(k -> k.defaultPerUnitNs() > 0)
                                    .map(KernelCost::id).collect(Collectors.joining(" and "))
                            + " do");
                    return null;
                }
                Long u = nanoseconds(o.get("per_unit"), o.at("per_unit"));
                if (u == null) {
                    return null;
                }
                perUnit = OptionalLong.of(u);
            }
            return base == null ? null : new CostOverride(base, perUnit);
        }
        Long base = nanoseconds(node, path);
        return base == null ? null : CostOverride.base(base);
    }

    /** A cost: a whole number of ns, or a duration such as 2us; not negative. */
    private Long nanoseconds(Node node, String path) {
        ScalarNode s = scalar(node, path, "a cost in ns");
        if (s == null) {
            return null;
        }
        if (s.isNumber()) {
            return atLeast(wholeNumber(node, path), 0, node, path);
        }
        return duration(node, path);
    }

    // ------------------------------------------------------------------------------------------
    // CPUs

    private List<Integer> allCpus() {
        int n = soc == null ? 1 : soc.cpuCount();
        return IntStream.range(0, n).boxed().toList();
    }

    /**
     * {@code all}, one CPU number, a list of numbers and ranges, or a Linux cpulist string
     * ({@code 0-3,8}); ascending and without repeats. Null if wrong; out-of-range CPUs are
     * checked only when the host is known.
     */
    private List<Integer> cpuList(Node node, String path) {
        TreeSet<Integer> out = new TreeSet<>();
        if (node instanceof ListNode l) {
            if (l.items().isEmpty()) {
                problems.add(node.mark(), path, "lists no CPU");
                return null;
            }
            boolean ok = true;
            for (int i = 0; i < l.items().size(); i++) {
                ok &= cpuListPart(l.items().get(i), path + "[" + i + "]", out, false);
            }
            return ok ? List.copyOf(out) : null;
        }
        if (node instanceof ScalarNode s && s.text().strip().equals("all")) {
            return allCpus();
        }
        return cpuListPart(node, path, out, true) ? List.copyOf(out) : null;
    }

    private boolean cpuListPart(Node node, String path, Set<Integer> out, boolean allowAll) {
        ScalarNode s = node instanceof ScalarNode sc && !sc.isNull() && !sc.isBoolean() ? sc : null;
        String text = s == null ? null : s.text().strip();
        if (text == null || !text.matches("\\d+(-\\d+)?(\\s*,\\s*\\d+(-\\d+)?)*")) {
            problems.add(node.mark(), path, "expected " + (allowAll ? "all, " : "") + "a CPU number, a range such as"
                    + " 0-3, or a list of them; got " + node.describe());
            return false;
        }
        for (String part : text.split("\\s*,\\s*")) {
            String[] ends = part.split("-");
            long lo = Long.parseLong(ends[0]);
            long hi = ends.length == 2 ? Long.parseLong(ends[1]) : lo;
            if (hi < lo) {
                problems.add(node.mark(), path, "the range " + part + " runs backwards");
                return false;
            }
            if (!inRange(hi, node, path)) {
                return false;
            }
            for (long c = lo; c <= hi; c++) {
                out.add((int) c);
            }
        }
        return true;
    }

    /** One CPU number. */
    private Integer cpu(Node node, String path) {
        Long v = wholeNumber(node, path);
        if (v == null) {
            return null;
        }
        if (v < 0) {
            problems.add(node.mark(), path, "a CPU number is at least 0, was " + v);
            return null;
        }
        return inRange(v, node, path) ? (int) (long) v : null;
    }

    private boolean inRange(long cpu, Node node, String path) {
        int n = soc == null ? MAX_HOST_CPUS : soc.cpuCount();
        if (cpu >= n) {
            problems.add(node.mark(), path, soc == null
                    ? "CPU " + cpu + " is beyond any host (at most " + MAX_HOST_CPUS + " CPUs)"
                    : "CPU " + cpu + " is out of range: the host has " + n + " CPUs (0-" + (n - 1) + ")");
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // scalars

    private <T> List<T> readList(Fields o, String key, ItemReader<T> reader) {
        if (!o.has(key)) {
            return List.of();
        }
        ListNode l = list(o.get(key), o.at(key));
        if (l == null) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < l.items().size(); i++) {
            String p = o.at(key) + "[" + i + "]";
            MapNode m = map(l.items().get(i), p);
            if (m != null) {
                T t = reader.read(m, p);
                if (t != null) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    @FunctionalInterface
    private interface ItemReader<T> {
        T read(MapNode node, String path);
    }

    /**
     * Builds a record whose values were all checked. A record's own invariant failing here means a
     * check is missing above; it is still reported against the input rather than thrown.
     */
    private <T> T build(Mark at, String path, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            if (problems.isEmpty()) {
                problems.add(at, path, e.getMessage());
            }
            return null;
        }
    }

    private MapNode map(Node node, String path) {
        if (node instanceof MapNode m) {
            return m;
        }
        problems.add(node.mark(), path, "expected a mapping of fields, got " + node.describe());
        return null;
    }

    private ListNode list(Node node, String path) {
        if (node instanceof ListNode l) {
            return l;
        }
        problems.add(node.mark(), path, "expected a list, got " + node.describe());
        return null;
    }

    private ScalarNode scalar(Node node, String path, String what) {
        if (node instanceof ScalarNode s && !s.isNull()) {
            return s;
        }
        problems.add(node.mark(), path, "expected " + what + ", got " + node.describe());
        return null;
    }

    private String string(Node node, String path) {
        ScalarNode s = scalar(node, path, "a string");
        if (s == null) {
            return null;
        }
        if (s.text().isBlank()) {
            problems.add(node.mark(), path, "expected a string, got nothing");
            return null;
        }
        return s.text();
    }

    private String name(Node node, String path) {
        String s = string(node, path);
        if (s != null && !s.matches(NAME_RULE)) {
            problems.add(node.mark(), path, "a name is letters, digits, '.', '_' and '-', starting with a letter or"
                    + " digit; got '" + s + "'");
            return null;
        }
        return s;
    }

    private String choice(Node node, String path, List<String> choices) {
        ScalarNode s = scalar(node, path, "one of " + String.join(", ", choices));
        if (s == null) {
            return null;
        }
        if (!choices.contains(s.text())) {
            problems.add(node.mark(), path, "expected one of " + String.join(", ", choices) + ", got '" + s.text() + "'");
            return null;
        }
        return s.text();
    }

    private Boolean bool(Node node, String path) {
        if (node instanceof ScalarNode s && s.isBoolean()) {
            return s.token() == JsonToken.VALUE_TRUE;
        }
        problems.add(node.mark(), path, "expected true or false, got " + node.describe());
        return null;
    }

    /**
     * A whole number, written as YAML writes numbers: {@code 42}, {@code 0x2a}, {@code 1_000},
     * or in exponent form when exact ({@code 5e9}).
     */
    private Long wholeNumber(Node node, String path) {
        if (!(node instanceof ScalarNode s) || !s.isNumber()) {
            problems.add(node.mark(), path, "expected a whole number, got " + node.describe());
            return null;
        }
        BigInteger v = integerText(s.text());
        if (v == null) {
            problems.add(node.mark(), path, "expected a whole number, got '" + s.text() + "'");
            return null;
        }
        if (v.bitLength() >= 64) {
            problems.add(node.mark(), path, "'" + s.text() + "' is too large (at most " + Long.MAX_VALUE + ")");
            return null;
        }
        return v.longValue();
    }

    /** The integer a YAML number spells, or null when it has a fraction or is not a number. */
    private static BigInteger integerText(String text) {
        String t = text.strip().replace("_", "");
        boolean negative = t.startsWith("-");
        String digits = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        try {
            BigInteger v;
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                v = new BigInteger(digits.substring(2), 16);
            } else {
                v = new BigDecimal(digits).toBigIntegerExact();
            }
            return negative ? v.negate() : v;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private Double fraction(Node node, String path) {
        if (!(node instanceof ScalarNode s) || !s.isNumber()) {
            problems.add(node.mark(), path, "expected a number from 0 to 1, got " + node.describe());
            return null;
        }
        double v;
        try {
            v = new BigDecimal(s.text().replace("_", "")).doubleValue();
        } catch (NumberFormatException e) {
            problems.add(node.mark(), path, "expected a number from 0 to 1, got '" + s.text() + "'");
            return null;
        }
        if (!(v >= 0.0 && v <= 1.0)) {
            problems.add(node.mark(), path, "must be from 0 to 1, was " + s.text());
            return null;
        }
        return v;
    }

    private Long duration(Node node, String path) {
        ScalarNode s = scalar(node, path, "a duration such as 10ms");
        if (s == null) {
            return null;
        }
        try {
            return Durations.parseNs(s.text());
        } catch (IllegalArgumentException e) {
            problems.add(node.mark(), path, e.getMessage());
            return null;
        }
    }

    private Long positiveDuration(Node node, String path) {
        Long d = duration(node, path);
        if (d != null && d == 0) {
            problems.add(node.mark(), path, "must be longer than 0");
            return null;
        }
        return d;
    }

    private Long atLeast(Long v, long min, Node node, String path) {
        if (v != null && v < min) {
            problems.add(node.mark(), path, "must be at least " + min + ", was " + v);
            return null;
        }
        return v;
    }

    private static <T> T orElse(T v, T dflt) {
        return v != null ? v : dflt;
    }

    private static String known(Set<String> names) {
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }

    /**
     * The fields of one mapping: reports unknown keys when made, then hands out values by key.
     */
    private final class Fields {
        final MapNode node;
        final String path;
        private final Mark mark;

        Fields(MapNode node, String path, List<String> known, String context) {
            this.node = node;
            this.path = path;
            this.mark = node.mark();
            for (Entry e : node.entries().values()) {
                if (!known.contains(e.key())) {
                    problems.add(e.keyMark(), at(e.key()), "unknown field '" + e.key() + "'" + context
                            + "; known fields: " + String.join(", ", known));
                }
            }
        }

        /** No fields: a value written as a bare name ({@code pmu_usage: idle}) takes every default. */
        Fields(Mark mark, String path) {
            this.node = new MapNode(mark, Map.of());
            this.path = path;
            this.mark = mark;
        }

        boolean has(String key) {
            return node.entries().containsKey(key);
        }

        /** The value, or null when absent. */
        Node get(String key) {
            Entry e = node.entries().get(key);
            return e == null ? null : e.value();
        }

        Mark keyMark(String key) {
            return node.entries().get(key).keyMark();
        }

        String at(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        Mark mark() {
            return mark;
        }

        String path() {
            return path;
        }

        /** Whether {@code key} is present; if not, reports it missing at the mapping's start. */
        boolean required(String key) {
            if (has(key)) {
                return true;
            }
            problems.add(mark, at(key), "required field is missing");
            return false;
        }
    }
}
