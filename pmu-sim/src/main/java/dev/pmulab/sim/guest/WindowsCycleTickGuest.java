package dev.pmulab.sim.guest;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.PmcrEl0;

/**
 * A Windows on Arm guest that reads PMCCNTR_EL0 on every timer tick and divides by the delta
 * since the previous tick: a zero delta while the guest runs is a division by zero, a crash
 * (perf-core-and-costs.md §6; Odaki's FIXED_COUNTERS_ONLY v5 cover: "may crash with
 * division-by-zero" when PMCCNTR stops after migration to a pCPU of another type).
 */
public final class WindowsCycleTickGuest implements GuestPmuModel {
    private final long tickNs;
    private final boolean crashOnStall;
    private boolean booted;
    private boolean haveLast;
    private long last;
    private long stalls;
    private boolean crashed;

    /**
     * @param tickNs the guest's clock interrupt interval (Windows' default is 15.625 ms, 64 Hz)
     * @param crashOnStall whether a zero delta crashes the guest (true for Windows) or is only counted
     */
    public WindowsCycleTickGuest(long tickNs, boolean crashOnStall) {
        if (tickNs <= 0) {
            throw new IllegalArgumentException("the tick must be positive, was " + tickNs);
        }
        this.tickNs = tickNs;
        this.crashOnStall = crashOnStall;
    }

    /** Ticks per second, rounded down; {@link #tickNs} is exact. */
    @Override
    public int hz() {
        return (int) Math.max(1, 1_000_000_000L / tickNs);
    }

    @Override
    public long tickNs() {
        return tickNs;
    }

    @Override
    public void boot(GuestPmuPort port) {
        // Interrupts off and overflow flags clear first (their reset values are UNKNOWN), then count
        // cycles at EL0 and EL1, enable PMCCNTR, set LC (64-bit) and E.
        port.write(PmuRegister.PMINTENCLR_EL1, 0xffff_ffffL);
        port.write(PmuRegister.PMOVSCLR_EL0, 0xffff_ffffL);
        port.write(PmuRegister.PMCCFILTR_EL0, 0);
        port.write(PmuRegister.PMCNTENSET_EL0, 1L << Pe.CYCLE_COUNTER);
        long pmcr = port.read(PmuRegister.PMCR_EL0);
        port.write(PmuRegister.PMCR_EL0, (pmcr | PmcrEl0.E | PmcrEl0.LC) & PmcrEl0.MASK);
        booted = true;
    }

    @Override
    public void tick(GuestPmuPort port) {
        if (!booted || crashed) {
            return;
        }
        long now = port.read(PmuRegister.PMCCNTR_EL0);
        if (haveLast && now == last) {
            stalls++;
            if (crashOnStall) {
                crashed = true;
            }
        }
        last = now;
        haveLast = true;
    }

    @Override
    public void pmuInterrupt(GuestPmuPort port) {
        // No interrupt-enabled counter: a spurious interrupt is acknowledged and ignored.
        port.readAndClearOverflows();
    }

    @Override
    public void accountExecution(ExceptionLevel el, EventRates rates, long ns) {
        // Windows does not report counts; accuracy is not measured for it.
    }

    @Override
    public boolean crashed() {
        return crashed;
    }

    @Override
    public String crashReason() {
        return crashed ? "division by a zero PMCCNTR_EL0 delta between two ticks" : "";
    }

    @Override
    public long cycleStalls() {
        return stalls;
    }
}
