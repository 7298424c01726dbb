package dev.pmulab.sim.engine;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Pe;
import java.util.ArrayDeque;

/** One physical CPU: its PE, its runqueue, and what it spent its time on. */
final class SimCpu {
    final int id;
    final Pe pe;
    final ArrayDeque<SimThread> runqueue = new ArrayDeque<>();
    SimThread current;
    long sliceStart;
    EventRates hostKernelRates = EventRates.NONE;
    /** Its time buckets (guest, host kernel): see {@link CpuTimeAccounts}. */
    final CpuTimeAccounts.OfCpu time = new CpuTimeAccounts.OfCpu();

    SimCpu(int id, Pe pe) {
        this.id = id;
        this.pe = pe;
    }

    /** The time an event for this CPU can run: when it arrives, or when the CPU is free. */
    long at(long t) {
        return Math.max(t, pe.now());
    }
}
