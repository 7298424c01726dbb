package dev.pmulab.policy.dynamichpmn;

import dev.pmulab.api.PolicyContext;

/** The PolicyContext the core binds, for tests that build a policy themselves. */
record TestContext(String policyName, long seed) implements PolicyContext {}
