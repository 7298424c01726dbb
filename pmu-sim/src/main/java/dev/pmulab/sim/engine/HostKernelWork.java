package dev.pmulab.sim.engine;

import dev.pmulab.hw.ExceptionLevel;

/**
 * Host kernel work as CPU time: what the cost sink says a CPU owes is spent on that CPU at EL2
 * with the host kernel's event rates, so its counters see the work as the hardware would, and
 * later events for the CPU wait until it is done. The time is charged to the CPU's host kernel
 * account: process-context work as system time ({@link CpuTimeAccounts#hostKernel}), an interrupt
 * handler's by where it interrupted ({@link CpuTimeAccounts#hostInterrupt}).
 */
final class HostKernelWork {
    private final EngineCostSink sink;
    private final CpuTimeAccounts accounts;

    HostKernelWork(EngineCostSink sink, CpuTimeAccounts accounts) {
        this.sink = sink;
        this.accounts = accounts;
    }

    /** Spends what {@code c} owes as host kernel time at EL2, from {@code now}; returns the new time. */
    long spendOwed(SimCpu c, long now) {
        return spend(c, now, sink.take(c.id));
    }

    /**
     * Spends what {@code c} owes in a host interrupt handler, from {@code now}: the handler
     * interrupted {@code inGuest}'s guest, or no guest (null). Returns the new time.
     */
    long spendInterrupt(SimCpu c, long now, SimVcpu inGuest) {
        long ns = sink.take(c.id);
        if (ns <= 0) {
            return now;
        }
        long end = run(c, now, ns);
        accounts.hostInterrupt(c, inGuest, ns);
        return end;
    }

    /** Spends {@code ns} of host kernel time on {@code c} at EL2, from {@code now}; returns the new time. */
    long spend(SimCpu c, long now, long ns) {
        if (ns <= 0) {
            return now;
        }
        long end = run(c, now, ns);
        accounts.hostKernel(c, ns);
        return end;
    }

    private static long run(SimCpu c, long now, long ns) {
        c.pe.switchContext(now, ExceptionLevel.EL2, c.hostKernelRates);
        long end = now + ns;
        c.pe.advanceTo(end);
        return end;
    }
}
