package com.example.optin;

import dev.pmulab.kit.ContractPolicies;
import dev.pmulab.kit.PolicyContract;

/**
 * The pmulab policy contract, run against this plugin: every rule, every host and guest context.
 * The kit finds the policy on the test classpath through its {@code @AutoService} registration.
 */
@ContractPolicies(include = OptInReservationDescriptor.NAME)
class OptInReservationContractTest implements PolicyContract {}
