package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Every field the scenario reader accepts, as (section, key) pairs in the order docs/scenarios.md
 * describes them. Each section reader declares its keys in one list ({@code HostReader.HOST_KEYS},
 * ...), which is also what its unknown-field message lists; this class only gathers them, so a
 * field added to a reader shows here by itself.
 *
 * <p>A section is named by its path with {@code []} for a list's entries ({@code vms[].placement})
 * and a PMU usage kind in parentheses ({@code vms[].pmu_usage(perf-stat)}). A key in angle
 * brackets stands for keys the user names: {@code <core>} a core type of the host,
 * {@code <event>} an event, {@code <cost>} a cost id or name, {@code <kind>} a policy kind,
 * {@code <setting>} a setting of the named policy (checked against the installed policy when a
 * run starts).
 */
public final class ScenarioFields {
    /**
     * One accepted field.
     *
     * @param section the mapping it is written in; empty for the top level
     * @param key the key, or a placeholder in angle brackets
     */
    public record Field(String section, String key) {
        public Field {
            requireNonNull(section, "section is null");
            requireNonNull(key, "key is null");
        }

        /** {@code section.key}, or {@code key} at the top level. */
        public String path() {
            return section.isEmpty() ? key : section + "." + key;
        }
    }

    private ScenarioFields() {}

    /** Every accepted field, each once. */
    public static List<Field> accepted() {
        List<Field> out = new ArrayList<>();
        add(out, "", ScenarioReader.TOP_KEYS);
        add(out, "run", RunReader.RUN_KEYS);
        add(out, "run.until_work_done", RunReader.WORK_KEYS);
        add(out, "host", HostReader.HOST_KEYS);
        add(out, "host.kvm", HostReader.KVM_KEYS);
        add(out, "host.cpus[]", HostReader.CLUSTER_KEYS);
        add(out, "host.cpu_overrides", List.of("<core>"));
        add(out, "host.cpu_overrides.<core>", HostReader.OVERRIDE_KEYS);
        add(out, "host_perf[]", HostPerfReader.SESSION_KEYS);
        add(out, "host_tasks[]", HostTaskReader.TASK_KEYS);
        workload(out, "host_tasks[].workload", WorkloadReader.HOST_TASK_WORKLOAD_KEYS);
        add(out, "vms[]", VmReader.VM_KEYS);
        add(out, "vms[].placement", VmReader.PLACEMENT_KEYS);
        add(out, "vms[].placement.migrate", VmReader.MIGRATE_KEYS);
        for (String kind : PmuUsage.kinds()) {
            add(out, "vms[].pmu_usage(" + kind + ")", PmuUsageReader.USAGE_KEYS.get(kind));
        }
        workload(out, "vms[].workload", WorkloadReader.WORKLOAD_KEYS);
        add(out, "vms[].sysctl", VmReader.SYSCTL_KEYS);
        add(out, "policies", PolicyReader.KIND_KEYS);
        add(out, "policies.<kind>", PolicyReader.POLICY_KEYS);
        add(out, "policies.<kind>.settings", List.of("<setting>"));
        add(out, "admin_writes[]", AdminWriteReader.ADMIN_KEYS);
        add(out, "costs", List.of("<cost>"));
        add(out, "costs.<cost>", CostReader.COST_KEYS);
        return List.copyOf(out);
    }

    private static void workload(List<Field> out, String section, List<String> keys) {
        add(out, section, keys);
        add(out, section + ".rates", List.of("<event>"));
    }

    private static void add(List<Field> out, String section, List<String> keys) {
        for (String k : keys) {
            out.add(new Field(section, k));
        }
    }
}
