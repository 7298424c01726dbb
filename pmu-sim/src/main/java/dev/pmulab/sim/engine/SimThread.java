package dev.pmulab.sim.engine;

import dev.pmulab.hw.EventRates;
import dev.pmulab.kvm.perf.PerfTask;
import java.util.List;

/** A schedulable thread: a host task or a vCPU thread ({@link SimVcpu}). */
class SimThread {
    final int id;
    final String name;
    final PerfTask task;
    /** The CPUs it may run on (its affinity). */
    List<Integer> allowed;

    int cpu = -1; // the runqueue it is on
    boolean running;
    boolean sleeping;
    /** The share of the time it wants to run: 1 always, 0 never, else a duty cycle ({@link Scheduler#DUTY_PERIOD_NS}). */
    double load = 1.0;
    /** Its events per ns at EL0. */
    EventRates userRates = EventRates.NONE;
    /** Generation of its pending sleep or wake event. */
    long sleepStamp;
    /** Its time buckets (wait, and a vCPU's loaded, trap and guest sys time): see {@link CpuTimeAccounts}. */
    final CpuTimeAccounts.OfThread time = new CpuTimeAccounts.OfThread();

    SimThread(int id, String name, PerfTask task, List<Integer> allowed) {
        this.id = id;
        this.name = name;
        this.task = task;
        this.allowed = List.copyOf(allowed);
    }

    @Override
    public String toString() {
        return name;
    }
}
