package dev.pmulab.sim.validation;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.worker.LongestFirst;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
        List<Comparison> runs = new ArrayList<>();
        for (Comparison c : planned) {
            for (int i = 0; i < c.runs().size(); i++) {
                runs.add(c.only(i));
            }
        }
        // Equal estimates: LongestFirst starts them in plan order, on the one pool every command shares.
        return LongestFirst.run(parallelism, Collections.nCopies(runs.size(), 0.0), threadName, i -> {
            Comparison.Outcome o = runs.get(i).execute(1, n -> {}).get(0);
            done.accept(1);
            return o;
        });
    }
}
