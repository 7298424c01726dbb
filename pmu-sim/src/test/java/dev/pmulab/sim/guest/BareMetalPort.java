package dev.pmulab.sim.guest;

import dev.pmulab.hw.AccessOutcome;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;

/** A guest PMU port straight onto a PE at EL1, no hypervisor in between: the guest models' reference. */
final class BareMetalPort implements GuestPmuPort {
    private final Pe pe;
    int accesses;

    BareMetalPort(Pe pe) {
        this.pe = pe;
    }

    @Override
    public long read(PmuRegister reg, int index) {
        accesses++;
        Pe.Access a = pe.read(reg, index);
        if (a.outcome() != AccessOutcome.OK) {
            throw new GuestUndefinedException(reg, index, false);
        }
        return a.value();
    }

    @Override
    public void write(PmuRegister reg, int index, long value) {
        accesses++;
        if (pe.write(reg, index, value) != AccessOutcome.OK) {
            throw new GuestUndefinedException(reg, index, true);
        }
    }

    @Override
    public long now() {
        return pe.now();
    }
}
