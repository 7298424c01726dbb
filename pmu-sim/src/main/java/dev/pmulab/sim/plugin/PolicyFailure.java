package dev.pmulab.sim.plugin;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.ControlRefusedException;

/**
 * A policy threw: the message names the policy and the hook it failed in. The run it was part of
 * fails; the other runs of a comparison go on.
 */
public final class PolicyFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String policy;
    private final String hook;
    private final String rule;

    public PolicyFailure(String policy, String hook, Throwable cause) {
        super("policy " + requireNonNull(policy, "policy is null") + " failed in " + requireNonNull(hook, "hook is null")
                + ": " + PolicyRegistry.rootMessage(cause), cause);
        this.policy = policy;
        this.hook = hook;
        this.rule = null;
    }

    /**
     * The core refused a control action {@code hook} made: {@code policy P broke the rule 'R' in
     * vcpu_load: detail}, so that a report names the hook as well as the rule.
     */
    public PolicyFailure(String hook, ControlRefusedException refusal) {
        super("policy " + refusal.policy() + " broke the rule '" + refusal.rule() + "' in "
                + requireNonNull(hook, "hook is null") + ": " + refusal.detail(), refusal);
        this.policy = refusal.policy();
        this.hook = hook;
        this.rule = refusal.rule();
    }

    public String policy() {
        return policy;
    }

    public String hook() {
        return hook;
    }

    /** The hardware or kernel rule the policy broke, when the core refused one of its actions. */
    public java.util.Optional<String> rule() {
        return java.util.Optional.ofNullable(rule);
    }
}
