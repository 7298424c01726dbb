package dev.pmulab.api;

import static java.util.Objects.requireNonNull;

/** The core refused a policy's control action because the hardware or the kernel forbids it. */
@Stable(since = "0.1")
public final class ControlRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String policy;
    private final ControlRule rule;
    private final String detail;

    /**
     * @param policy the policy whose action is refused
     * @param rule the rule the action breaks
     * @param detail what the policy tried, without the policy and the rule
     */
    public ControlRefusedException(String policy, ControlRule rule, String detail) {
        super("policy " + requireNonNull(policy, "policy is null") + " broke the rule '"
                + requireNonNull(rule, "rule is null").ruleName() + "': " + requireNonNull(detail, "detail is null"));
        this.policy = policy;
        this.rule = rule;
        this.detail = detail;
    }

    public String policy() {
        return policy;
    }

    public ControlRule rule() {
        return rule;
    }

    /** What the policy tried, without the policy and the rule. */
    public String detail() {
        return detail;
    }
}
