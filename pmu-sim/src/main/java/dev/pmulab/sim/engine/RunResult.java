package dev.pmulab.sim.engine;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.cost.CostModel;
import dev.pmulab.sim.metrics.MetricValues;
import java.util.List;
import java.util.Optional;

/**
 * What one run produced: its metrics and the costs it charged, or why it failed.
 *
 * @param metrics the metrics (empty for a failed run)
 * @param costsUsed every cost charged at least once, with whether the scenario overrode it
 * @param error the failure, naming the policy and the hook where one is to blame; empty when ok
 * @param events discrete events the engine processed (for {@code pmulab bench})
 * @param simulatedNs simulated time the run covered
 */
public record RunResult(MetricValues metrics, List<CostModel.Use> costsUsed, Optional<String> error, long events,
        long simulatedNs) {
    public RunResult {
        requireNonNull(metrics, "metrics is null");
        costsUsed = List.copyOf(costsUsed);
        requireNonNull(error, "error is null");
    }

    public boolean ok() {
        return error.isEmpty();
    }

    public static RunResult failed(String error, List<CostModel.Use> costsUsed, long events, long simulatedNs) {
        return new RunResult(MetricValues.empty(), costsUsed, Optional.of(error), events, simulatedNs);
    }
}
