package dev.pmulab.sim.guest;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.ExceptionLevel;

/** A guest that never touches its PMU (its vCPUs may still run a workload or sit in WFI). */
public final class IdleGuest implements GuestPmuModel {
    private final int hz;

    public IdleGuest(int hz) {
        this.hz = hz;
    }

    @Override
    public void boot(GuestPmuPort port) {}

    @Override
    public void tick(GuestPmuPort port) {}

    @Override
    public void pmuInterrupt(GuestPmuPort port) {}

    @Override
    public void accountExecution(ExceptionLevel el, EventRates rates, long ns) {}

    @Override
    public int hz() {
        return hz;
    }
}
