package dev.pmulab.sim.plugin;

import static java.util.Objects.requireNonNull;

/**
 * A policy threw: the message names the policy and the hook it failed in. The run it was part of
 * fails; the other runs of a comparison go on.
 */
public final class PolicyFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String policy;
    private final String hook;

    public PolicyFailure(String policy, String hook, Throwable cause) {
        super("policy " + requireNonNull(policy, "policy is null") + " failed in " + requireNonNull(hook, "hook is null")
                + ": " + PolicyRegistry.rootMessage(cause), cause);
        this.policy = policy;
        this.hook = hook;
    }

    public String policy() {
        return policy;
    }

    public String hook() {
        return hook;
    }
}
