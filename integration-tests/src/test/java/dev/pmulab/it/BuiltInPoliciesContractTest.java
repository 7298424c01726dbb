package dev.pmulab.it;

import dev.pmulab.kit.ContractPolicies;
import dev.pmulab.kit.PolicyContract;

/**
 * Every policy pmulab ships passes the contract. The test classpath also holds test-only
 * policies, named {@code test-*}, some broken on purpose; they are left out here.
 */
@ContractPolicies(exclude = "test-*")
final class BuiltInPoliciesContractTest implements PolicyContract {}
