package dev.pmulab.bench;

import dev.pmulab.sim.engine.EventQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's event loop core: one event taken from the queue and its successor scheduled, at a
 * steady queue size like a run's (a few events per CPU and vCPU). The target is well over 20 M
 * events per second per core for the queue alone, leaving most of the budget to the handlers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventQueueBenchmark {
    @Param({"256", "4096"})
    int pending;

    private EventQueue queue;
    private SplittableRandom random;

    @Setup
    public void setUp() {
        queue = new EventQueue(pending * 2);
        random = new SplittableRandom(1);
        for (int i = 0; i < pending; i++) {
            queue.schedule(random.nextLong(1_000_000), i & 7, i, 0);
        }
    }

    /** poll the earliest event and schedule its next occurrence (a tick, an overflow) a little later. */
    @Benchmark
    public long pollAndReschedule() {
        queue.poll();
        long t = queue.time();
        queue.schedule(t + 1 + random.nextInt(4_000_000), queue.kind(), queue.arg(), queue.stamp());
        return t;
    }
}
