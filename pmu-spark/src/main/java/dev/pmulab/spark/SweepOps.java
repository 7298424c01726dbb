package dev.pmulab.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * What the Spark job asks of the sweep core (pmu-sim's dev.pmulab.sim.sweep), the code
 * {@code pmulab sweep} runs: plan on the driver, run one point on an executor, write on the driver.
 * Serializable because Spark ships it to the executors with each task.
 *
 * @param <P> a planned point: self-contained (its scenario's text, policies, seed), so an executor
 *     needs no file of the driver's
 * @param <R> a point's result
 */
public interface SweepOps<P extends Serializable, R extends Serializable> extends Serializable {
    /**
     * Reads and plans the sweep ({@code sweep} as the command line gives it: a file, or a built-in
     * study's name). Runs on the driver before Spark is asked to do anything, so a bad sweep fails
     * at once, with its file:line:column.
     */
    Planned<P, R> plan(String sweep) throws IOException;

    /** Runs one point; on an executor. Deterministic: any executor computes the same result. */
    R run(P point) throws Exception;

    /** A planned sweep, on the driver. */
    interface Planned<P, R> {
        /** The points, in plan order. */
        List<P> points();

        /**
         * Writes the output into {@code out} from every point's result, given in plan order.
         *
         * @return how many points have a run that failed (their rows carry the failure)
         */
        int write(List<R> resultsInPlanOrder, Path out) throws IOException;
    }
}
