package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.PmuVersion;
import dev.pmulab.hw.catalog.CpuCatalog;
import dev.pmulab.hw.catalog.CpuModel;
import dev.pmulab.hw.catalog.SocCatalog;
import dev.pmulab.hw.catalog.SocModel;
import dev.pmulab.kvm.vpmu.PartitionFgtSet;
import dev.pmulab.sim.scenario.FieldReader.Fields;
import dev.pmulab.sim.scenario.YamlTree.Entry;
import dev.pmulab.sim.scenario.YamlTree.ListNode;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import dev.pmulab.sim.scenario.YamlTree.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code host} section: a catalog SoC or the scenario's own CPUs ({@code cpus}), per-core
 * {@code cpu_overrides}, and the host kernel's settings. It is read first: every CPU number, core
 * type and counter count in the sections after it is checked against the SoC it gives.
 */
final class HostReader {
    static final List<String> HOST_KEYS = List.of(
            "soc",
            "cpus",
            "firmware",
            "cpu_overrides",
            "vhe",
            "hz",
            "mux_interval",
            "nmi_watchdog",
            "watchdog_thresh",
            "kvm",
            "cputime_accounting");
    /** {@code host.kvm}: how the host's KVM is built (which partitioning series' FGT set it traps). */
    static final List<String> KVM_KEYS = List.of("partition_fgt");
    /** One entry of {@code host.cpus}. */
    static final List<String> CLUSTER_KEYS = List.of("core", "count");
    /** One core type's entry in {@code host.cpu_overrides} (keyed by the core's name). */
    static final List<String> OVERRIDE_KEYS = List.of("n", "pmu_version", "fgt", "hpmn0", "brbe");

    /** The largest NR_CPUS arm64's Kconfig allows. */
    static final int MAX_HOST_CPUS = 4096;
    /** The largest kernel.watchdog_thresh, in seconds (kernel/watchdog.c's sysctl bound). */
    static final int MAX_WATCHDOG_THRESH_S = 60;

    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    /** The host's default CONFIG_HZ, and a guest's: arm64 defconfig's 250. */
    static final int DEFAULT_HZ = 250;

    /**
     * The host as read.
     *
     * @param spec the host; null if anything in the section was wrong
     * @param soc the SoC, for the sections read after the host; null when it could not be read,
     *     which turns off the checks that need it (a {@code spec} problem elsewhere keeps it known)
     */
    record Section(HostSpec spec, SocModel soc) {}

    private final FieldReader in;

    HostReader(FieldReader in) {
        this.in = requireNonNull(in, "in is null");
    }

    /** The section {@code host}, null when absent: then the generic SoC and every default. */
    Section read(Node node) {
        SocModel generic = SocCatalog.byName(SocCatalog.GENERIC);
        if (node == null) {
            return new Section(
                    new HostSpec(
                            generic,
                            true,
                            DEFAULT_HZ,
                            HostSpec.defaultMuxIntervalNs(DEFAULT_HZ),
                            false,
                            PmuUsage.NmiWatchdog.DEFAULT_THRESH_NS),
                    generic);
        }
        MapNode m = in.map(node, "host");
        if (m == null) {
            return new Section(null, null);
        }
        Fields o = in.fields(m, "host", HOST_KEYS);
        SocModel soc = soc(o, generic);
        boolean vhe = o.flag("vhe", true);
        int hz = o.has("hz") ? in.hz(o.get("hz"), o.at("hz"), DEFAULT_HZ) : DEFAULT_HZ;
        long mux = HostSpec.defaultMuxIntervalNs(hz);
        if (o.has("mux_interval")) {
            // The sysfs file perf_event_mux_interval_ms takes an int of milliseconds and refuses
            // anything below 1 (perf_event_mux_interval_ms_store).
            mux = FieldReader.orElse(
                    in.wholeUnits(
                            o.get("mux_interval"),
                            o.at("mux_interval"),
                            MS,
                            "milliseconds",
                            1,
                            Integer.MAX_VALUE,
                            "perf_event_mux_interval_ms",
                            ""),
                    mux);
        }
        boolean watchdog = o.flag("nmi_watchdog", false);
        long thresh = PmuUsage.NmiWatchdog.DEFAULT_THRESH_NS;
        if (o.has("watchdog_thresh")) {
            Long t = watchdogThresh(
                    in,
                    o.get("watchdog_thresh"),
                    o.at("watchdog_thresh"),
                    " (0 turns the detector off: write nmi_watchdog: false)");
            if (t != null && !watchdog) {
                in.problem(
                        o.keyMark("watchdog_thresh"),
                        o.at("watchdog_thresh"),
                        "watchdog_thresh sets the NMI"
                                + " watchdog's period, and this host runs none; add nmi_watchdog: true or leave it out");
            }
            thresh = FieldReader.orElse(t, thresh);
        }
        PartitionFgtSet fgtSet = partitionFgt(o);
        CputimeAccounting accounting = o.has("cputime_accounting")
                ? FieldReader.orElse(
                        in.choice(
                                o.get("cputime_accounting"),
                                o.at("cputime_accounting"),
                                List.of(CputimeAccounting.values()),
                                CputimeAccounting::configName),
                        CputimeAccounting.TICK)
                : CputimeAccounting.TICK;
        if (soc == null) {
            return new Section(null, null);
        }
        long muxNs = mux;
        long threshNs = thresh;
        return new Section(
                in.build(
                        m.mark(),
                        "host",
                        () -> new HostSpec(soc, vhe, hz, muxNs, watchdog, threshNs, fgtSet, accounting)),
                soc);
    }

    /**
     * A {@code kernel.watchdog_thresh}, the host's or a guest's: whole seconds from 1 to 60
     * ({@code proc_watchdog_thresh} takes an int bounded by 0 and 60, and 0 turns the detector off);
     * null after a problem. {@code offNote} says how a scenario turns the detector off instead.
     */
    static Long watchdogThresh(FieldReader in, Node node, String path, String offNote) {
        return in.wholeUnits(
                node, path, SECOND, "seconds", 1, MAX_WATCHDOG_THRESH_S, "kernel.watchdog_thresh", offNote);
    }

    /** {@code host.kvm.partition_fgt}: the partitioning series' FGT set; v8 unless given. */
    private PartitionFgtSet partitionFgt(Fields o) {
        if (!o.has("kvm")) {
            return HostSpec.DEFAULT_PARTITION_FGT;
        }
        MapNode km = in.map(o.get("kvm"), o.at("kvm"));
        if (km == null) {
            return HostSpec.DEFAULT_PARTITION_FGT;
        }
        Fields k = in.fields(km, o.at("kvm"), KVM_KEYS);
        if (!k.has("partition_fgt")) {
            return HostSpec.DEFAULT_PARTITION_FGT;
        }
        PartitionFgtSet v = in.choice(
                k.get("partition_fgt"),
                k.at("partition_fgt"),
                List.of(PartitionFgtSet.values()),
                PartitionFgtSet::configName);
        return FieldReader.orElse(v, HostSpec.DEFAULT_PARTITION_FGT);
    }

    /** {@code soc} or {@code cpus} (or neither: the generic SoC), then the overrides; null if wrong. */
    private SocModel soc(Fields o, SocModel generic) {
        SocModel base;
        if (o.has("soc") && o.has("cpus")) {
            in.problem(o.keyMark("cpus"), o.at("cpus"), "give soc or cpus, not both");
            base = null;
        } else if (o.has("soc")) {
            firmwareGoesWithCpus(o);
            base = fromCatalog(o, "soc", SocCatalog::byName);
        } else if (o.has("cpus")) {
            base = customSoc(o);
        } else {
            firmwareGoesWithCpus(o);
            base = generic;
        }
        if (base != null && o.has("cpu_overrides")) {
            return applyOverrides(base, o.get("cpu_overrides"), o.at("cpu_overrides"));
        }
        return base;
    }

    /**
     * The catalog entry {@code key} names; null after a problem, which carries the catalog's own
     * message (it lists the known names).
     */
    private <T> T fromCatalog(Fields o, String key, Function<String, T> byName) {
        String name = in.string(o.get(key), o.at(key));
        if (name == null) {
            return null;
        }
        try {
            return byName.apply(name);
        } catch (IllegalArgumentException e) {
            in.problem(o.get(key).mark(), o.at(key), e.getMessage());
            return null;
        }
    }

    private void firmwareGoesWithCpus(Fields o) {
        if (o.has("firmware")) {
            in.problem(o.keyMark("firmware"), o.at("firmware"), "firmware goes with cpus; a catalog SoC has its own");
        }
    }

    private SocModel customSoc(Fields host) {
        ListNode l = in.list(host.get("cpus"), host.at("cpus"));
        if (l == null) {
            return null;
        }
        if (l.items().isEmpty()) {
            in.problem(l.mark(), host.at("cpus"), "a host needs at least one CPU: give [{core: NAME, count: N}, ...]");
            return null;
        }
        List<Cluster> read = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < l.items().size(); i++) {
            Cluster c = cluster(l.items().get(i), host.at("cpus") + "[" + i + "]");
            read.add(c);
            if (c == null) {
                continue;
            }
            total += c.count();
            if (total > MAX_HOST_CPUS) {
                in.problem(
                        c.countNode().mark(),
                        c.countPath(),
                        "a host has at most " + MAX_HOST_CPUS + " CPUs (arm64's largest NR_CPUS); this one would have "
                                + total);
                return null;
            }
        }
        SocModel.Firmware firmware = SocModel.Firmware.DEVICE_TREE;
        if (host.has("firmware")) {
            String f = in.choice(host.get("firmware"), host.at("firmware"), List.of("device-tree", "acpi"));
            if (f != null) {
                firmware = f.equals("acpi") ? SocModel.Firmware.ACPI : SocModel.Firmware.DEVICE_TREE;
            }
        }
        if (read.contains(null)) {
            return null;
        }
        List<SocModel.Cluster> clusters = read.stream()
                .map(c -> new SocModel.Cluster(c.cpu(), (int) c.count()))
                .toList();
        String shape = clusters.stream()
                .map(c -> c.count() + "x " + c.cpu().displayName())
                .collect(Collectors.joining(" + "));
        SocModel.Firmware fw = firmware;
        return in.build(
                host.get("cpus").mark(),
                host.at("cpus"),
                () -> new SocModel(
                        "custom",
                        "Custom (" + shape + ")",
                        fw,
                        clusters,
                        List.of("the scenario's own CPUs (" + in.file() + "): " + shape
                                + ", numbered in the order the scenario lists them"),
                        List.of()));
    }

    /** One entry of {@code host.cpus} as read, with where its count is written (for the total's check). */
    private record Cluster(CpuModel cpu, long count, Node countNode, String countPath) {}

    /** One entry of {@code host.cpus}: a catalog core and how many of it; null after a problem. */
    private Cluster cluster(Node node, String path) {
        MapNode cm = in.map(node, path);
        if (cm == null) {
            return null;
        }
        Fields c = in.fields(cm, path, CLUSTER_KEYS);
        CpuModel cpu = c.required("core") ? fromCatalog(c, "core", CpuCatalog::byName) : null;
        Long count = c.required("count") ? in.atLeast(c.get("count"), c.at("count"), 1) : null;
        if (cpu == null || count == null) {
            return null;
        }
        return new Cluster(cpu, count, c.get("count"), c.at("count"));
    }

    private SocModel applyOverrides(SocModel base, Node node, String path) {
        MapNode m = in.map(node, path);
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
                in.problem(
                        e.keyMark(),
                        p,
                        "this host has no " + e.key() + " core; its cores: " + String.join(", ", overridden.keySet()));
                continue;
            }
            MapNode om = in.map(e.value(), p);
            if (om != null) {
                CpuModel o = override(cpu, in.fields(om, p, OVERRIDE_KEYS));
                // The PMU's own rules (FEAT_HPMN0 needs FEAT_FGT; no event counters under EL2 needs
                // FEAT_HPMN0): a part that breaks them has no defined behaviour to simulate. A core
                // of another architecture level's features stays a what-if the reports list.
                List<String> broken = o.pmuConfig().architecturalViolations();
                if (!broken.isEmpty()) {
                    in.problem(
                            om.mark(),
                            p,
                            String.join("; ", broken) + " (Arm ARM); no real PMU is built so, and a"
                                    + " scenario refuses it (a register script may still study it: docs/pmuscript.md)");
                }
                overridden.put(core, o);
            }
        }
        List<SocModel.Cluster> clusters = base.clusters().stream()
                .map(c -> new SocModel.Cluster(overridden.get(c.cpu().name()), c.count()))
                .toList();
        return in.build(
                m.mark(),
                path,
                () -> new SocModel(
                        base.name(),
                        base.displayName(),
                        base.firmware(),
                        clusters,
                        base.provenance(),
                        base.topologyAssumptions()));
    }

    /** One core type with its overrides applied; a value that is wrong leaves its field as it was. */
    private CpuModel override(CpuModel cpu, Fields o) {
        try {
            if (o.has("n")) {
                Long n = in.wholeNumber(o.get("n"), o.at("n"));
                if (n != null && (n < 0 || n > 31)) {
                    in.problem(o.get("n").mark(), o.at("n"), "PMCR_EL0.N is 0..31, was " + n);
                } else if (n != null) {
                    cpu = cpu.withN((int) (long) n);
                }
            }
            if (o.has("pmu_version")) {
                String v = in.string(o.get("pmu_version"), o.at("pmu_version"));
                if (v != null) {
                    PmuVersion version = pmuVersion(v);
                    if (version == null) {
                        in.problem(
                                o.get("pmu_version").mark(),
                                o.at("pmu_version"),
                                "unknown PMU version '" + v
                                        + "'; known: "
                                        + Arrays.stream(PmuVersion.values())
                                                .map(PmuVersion::shortName)
                                                .collect(Collectors.joining(", ")));
                    } else {
                        cpu = cpu.withVersion(version);
                    }
                }
            }
            if (o.has("fgt")) {
                Boolean b = in.bool(o.get("fgt"), o.at("fgt"));
                if (b != null) {
                    cpu = cpu.withFgt(b);
                }
            }
            if (o.has("hpmn0")) {
                Boolean b = in.bool(o.get("hpmn0"), o.at("hpmn0"));
                if (b != null) {
                    cpu = cpu.withHpmn0(b);
                }
            }
            if (o.has("brbe")) {
                Boolean b = in.bool(o.get("brbe"), o.at("brbe"));
                if (b != null) {
                    cpu = cpu.withBrbe(b);
                }
            }
        } catch (IllegalArgumentException ex) {
            in.problem(o.mark(), o.path(), ex.getMessage());
        }
        return cpu;
    }

    private static PmuVersion pmuVersion(String v) {
        for (PmuVersion p : PmuVersion.values()) {
            if (p.shortName().equalsIgnoreCase(v)) {
                return p;
            }
        }
        return null;
    }
}
