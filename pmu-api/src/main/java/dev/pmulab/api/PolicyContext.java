package dev.pmulab.api;

/** What the core tells a policy about the run it is part of. Bound by the core in every run's injector. */
@Stable(since = "0.1")
public interface PolicyContext {
    /** The policy's own name, as the scenario named it. */
    String policyName();

    /** The scenario's seed, for a policy that randomises (it must be deterministic given the seed). */
    long seed();
}
