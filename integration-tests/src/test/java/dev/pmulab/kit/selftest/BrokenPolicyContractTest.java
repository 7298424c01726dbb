package dev.pmulab.kit.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pmulab.api.ControlRule;
import dev.pmulab.kit.Contract;
import dev.pmulab.kit.ContractContext;
import dev.pmulab.kit.ContractViolation;
import dev.pmulab.kit.PolicyUnderTest;
import dev.pmulab.sim.plugin.PolicyRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The kit catches each rule a policy can break, and its message names the policy, the hook and the
 * rule. Each broken policy breaks one rule and passes the others that the test also runs, so a
 * check that fires for the wrong reason shows here.
 */
final class BrokenPolicyContractTest {
    private static final PolicyRegistry REGISTRY = BrokenPolicies.registry();

    private static PolicyUnderTest policy(String name) {
        return PolicyUnderTest.of(REGISTRY, name);
    }

    private static ContractViolation violation(Runnable check) {
        ContractViolation v = catchThrowableOfType(ContractViolation.class, check::run);
        assertThat(v).as("a contract violation").isNotNull();
        return v;
    }

    @Test
    void hpmnAboveNIsNamedWithHostBootAndTheRule() {
        ContractViolation v =
                violation(() -> Contract.checkContext(policy("test-broken-hpmn-above-n"), ContractContext.IDLE_HOST));
        assertThat(v.getMessage())
                .isEqualTo("policy test-broken-hpmn-above-n, hook host_boot, rule 'HPMN <= N': on an"
                        + " idle host: HPMN 7 on CPU 0, whose PMU has N = 6");
        assertThat(List.of(v.policy(), v.hook(), v.rule()))
                .containsExactly("test-broken-hpmn-above-n", "host_boot", "HPMN <= N");
        assertThat(v.controlRule()).contains(ControlRule.HPMN_LE_N);
    }

    @Test
    void hpmnZeroWithoutHpmn0IsNamedWithVcpuLoadAndTheRule() {
        ContractViolation v = violation(
                () -> Contract.checkContext(policy("test-broken-hpmn0"), ContractContext.GUEST_NEVER_TOUCHES_PMU));
        assertThat(v.getMessage())
                .startsWith("policy test-broken-hpmn0, hook vcpu_load, rule 'HPMN0': on a guest that"
                        + " never touches the PMU: HPMN 0 on CPU ");
    }

    @Test
    void aPartitionOnNvheWithoutDeclaringItIsNamedWithTheRule() {
        PolicyUnderTest p = policy("test-broken-undeclared-partition");
        Contract.checkContext(p, ContractContext.GREEDY_GUEST); // legal on a VHE host
        ContractViolation v = violation(() -> Contract.checkContext(p, ContractContext.NVHE_HOST));
        assertThat(v.getMessage())
                .startsWith("policy test-broken-undeclared-partition, hook host_boot, rule 'VHE only:"
                        + " partitions without declaring PARTITIONS_PMU': on an nVHE host: HPMN 4 < N on CPU 0 of an nVHE"
                        + " host");
    }

    @Test
    void aThrowingHookIsNamedWithTheContextItDidNotSurvive() {
        PolicyUnderTest p = policy("test-broken-throws-in-put");
        Contract.checkContext(p, ContractContext.MIGRATION_ACROSS_CORE_TYPES); // its guest counts
        ContractViolation v = violation(() -> Contract.checkContext(p, ContractContext.GUEST_NEVER_TOUCHES_PMU));
        assertThat(v.getMessage())
                .isEqualTo("policy test-broken-throws-in-put, hook vcpu_put, rule 'every hook"
                        + " survives a guest that never touches the PMU': vCPU 0 has no counter enabled");
        assertThat(v.controlRule()).as("no control rule: the hook threw").isEmpty();
    }

    @Test
    void anInvalidDefaultIsNamedWithValidate() {
        ContractViolation v = violation(() -> Contract.checkDefaultSettings(policy("test-broken-default-setting")));
        assertThat(v.getMessage())
                .startsWith("policy test-broken-default-setting, hook validate, rule 'every"
                        + " setting's default valid': invalid settings for allocation policy 'test-broken-default-setting':"
                        + " reserved_host_counters must be >= 0, got -3");
    }

    @Test
    void stateKeptAcrossRunsBreaksDeterminism() {
        PolicyUnderTest p = policy("test-broken-nondeterministic");
        Contract.checkContext(p, ContractContext.GREEDY_GUEST); // every run on its own is legal
        ContractViolation v = violation(() -> Contract.checkDeterminism(p, ContractContext.GREEDY_GUEST));
        assertThat(v.getMessage())
                .startsWith("policy test-broken-nondeterministic, hook any, rule 'deterministic"
                        + " results': on a greedy guest, ")
                .contains(" with the same seed 7");
    }

    @Test
    void hostEventsOnGuestCountersAreAnIsolationBreach() {
        ContractViolation v = violation(
                () -> Contract.checkContext(policy("test-broken-shares-counters"), ContractContext.GREEDY_GUEST));
        assertThat(v.getMessage())
                .startsWith("policy test-broken-shares-counters, hook any, rule 'no isolation"
                        + " breach': on a greedy guest, ")
                .endsWith(" accesses crossed between guest and host counters");
    }

    @Test
    void aContextThePolicyDoesNotDeclareIsSkippedWithTheReason() {
        TestAbortedException skipped = catchThrowableOfType(
                TestAbortedException.class,
                () -> Contract.checkContext(policy("test-kit-vhe-only"), ContractContext.NVHE_HOST));
        assertThat(skipped.getMessage())
                .isEqualTo("Assumption failed: skipped: policy test-kit-vhe-only does not declare"
                        + " SUPPORTS_NVHE_HOSTS, so the kit does not run it on an nVHE host");
    }

    @Test
    void theBrokenPoliciesAreNotInstalledForEveryone() {
        PolicyRegistry classpath = PolicyRegistry.discover(BrokenPolicyContractTest.class.getClassLoader());
        assertThat(BrokenPolicies.names())
                .allSatisfy(n -> assertThat(classpath.asMap()).doesNotContainKey(n));
        assertThat(BrokenPolicies.names())
                .allSatisfy(n -> assertThat(REGISTRY.asMap()).containsKey(n));
    }
}
