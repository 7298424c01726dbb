package dev.pmulab.sim.guest;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.PmcrEl0;

/**
 * A guest that knows the trap-and-grow trick (Colton Lewis's third objection,
 * partitioning-and-policies.md §6.5): it programs every counter PMCR_EL0.N shows, then on every
 * tick writes the counter just above them to make the host give it one more, until the host
 * refuses (KVM injects UNDEFINED) or it has them all.
 */
public final class GreedyGuest implements GuestPmuModel {
    private final int hz;
    private int programmed;
    private boolean refused;
    private boolean booted;

    public GreedyGuest(int hz) {
        if (hz <= 0) {
            throw new IllegalArgumentException("hz must be positive");
        }
        this.hz = hz;
    }

    @Override
    public int hz() {
        return hz;
    }

    @Override
    public void boot(GuestPmuPort port) {
        booted = true;
        // Interrupts off and overflow flags clear first: their reset values are UNKNOWN.
        port.write(PmuRegister.PMINTENCLR_EL1, 0xffff_ffffL);
        port.write(PmuRegister.PMOVSCLR_EL0, 0xffff_ffffL);
        programVisible(port);
        long pmcr = port.read(PmuRegister.PMCR_EL0);
        port.write(PmuRegister.PMCR_EL0, (pmcr | PmcrEl0.E) & PmcrEl0.MASK);
    }

    private void programVisible(GuestPmuPort port) {
        int n = PmcrEl0.n(port.read(PmuRegister.PMCR_EL0));
        for (int i = programmed; i < n; i++) {
            port.write(PmuRegister.PMEVTYPER_EL0, i, Events.INST_RETIRED);
            port.write(PmuRegister.PMCNTENSET_EL0, 1L << i);
        }
        programmed = Math.max(programmed, n);
    }

    @Override
    public void tick(GuestPmuPort port) {
        if (!booted || refused || programmed >= 31) {
            return;
        }
        programVisible(port);
        try {
            // Ask for more: a counter just above what PMCR_EL0.N shows.
            port.write(PmuRegister.PMEVTYPER_EL0, programmed, Events.INST_RETIRED);
            port.write(PmuRegister.PMCNTENSET_EL0, 1L << programmed);
            programmed++;
        } catch (GuestUndefinedException e) {
            refused = true;
        }
    }

    @Override
    public void pmuInterrupt(GuestPmuPort port) {
        port.readAndClearOverflows();
    }

    @Override
    public void accountExecution(ExceptionLevel el, EventRates rates, long ns) {
        // The greedy guest is about taking counters, not about their counts.
    }

    /** Counters the guest has programmed so far. */
    public int programmed() {
        return programmed;
    }
}
