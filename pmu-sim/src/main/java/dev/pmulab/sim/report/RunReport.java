package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.MetricValues;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * One column of a comparison: the policies of the run, one per kind with its name and settings
 * ({@link RunPolicy#none()} for a kind the run leaves empty), whether it finished, and its metrics.
 *
 * @param failure null when OK; for a failed run why, naming the policy, the hook and the rule
 * @param metrics empty for a failed run: a run that did not finish has no numbers to compare
 */
public record RunReport(Map<PolicyKind, RunPolicy> policies, Status status, RunFailure failure, MetricValues metrics) {
    public enum Status {
        OK,
        FAILED;

        /** {@code ok} or {@code failed}, as JSON and CSV spell it. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RunReport {
        requireNonNull(policies, "policies is null");
        requireNonNull(status, "status is null");
        requireNonNull(metrics, "metrics is null");
        Map<PolicyKind, RunPolicy> copy = new EnumMap<>(PolicyKind.class);
        for (PolicyKind kind : PolicyKind.values()) {
            RunPolicy p = policies.get(kind);
            if (p == null) {
                throw new IllegalArgumentException("run has no " + kind.configName() + " policy: " + policies);
            }
            copy.put(kind, p);
        }
        if (policies.size() != copy.size()) {
            throw new IllegalArgumentException("policies has a null kind: " + policies);
        }
        policies = Collections.unmodifiableMap(copy);
        if (status == Status.OK && failure != null) {
            throw new IllegalArgumentException("an OK run has no error, got: " + failure.message());
        }
        if (status == Status.FAILED) {
            if (failure == null) {
                throw new IllegalArgumentException("a failed run needs the error naming the policy and hook");
            }
            if (!metrics.isEmpty()) {
                throw new IllegalArgumentException("a failed run has no metrics, got " + metrics);
            }
        }
    }

    public static RunReport ok(Map<PolicyKind, RunPolicy> policies, MetricValues metrics) {
        return new RunReport(policies, Status.OK, null, metrics);
    }

    public static RunReport failed(Map<PolicyKind, RunPolicy> policies, RunFailure failure) {
        return new RunReport(policies, Status.FAILED, failure, MetricValues.empty());
    }

    /** The failure as text reports print it ({@link RunFailure#message()}); null when OK. */
    public String error() {
        return failure == null ? null : failure.message();
    }

    public boolean isOk() {
        return status == Status.OK;
    }

    /** This run's policy of {@code kind}. */
    public RunPolicy policy(PolicyKind kind) {
        return policies.get(requireNonNull(kind, "kind is null"));
    }

    /** The full label of this run's policy of {@code kind}, every setting included ({@link RunPolicy#label()}). */
    public String label(PolicyKind kind) {
        return policy(kind).label();
    }
}
