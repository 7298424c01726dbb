package dev.pmulab.kvm.perf;

import dev.pmulab.kvm.CostSink;
import dev.pmulab.kvm.KernelCost;
import java.util.ArrayList;
import java.util.List;

/** Records every charge, so tests can assert which cost-table rows an operation charged. */
final class RecordingCostSink implements CostSink {
    record Charge(int cpu, KernelCost cost, int units) {}

    private final List<Charge> charges = new ArrayList<>();

    @Override
    public void charge(int cpu, KernelCost cost, int units) {
        charges.add(new Charge(cpu, cost, units));
    }

    List<Charge> charges() {
        return List.copyOf(charges);
    }

    List<Charge> of(KernelCost cost) {
        return charges.stream().filter(c -> c.cost() == cost).toList();
    }

    void clear() {
        charges.clear();
    }
}
