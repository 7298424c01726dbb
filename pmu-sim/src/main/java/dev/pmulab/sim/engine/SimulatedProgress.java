package dev.pmulab.sim.engine;

/**
 * How far a run's simulated time has got, for a progress display: the engine calls it from the
 * run's own thread every {@link #EVERY_EVENTS} events and once at the run's end. Implementations
 * must be cheap and must not allocate (it is on the event loop), and must tolerate calls from
 * several runs' threads at once.
 */
@FunctionalInterface
public interface SimulatedProgress {
    /** Events between two reports: often enough for a smooth bar, rare enough to cost nothing. */
    int EVERY_EVENTS = 4096;

    /** Reports nowhere. */
    SimulatedProgress NONE = ns -> {};

    /** The run has simulated {@code simulatedNs} of its duration (monotone within a run). */
    void reached(long simulatedNs);
}
