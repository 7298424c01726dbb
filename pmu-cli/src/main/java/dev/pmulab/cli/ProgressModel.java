package dev.pmulab.cli;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How far a plan of runs has got, measured in simulated time: each run counts for the simulated
 * time it lasts, so the fraction moves while runs are under way instead of once per finished run,
 * and runs in parallel add up. A run that ends early (its work done before the limit) or fails
 * counts in full once finished. Updates come from many run threads and do not allocate.
 */
final class ProgressModel {
    private final long[] totalNs;
    private final long grandTotalNs;
    private final AtomicLongArray reachedNs;

    /** @param totalNs each run's simulated length, in plan order */
    ProgressModel(long[] totalNs) {
        this.totalNs = totalNs.clone();
        long sum = 0;
        for (long t : this.totalNs) {
            if (t < 0) {
                throw new IllegalArgumentException("a run's simulated length is negative: " + t);
            }
            sum += t;
        }
        this.grandTotalNs = sum;
        this.reachedNs = new AtomicLongArray(this.totalNs.length);
    }

    /** {@code runs} runs of {@code nsPerRun} each, as a comparison plans them. */
    static ProgressModel uniform(int runs, long nsPerRun) {
        long[] t = new long[runs];
        java.util.Arrays.fill(t, nsPerRun);
        return new ProgressModel(t);
    }

    /** Run {@code run} has simulated {@code ns}; never moves backwards, never past the run's length. */
    void reached(int run, long ns) {
        long capped = Math.min(Math.max(ns, 0), totalNs[run]);
        long seen = reachedNs.get(run);
        while (capped > seen && !reachedNs.compareAndSet(run, seen, capped)) {
            seen = reachedNs.get(run);
        }
    }

    /** Run {@code run} is over, whatever it simulated: it counts in full. */
    void finished(int run) {
        reachedNs.set(run, totalNs[run]);
    }

    /** Simulated time done, summed over the runs. */
    long doneNs() {
        long sum = 0;
        for (int i = 0; i < totalNs.length; i++) {
            sum += reachedNs.get(i);
        }
        return sum;
    }

    /** Simulated time the whole plan simulates. */
    long totalNs() {
        return grandTotalNs;
    }

    /** The fraction done, 0 to 1 (an empty plan is done). */
    double fraction() {
        return grandTotalNs == 0 ? 1 : (double) doneNs() / grandTotalNs;
    }

    /** Below this fraction done the rate is mostly the JIT warming up: no estimate yet. */
    static final double ETA_FROM = 0.01;

    /**
     * The time left if the rest goes as fast as what is done: {@code elapsed x (1 - f) / f}.
     * Empty until {@link #ETA_FROM} is done, since no steady rate is known before.
     */
    static Optional<Duration> eta(double fraction, Duration elapsed) {
        if (!(fraction >= ETA_FROM) || elapsed.isZero() || elapsed.isNegative()) {
            return Optional.empty();
        }
        if (fraction >= 1) {
            return Optional.of(Duration.ZERO);
        }
        long leftNanos = Math.round(elapsed.toNanos() * (1 - fraction) / fraction);
        return Optional.of(Duration.ofNanos(leftNanos));
    }
}
