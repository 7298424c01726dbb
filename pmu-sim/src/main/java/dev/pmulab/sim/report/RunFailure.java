package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.ControlRule;
import java.io.Serializable;

/**
 * Why a run failed: the policy to blame and the hook it failed in, the control rule the core
 * refused, and what happened. Reports print {@link #message()}; JSON also gives the fields, and the
 * policy contract kit reads them.
 *
 * @param policy the policy to blame; null when the scenario or the simulator failed the run
 * @param hook the hook the policy failed in, as the kernel names it ({@code vcpu_load}) or the core's
 *     step ({@code module}, {@code injection}); null when no hook was running
 * @param rule the control rule the core refused an action for; null for any other failure
 * @param detail what happened, without the policy, the hook and the rule
 */
public record RunFailure(String policy, String hook, ControlRule rule, String detail) implements Serializable {
    public RunFailure {
        requireNonNull(detail, "detail is null");
        if (detail.isBlank()) {
            throw new IllegalArgumentException("a failure says what happened");
        }
        if (policy == null && (hook != null || rule != null)) {
            throw new IllegalArgumentException("a hook or a rule belongs to a policy: " + hook + ", " + rule);
        }
        if (policy != null && rule == null && hook == null) {
            throw new IllegalArgumentException("policy " + policy + " failed, but in no hook and by no rule");
        }
    }

    /** The scenario or the simulator failed the run; no policy is to blame. */
    public static RunFailure unblamed(String detail) {
        return new RunFailure(null, null, null, detail);
    }

    /**
     * The text reports print: {@code policy P broke the rule 'R' in H: detail} for a refusal,
     * {@code policy P failed in H: detail} for any other failure of a policy, the detail alone when
     * no policy is to blame.
     */
    public String message() {
        if (policy == null) {
            return detail;
        }
        if (rule != null) {
            return "policy " + policy + " broke the rule '" + rule.ruleName() + "'"
                    + (hook == null ? "" : " in " + hook) + ": " + detail;
        }
        return "policy " + policy + " failed in " + hook + ": " + detail;
    }
}
