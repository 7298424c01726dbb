package dev.pmulab.sim.validation;

import dev.pmulab.sim.engine.Comparison;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs every run of several planned comparisons on a fixed pool, each run on its own, and returns
 * the outcomes in plan order: what `pmulab reproduce` and its `--fit` both need. Each run is a pure
 * function of its scenario, policies and seed, so the order of execution does not change a result.
 */
final class ParallelRuns {
    private ParallelRuns() {}

    /**
     * @param planned the comparisons, each run of each in plan order
     * @param parallelism at most this many runs at once
     * @param threadName the pool threads' name
     * @param done told 1 each time a run finishes
     */
    static List<Comparison.Outcome> execute(
            List<Comparison> planned, int parallelism, String threadName, IntConsumer done) {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Comparison.Outcome>> futures = new ArrayList<>();
            for (Comparison c : planned) {
                for (int i = 0; i < c.runs().size(); i++) {
                    Comparison one = c.only(i);
                    futures.add(pool.submit(() -> {
                        Comparison.Outcome o = one.execute(1, n -> {}).get(0);
                        done.accept(1);
                        return o;
                    }));
                }
            }
            List<Comparison.Outcome> out = new ArrayList<>();
            for (Future<Comparison.Outcome> f : futures) {
                out.add(get(f));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Comparison.Outcome get(Future<Comparison.Outcome> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
