package dev.pmulab.sim.guest;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.PmcrEl0;

/**
 * A guest that knows the trap-and-grow trick (Colton Lewis's third objection,
 * partitioning-and-policies.md §6.5): it programs and enables every counter PMCR_EL0.N shows, and
 * on its own timer ({@code reprogram_every}) reads PMCR_EL0.N again and rewrites every counter it
 * shows; with {@code asks_for_more} it then also writes the counter just above them, to make the
 * host give it one more, until the host refuses (KVM injects UNDEFINED) or it has them all.
 */
public final class GreedyGuest implements GuestPmuModel {
    /** The highest event counter the architecture has (PMEVCNTR30_EL0). */
    private static final int LAST_COUNTER = 30;

    private final int hz;
    private final long reprogramEveryNs;
    private final boolean asksForMore;
    private int programmed;
    private boolean refused;
    private boolean booted;
    private long rewrites;

    /**
     * @param hz the guest kernel's tick
     * @param reprogramEveryNs the interval of its reprogramming timer
     * @param asksForMore whether it writes the counter above PMCR_EL0.N at each interval
     */
    public GreedyGuest(int hz, long reprogramEveryNs, boolean asksForMore) {
        if (hz <= 0 || reprogramEveryNs <= 0) {
            throw new IllegalArgumentException("hz and the reprogram interval must be positive");
        }
        this.hz = hz;
        this.reprogramEveryNs = reprogramEveryNs;
        this.asksForMore = asksForMore;
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

    /** Every counter PMCR_EL0.N shows: its type and its enable, written again. */
    private void programVisible(GuestPmuPort port) {
        int n = PmcrEl0.n(port.read(PmuRegister.PMCR_EL0));
        for (int i = 0; i < n; i++) {
            port.write(PmuRegister.PMEVTYPER_EL0, i, Events.INST_RETIRED);
            port.write(PmuRegister.PMCNTENSET_EL0, 1L << i);
        }
        programmed = Math.max(programmed, n);
    }

    @Override
    public void tick(GuestPmuPort port) {
        // Its timer, not the kernel's tick, drives it.
    }

    @Override
    public long timerPeriodNs() {
        return reprogramEveryNs;
    }

    @Override
    public void timer(GuestPmuPort port) {
        if (!booted) {
            return;
        }
        programVisible(port);
        rewrites++;
        if (!asksForMore || refused || programmed > LAST_COUNTER) {
            return;
        }
        try {
            // Ask for more: the counter just above what PMCR_EL0.N shows.
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

    /** Times its timer rewrote the counters. */
    public long rewrites() {
        return rewrites;
    }
}
