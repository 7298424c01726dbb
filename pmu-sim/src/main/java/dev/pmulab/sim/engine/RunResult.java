package dev.pmulab.sim.engine;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.sim.cost.CostModel;
import dev.pmulab.sim.metrics.Breakdown;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.report.RunFailure;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one run produced: its metrics and the costs it charged, or why it failed.
 *
 * @param metrics the metrics (empty for a failed run)
 * @param costsUsed every cost charged at least once, with whether the scenario overrode it
 * @param failure why the run failed, naming the policy, the hook and the rule where they are to
 *     blame; empty when ok
 * @param events discrete events the engine processed (for {@code pmulab bench})
 * @param simulatedNs simulated time the run covered
 * @param guestTrapsByRegister every guest's trapped PMU accesses, summed per register (registers
 *     with none are absent; empty for a failed run): which accesses a policy leaves trapping
 * @param guestPmuAccesses every PMU register access the guests made, trapped or not (0 for a
 *     failed run): the unit of work behind most engine events, for {@code pmulab bench}
 * @param breakdown the metrics per VM and per perf session ({@code --by}); none for a failed run
 */
public record RunResult(
        MetricValues metrics,
        List<CostModel.Use> costsUsed,
        Optional<RunFailure> failure,
        long events,
        long simulatedNs,
        Map<PmuRegister, Long> guestTrapsByRegister,
        long guestPmuAccesses,
        Breakdown breakdown) {
    public RunResult {
        requireNonNull(breakdown, "breakdown is null");
        requireNonNull(metrics, "metrics is null");
        costsUsed = List.copyOf(costsUsed);
        requireNonNull(failure, "failure is null");
        requireNonNull(guestTrapsByRegister, "guestTrapsByRegister is null");
        // EnumMap keeps the registers in the architecture's order, which the printout follows.
        guestTrapsByRegister = guestTrapsByRegister.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(guestTrapsByRegister));
    }

    /** A result without a breakdown. */
    public RunResult(
            MetricValues metrics,
            List<CostModel.Use> costsUsed,
            Optional<RunFailure> failure,
            long events,
            long simulatedNs,
            Map<PmuRegister, Long> guestTrapsByRegister,
            long guestPmuAccesses) {
        this(metrics, costsUsed, failure, events, simulatedNs, guestTrapsByRegister, guestPmuAccesses, Breakdown.NONE);
    }

    public boolean ok() {
        return failure.isEmpty();
    }

    public static RunResult failed(RunFailure failure, List<CostModel.Use> costsUsed, long events, long simulatedNs) {
        return new RunResult(MetricValues.empty(), costsUsed, Optional.of(failure), events, simulatedNs, Map.of(), 0);
    }

    /** A refusal that reached the engine outside any hook: the policy and the rule, no hook. */
    static RunFailure refused(ControlRefusedException e) {
        return new RunFailure(e.policy(), null, e.rule(), e.detail());
    }
}
