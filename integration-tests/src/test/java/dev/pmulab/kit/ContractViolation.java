package dev.pmulab.kit;

import static java.util.Objects.requireNonNull;

/**
 * A policy broke the contract. The message always names the policy, the hook and the rule, so a
 * plugin author reading a test report knows where to look without a debugger:
 * {@code policy P, hook vcpu_load, rule 'HPMN0', on a greedy guest: HPMN 0 on CPU 1, ...}.
 */
public final class ContractViolation extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final String policy;
    private final String hook;
    private final String rule;

    ContractViolation(String policy, String hook, String rule, String detail) {
        super("policy " + requireNonNull(policy, "policy is null") + ", hook " + requireNonNull(hook, "hook is null")
                + ", rule '" + requireNonNull(rule, "rule is null") + "': " + requireNonNull(detail, "detail is null"));
        this.policy = policy;
        this.hook = hook;
        this.rule = rule;
    }

    public String policy() {
        return policy;
    }

    /** The hook in the kernel's spelling ({@code vcpu_load}), {@code validate}, or {@code any} for a whole-run property. */
    public String hook() {
        return hook;
    }

    public String rule() {
        return rule;
    }
}
