package dev.pmulab.sim.guest;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.PmuRegister;
import java.util.List;
import java.util.Optional;

/**
 * A Linux guest sampling with branch records ({@code perf record -j}): BRBE records at EL0 and
 * EL1. With freeze on PMU overflow (BRBCR_EL1.FZP, what Linux's BRBE driver always sets) every
 * sample's branch stack is frozen at the overflow, and the overflow handler reads the records, then
 * resumes recording (BRBFCR_EL1.PAUSED = 0); any overflow pauses recording, including one the guest
 * did not cause. Without FZP recording never pauses, so there is no blackout, and the handler reads
 * the records while they keep moving. The sampling itself, and any other perf user of the guest, is
 * {@link LinuxGuestPerf}'s.
 */
public final class BrbeGuest implements GuestPmuModel {
    private static final long BRBCR_E0BRE = 1;
    private static final long BRBCR_E1BRE = 1L << 1;
    private static final long BRBCR_FZP = 1L << 8;

    private final LinuxGuestPerf perf;
    private final boolean freezeOnOverflow;

    /**
     * @param perf the guest's perf, which holds the BRBE sampling session
     * @param freezeOnOverflow BRBCR_EL1.FZP
     */
    public BrbeGuest(LinuxGuestPerf perf, boolean freezeOnOverflow) {
        this.perf = perf;
        this.freezeOnOverflow = freezeOnOverflow;
    }

    @Override
    public int hz() {
        return perf.hz();
    }

    @Override
    public void boot(GuestPmuPort port) {
        port.write(PmuRegister.BRBCR_EL1, BRBCR_E0BRE | BRBCR_E1BRE | (freezeOnOverflow ? BRBCR_FZP : 0));
        perf.boot(port);
    }

    @Override
    public void tick(GuestPmuPort port) {
        perf.tick(port);
    }

    @Override
    public void pmuInterrupt(GuestPmuPort port) {
        if (!freezeOnOverflow) {
            // Nothing paused recording: the handler reads the records as they are.
            port.read(PmuRegister.BRBFCR_EL1);
            perf.pmuInterrupt(port);
            return;
        }
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
    public List<Accuracy> accuracy() {
        return perf.accuracy();
    }

    @Override
    public List<PerfEventTimes> perfEventTimes(long now) {
        return perf.perfEventTimes(now);
    }

    @Override
    public long timerPeriodNs() {
        return perf.timerPeriodNs();
    }

    @Override
    public void timer(GuestPmuPort port) {
        perf.timer(port);
    }

    @Override
    public void taskSchedOut(GuestPmuPort port) {
        perf.taskSchedOut(port);
    }

    @Override
    public void taskSchedIn(GuestPmuPort port) {
        perf.taskSchedIn(port);
    }

    @Override
    public boolean followsTask() {
        return perf.followsTask();
    }

    @Override
    public boolean bootsWithoutTask() {
        return perf.bootsWithoutTask();
    }

    @Override
    public boolean timerWakesIdleVcpu() {
        return perf.timerWakesIdleVcpu();
    }

    @Override
    public Optional<LinuxPerfCounts> linuxPerfCounts() {
        return perf.linuxPerfCounts();
    }

    @Override
    public List<SessionCounts> perfSessionCounts() {
        return perf.perfSessionCounts();
    }

    @Override
    public boolean usesBrbe() {
        return true;
    }

    /** BRBCR_EL1.FZP as the guest programs it. */
    public boolean freezesOnOverflow() {
        return freezeOnOverflow;
    }
}
