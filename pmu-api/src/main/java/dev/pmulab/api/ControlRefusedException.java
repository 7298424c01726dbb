package dev.pmulab.api;

import static java.util.Objects.requireNonNull;

/** The core refused a policy's control action because the hardware or the kernel forbids it. */
@Stable(since = "0.1")
public final class ControlRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String policy;
    private final String rule;
    private final String detail;

    public ControlRefusedException(String policy, String rule, String detail) {
        super("policy " + requireNonNull(policy, "policy is null") + " broke the rule '"
                + requireNonNull(rule, "rule is null") + "': " + requireNonNull(detail, "detail is null"));
        this.policy = policy;
        this.rule = rule;
        this.detail = detail;
    }

    public String policy() {
        return policy;
    }

    /** A short stable name of the rule: {@code HPMN <= N}, {@code HPMN0}, {@code VHE only}, {@code pinned host event}. */
    public String rule() {
        return rule;
    }

    /** What the policy tried, without the policy and the rule. */
    public String detail() {
        return detail;
    }
}
