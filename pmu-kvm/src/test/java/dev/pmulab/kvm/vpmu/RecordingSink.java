package dev.pmulab.kvm.vpmu;

import dev.pmulab.kvm.CostSink;
import dev.pmulab.kvm.KernelCost;
import java.util.ArrayList;
import java.util.List;

/** Records every charge, so a test can say which cost-table rows an operation charged, and where. */
final class RecordingSink implements CostSink {
    record Charge(int cpu, KernelCost cost, int units) {}

    private final List<Charge> charges = new ArrayList<>();

    @Override
    public void charge(int cpu, KernelCost cost, int units) {
        charges.add(new Charge(cpu, cost, units));
    }

    List<Charge> charges() {
        return List.copyOf(charges);
    }

    /** How many times {@code cost} was charged. */
    long count(KernelCost cost) {
        return charges.stream().filter(c -> c.cost() == cost).count();
    }

    /** The costs charged, in order. */
    List<KernelCost> costs() {
        return charges.stream().map(Charge::cost).toList();
    }

    void clear() {
        charges.clear();
    }
}
