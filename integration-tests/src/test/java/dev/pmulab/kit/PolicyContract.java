package dev.pmulab.kit;

import dev.pmulab.api.PolicyBehavior;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The policy contract, as Error Prone's CompilationTestHelper or Trino's BaseConnectorTest give
 * their plugin authors: implement it in a test class and every rule runs against every policy the
 * {@link PolicyContractExtension} discovers (narrow them with {@link ContractPolicies}). A context a
 * policy does not declare support for is reported skipped with the reason; a violation names the
 * policy, the hook and the rule.
 *
 * <pre>{@code
 * @ContractPolicies(include = "opt-in-reservation")
 * class OptInReservationContractTest implements PolicyContract {}
 * }</pre>
 */
@ExtendWith(PolicyContractExtension.class)
public interface PolicyContract {
    @TestTemplate
    @DisplayName("every setting's default is valid")
    default void everySettingsDefaultIsValid(PolicyUnderTest policy) {
        Contract.checkDefaultSettings(policy);
    }

    @TestTemplate
    @DisplayName("survives an idle host")
    default void survivesAnIdleHost(PolicyUnderTest policy) {
        Contract.checkContext(policy, ContractContext.IDLE_HOST);
    }

    @TestTemplate
    @DisplayName("survives a host with no PMU")
    default void survivesAHostWithNoPmu(PolicyUnderTest policy) {
        Contract.checkContext(policy, ContractContext.HOST_WITHOUT_PMU);
    }

    @TestTemplate
    @DisplayName("survives a vCPU migrating across core types")
    default void survivesAVcpuMigratingAcrossCoreTypes(PolicyUnderTest policy) {
        Contract.checkContext(policy, ContractContext.MIGRATION_ACROSS_CORE_TYPES);
    }

    @TestTemplate
    @DisplayName("survives a guest that never touches the PMU")
    default void survivesAGuestThatNeverTouchesThePmu(PolicyUnderTest policy) {
        Contract.checkContext(policy, ContractContext.GUEST_NEVER_TOUCHES_PMU);
    }

    @TestTemplate
    @DisplayName("survives a greedy guest")
    default void survivesAGreedyGuest(PolicyUnderTest policy) {
        Contract.checkContext(policy, ContractContext.GREEDY_GUEST);
    }

    @TestTemplate
    @DisplayName("survives an administrator moving the split")
    default void survivesAnAdministratorMovingTheSplit(PolicyUnderTest policy) {
        Contract.checkContext(policy, ContractContext.ADMIN_MOVES_THE_SPLIT);
    }

    @TestTemplate
    @DisplayName("partitions only on a VHE host")
    default void partitionsOnlyOnAVheHost(PolicyUnderTest policy) {
        Contract.checkContext(policy, ContractContext.NVHE_HOST);
    }

    @TestTemplate
    @DisplayName("gives the same results for the same seed")
    default void resultsAreDeterministic(PolicyUnderTest policy) {
        Contract.checkDeterminism(policy, ContractContext.GREEDY_GUEST);
        if (policy.has(PolicyBehavior.SUPPORTS_HETEROGENEOUS_HOSTS)) {
            Contract.checkDeterminism(policy, ContractContext.MIGRATION_ACROSS_CORE_TYPES);
        }
    }
}
