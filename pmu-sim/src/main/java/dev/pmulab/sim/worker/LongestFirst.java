package dev.pmulab.sim.worker;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs independent tasks a fixed number at a time, the one estimated to take longest first (the
 * longest-processing-time rule): a long task that starts last is the tail that keeps every other
 * core idle at the end of a comparison or a sweep. Equal estimates keep their given order, so with
 * no estimate to go by the order is the plan's. Which task runs where never changes a result: each
 * is deterministic on its own; only the wall time moves.
 */
public final class LongestFirst {
    private LongestFirst() {}

    /**
     * The order tasks start in: the indices of {@code estimates}, largest estimate first, equal
     * estimates in index order.
     */
    public static List<Integer> order(List<Double> estimates) {
        requireNonNull(estimates, "estimates is null");
        List<Integer> order = new ArrayList<>(estimates.size());
        for (int i = 0; i < estimates.size(); i++) {
            double e = estimates.get(i);
            if (!(e >= 0) || Double.isInfinite(e)) {
                throw new IllegalArgumentException("estimate " + i + " is " + e + ", not a finite time");
            }
            order.add(i);
        }
        // List.sort is stable: ties stay in index order.
        order.sort(Comparator.comparingDouble((Integer i) -> estimates.get(i)).reversed());
        return order;
    }

    /**
     * Runs {@code task.apply(i)} for every index of {@code estimates}, {@code parallelism} at a
     * time on threads named {@code threadName}, starting them in {@link #order}; returns the
     * results by index. A task's RuntimeException or Error is rethrown here (the others are
     * stopped).
     */
    public static <T> List<T> run(int parallelism, List<Double> estimates, String threadName, IntFunction<T> task) {
        requireNonNull(task, "task is null");
        requireNonNull(threadName, "threadName is null");
        List<Integer> order = order(estimates);
        int n = order.size();
        if (n == 0) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, n)), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                futures.add(null);
            }
            // A fixed pool takes its queue first in, first out: tasks start in submission order.
            for (int i : order) {
                futures.set(i, pool.submit(() -> task.apply(i)));
            }
            List<T> out = new ArrayList<>(n);
            for (Future<T> f : futures) {
                out.add(get(f));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }
}
