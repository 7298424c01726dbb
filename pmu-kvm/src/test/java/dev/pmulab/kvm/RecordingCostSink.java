package dev.pmulab.kvm;

import java.util.ArrayList;
import java.util.List;

/** Records every charge, so a test can say which cost-table rows an operation charged, and where. */
public final class RecordingCostSink implements CostSink {
    public record Charge(int cpu, KernelCost cost, int units) {}

    private final List<Charge> charges = new ArrayList<>();

    @Override
    public void charge(int cpu, KernelCost cost, int units) {
        charges.add(new Charge(cpu, cost, units));
    }

    public List<Charge> charges() {
        return List.copyOf(charges);
    }

    /** The charges of {@code cost}, in order. */
    public List<Charge> of(KernelCost cost) {
        return charges.stream().filter(c -> c.cost() == cost).toList();
    }

    /** How many times {@code cost} was charged. */
    public long count(KernelCost cost) {
        return of(cost).size();
    }

    /** The costs charged, in order. */
    public List<KernelCost> costs() {
        return charges.stream().map(Charge::cost).toList();
    }

    public void clear() {
        charges.clear();
    }
}
