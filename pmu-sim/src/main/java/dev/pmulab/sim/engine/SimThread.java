package dev.pmulab.sim.engine;

import dev.pmulab.hw.EventRates;
import dev.pmulab.kvm.perf.PerfTask;
import java.util.List;

/** A schedulable thread: a host task or a vCPU thread ({@link SimVcpu}). */
class SimThread {
    final int id;
    final String name;
    final PerfTask task;
    List<Integer> allowed;
    int cpu = -1; // the runqueue it is on
    boolean running;
    boolean sleeping;
    double load = 1.0;
    EventRates userRates = EventRates.NONE;
    long sleepStamp;
    /** Its time buckets (wait, and a vCPU's loaded, trap and guest sys time): see {@link CpuTimeAccounts}. */
    final CpuTimeAccounts.OfThread time = new CpuTimeAccounts.OfThread();

    SimThread(int id, String name, PerfTask task, List<Integer> allowed) {
        this.id = id;
        this.name = name;
        this.task = task;
        this.allowed = List.copyOf(allowed);
    }
}
