package dev.pmulab.spark;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * A sweep's points as a Spark job: the driver plans, the executors run the points, the driver
 * writes the results in plan order, so the output is the one {@code pmulab sweep} writes.
 *
 * <p>The dataset is the planned points themselves, each self-contained (its scenario's text with
 * the point's values set, its policies and seed, as {@code pmulab sweep} hands a point to a
 * worker), so an executor needs nothing of the driver's but the point, and computes the same
 * result a local run does.
 */
public final class SparkSweepJob<P extends Serializable, R extends Serializable> {
    private final JavaSparkContext spark;
    private final SweepOps<P, R> ops;

    public SparkSweepJob(JavaSparkContext spark, SweepOps<P, R> ops) {
        this.spark = requireNonNull(spark, "spark is null");
        this.ops = requireNonNull(ops, "ops is null");
    }

    /**
     * What a job did.
     *
     * @param outcomes every point's outcome, in plan order
     * @param pointsWithFailedRuns how many points have a run that failed (their rows say why); 0
     *     when nothing was written
     */
    public record Result<R extends Serializable>(List<PointOutcome<R>> outcomes, int pointsWithFailedRuns) {
        public Result {
            outcomes = List.copyOf(outcomes);
        }

        public List<PointOutcome<R>> failures() {
            return outcomes.stream().filter(o -> o.failureMessage().isPresent()).toList();
        }
    }

    /**
     * Plans {@code sweep}, runs every point and, when none failed, writes the output into
     * {@code out}. When some failed, writes nothing: the result names them.
     */
    public Result<R> run(String sweep, Path out) throws IOException {
        SweepOps.Planned<P, R> planned = ops.plan(sweep);
        List<PointOutcome<R>> outcomes = runPoints(planned.points());
        if (outcomes.stream().anyMatch(o -> o.failureMessage().isPresent())) {
            return new Result<>(outcomes, 0);
        }
        List<R> results = new ArrayList<>(outcomes.size());
        for (PointOutcome<R> o : outcomes) {
            results.add(o.result());
        }
        return new Result<>(outcomes, planned.write(results, out));
    }

    private List<PointOutcome<R>> runPoints(List<P> points) {
        if (points.isEmpty()) {
            return List.of();
        }
        List<Tuple2<Integer, P>> indexed = new ArrayList<>(points.size());
        for (int i = 0; i < points.size(); i++) {
            indexed.add(new Tuple2<>(i, points.get(i)));
        }
        SweepOps<P, R> task = ops;
        // One point per partition, so one per task: points differ in cost by orders of magnitude
        // (scenario length, policy), and Spark hands out tasks one at a time as executors free up,
        // which balances the load as the local sweep's work queue does. collect() returns the
        // partitions in order, so the outcomes arrive in plan order.
        return spark.parallelize(indexed, indexed.size())
                .map(p -> runOne(task, p._1(), p._2()))
                .collect();
    }

    // A point's failure, whatever it is, is reported as data (see PointOutcome).
    private static <P extends Serializable, R extends Serializable> PointOutcome<R> runOne(
            SweepOps<P, R> ops, int index, P point) {
        try {
            return PointOutcome.ok(index, ops.run(point));
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            return PointOutcome.failed(index, message);
        }
    }
}
