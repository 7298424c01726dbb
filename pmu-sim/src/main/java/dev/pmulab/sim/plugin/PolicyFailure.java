package dev.pmulab.sim.plugin;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.api.ControlRule;
import dev.pmulab.sim.report.RunFailure;
import java.util.Optional;

/**
 * A policy threw: the message names the policy and the hook it failed in. The run it was part of
 * fails; the other runs of a comparison go on.
 */
public final class PolicyFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final RunFailure failure;

    public PolicyFailure(String policy, String hook, Throwable cause) {
        this(
                new RunFailure(
                        requireNonNull(policy, "policy is null"),
                        requireNonNull(hook, "hook is null"),
                        null,
                        PolicyRegistry.rootMessage(cause)),
                cause);
    }

    /**
     * The core refused a control action {@code hook} made: {@code policy P broke the rule 'R' in
     * vcpu_load: detail}, so that a report names the hook as well as the rule.
     */
    public PolicyFailure(String hook, ControlRefusedException refusal) {
        this(
                new RunFailure(
                        refusal.policy(), requireNonNull(hook, "hook is null"), refusal.rule(), refusal.detail()),
                refusal);
    }

    private PolicyFailure(RunFailure failure, Throwable cause) {
        super(failure.message(), cause);
        this.failure = failure;
    }

    public String policy() {
        return failure.policy();
    }

    public String hook() {
        return failure.hook();
    }

    /** The hardware or kernel rule the policy broke, when the core refused one of its actions. */
    public Optional<ControlRule> rule() {
        return Optional.ofNullable(failure.rule());
    }

    /** The failure as the run's report gives it. */
    public RunFailure failure() {
        return failure;
    }
}
