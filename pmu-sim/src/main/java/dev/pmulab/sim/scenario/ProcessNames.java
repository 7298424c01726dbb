package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.scenario.FieldReader.Fields;
import dev.pmulab.sim.scenario.YamlTree.Mark;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The names of host tasks and VMs, one namespace (a host perf session's {@code task} may name
 * either), filled while {@code host_tasks} and then {@code vms} are read and then frozen into
 * {@link Declared} for the sections that refer to them. Tasks come first, so a VM that reuses a
 * task's name is the one reported.
 */
final class ProcessNames {
    /**
     * The processes a scenario declares, for the sections read after them.
     *
     * @param names every host task and VM name, with where it is written, in file order
     * @param vmNames the VM names, also of VMs that had other problems (so references to them do
     *     not add more)
     * @param vms the VMs that were read without a problem, by name
     */
    record Declared(Map<String, Mark> names, Set<String> vmNames, Map<String, VmSpec> vms) {
        Declared {
            names = Collections.unmodifiableMap(new LinkedHashMap<>(names));
            vmNames = Collections.unmodifiableSet(new LinkedHashSet<>(vmNames));
            vms = Collections.unmodifiableMap(new LinkedHashMap<>(vms));
        }
    }

    private final FieldReader in;
    private final Map<String, Mark> names = new LinkedHashMap<>();
    private final Set<String> vmNames = new LinkedHashSet<>();
    private final Map<String, VmSpec> vms = new LinkedHashMap<>();

    ProcessNames(FieldReader in) {
        this.in = requireNonNull(in, "in is null");
    }

    /** Reads {@code name}, checks its spelling and that no other VM or host task has it; null after a problem. */
    String declare(Fields o) {
        if (!o.required("name")) {
            return null;
        }
        String name = in.name(o.get("name"), o.at("name"));
        if (name == null) {
            return null;
        }
        Mark first = names.putIfAbsent(name, o.get("name").mark());
        if (first != null) {
            in.problem(
                    o.get("name").mark(),
                    o.at("name"),
                    "the name '" + name + "' is already used by a host task or" + " VM at line " + first.line()
                            + ", column " + first.column());
            return null;
        }
        return name;
    }

    /** Notes a VM's (declared) name, before the rest of the VM is read. */
    void vmNamed(String name) {
        vmNames.add(name);
    }

    /** Notes a VM read without a problem. */
    void vmRead(VmSpec vm) {
        vms.put(vm.name(), vm);
    }

    Declared declared() {
        return new Declared(names, vmNames, vms);
    }
}
