package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.scenario.FieldReader.Fields;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import java.util.List;

/** One entry of {@code host_tasks}: a host process beside the VMs, on its CPUs, with its workload. */
final class HostTaskReader {
    static final List<String> TASK_KEYS = List.of("name", "cpus", "workload");

    private final FieldReader in;
    private final ReadContext host;
    private final ProcessNames names;
    private final WorkloadReader workloads;

    /** {@code host}: the context after {@code host}; {@code names}: shared with the VMs read after. */
    HostTaskReader(FieldReader in, ReadContext host, ProcessNames names, WorkloadReader workloads) {
        this.in = requireNonNull(in, "in is null");
        this.host = requireNonNull(host, "host is null");
        this.names = requireNonNull(names, "names is null");
        this.workloads = requireNonNull(workloads, "workloads is null");
    }

    /** The task, or null after a problem. */
    HostTask read(MapNode m, String path) {
        Fields o = in.fields(m, path, TASK_KEYS);
        String name = names.declare(o);
        List<Integer> cpus = o.has("cpus")
                ? host.cpus().read(o.get("cpus"), o.at("cpus"))
                : host.cpus().all();
        Workload workload = o.required("workload")
                ? workloads.read(
                        o.get("workload"),
                        o.at("workload"),
                        cpus == null ? 1 : cpus.size(),
                        WorkloadReader.Runner.hostTask())
                : null;
        if (!FieldReader.allPresent(name, cpus, workload)) {
            return null;
        }
        return in.build(m.mark(), path, () -> new HostTask(name, cpus, workload));
    }
}
