package dev.pmulab.spark;

import java.io.Serializable;
import java.util.Optional;

/**
 * What an executor sends back for one point: its result, or why it has none. A point's own failure
 * travels as data rather than as a failed Spark task, because it is deterministic: Spark would
 * retry the task (spark.task.maxFailures, 4 on a cluster) only to fail the same way, and the
 * driver names every failed point at once instead of the first one that aborted the stage.
 *
 * @param index the point's place in plan order
 * @param result the point's result, or null when it failed
 * @param failure why the point has no result, or null
 */
public record PointOutcome<R extends Serializable>(int index, R result, String failure) implements Serializable {
    private static final long serialVersionUID = 1L;

    static <R extends Serializable> PointOutcome<R> ok(int index, R result) {
        return new PointOutcome<>(index, result, null);
    }

    static <R extends Serializable> PointOutcome<R> failed(int index, String failure) {
        return new PointOutcome<>(index, null, failure);
    }

    public Optional<String> failureMessage() {
        return Optional.ofNullable(failure);
    }
}
