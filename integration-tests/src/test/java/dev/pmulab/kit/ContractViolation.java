package dev.pmulab.kit;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.ControlRule;
import java.util.Optional;

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
    private final ControlRule controlRule;

    ContractViolation(String policy, String hook, String rule, String detail) {
        this(policy, hook, rule, detail, null);
    }

    /** A violation of a control rule the core refused; {@code rule} is how the kit names it. */
    ContractViolation(String policy, String hook, String rule, String detail, ControlRule controlRule) {
        super("policy " + requireNonNull(policy, "policy is null") + ", hook " + requireNonNull(hook, "hook is null")
                + ", rule '" + requireNonNull(rule, "rule is null") + "': " + requireNonNull(detail, "detail is null"));
        this.policy = policy;
        this.hook = hook;
        this.rule = rule;
        this.controlRule = controlRule;
    }

    public String policy() {
        return policy;
    }

    /** The hook in the kernel's spelling ({@code vcpu_load}), {@code validate}, or {@code any} for a whole-run property. */
    public String hook() {
        return hook;
    }

    /** The rule broken: the kit's own ({@code no isolation breach}) or the core's control rule's short name. */
    public String rule() {
        return rule;
    }

    /** The control rule the core refused the policy's action for, when that is what broke the contract. */
    public Optional<ControlRule> controlRule() {
        return Optional.ofNullable(controlRule);
    }
}
