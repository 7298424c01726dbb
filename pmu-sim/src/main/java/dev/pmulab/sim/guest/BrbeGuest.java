package dev.pmulab.sim.guest;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.BrbcrElx;

/**
 * A Linux guest sampling with branch records ({@code perf record -b}): BRBE records at EL0 and
 * EL1 with freeze on PMU overflow (BRBCR_EL1.FZP), so every sample's branch stack is frozen at
 * the overflow; the overflow handler reads the records, then clears the overflow and resumes
 * recording (BRBFCR_EL1.PAUSED = 0). The sampling itself is {@link LinuxGuestPerf}'s.
 */
public final class BrbeGuest implements GuestPmuModel {
    private final LinuxGuestPerf perf;

    public BrbeGuest(LinuxGuestPerf perf) {
        this.perf = perf;
    }

    @Override
    public int hz() {
        return perf.hz();
    }

    @Override
    public void boot(GuestPmuPort port) {
        port.write(PmuRegister.BRBCR_EL1, BrbcrElx.E0BRE | BrbcrElx.EXBRE | BrbcrElx.FZP);
        perf.boot(port);
    }

    @Override
    public void tick(GuestPmuPort port) {
        perf.tick(port);
    }

    @Override
    public void pmuInterrupt(GuestPmuPort port) {
        // brbe_read_filtered_entries runs with recording paused; then the PMU handler clears the
        // overflow and recording resumes.
        port.read(PmuRegister.BRBFCR_EL1);
        perf.pmuInterrupt(port);
        port.write(PmuRegister.BRBFCR_EL1, 0);
    }

    @Override
    public void taskSwitch(GuestPmuPort port) {
        perf.taskSwitch(port);
    }

    @Override
    public void accountExecution(ExceptionLevel el, EventRates rates, long ns) {
        perf.accountExecution(el, rates, ns);
    }

    @Override
    public java.util.List<Accuracy> accuracy() {
        return perf.accuracy();
    }

    @Override
    public boolean usesBrbe() {
        return true;
    }
}
