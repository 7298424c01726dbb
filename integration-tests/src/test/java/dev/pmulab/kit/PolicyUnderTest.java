package dev.pmulab.kit;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyBehavior;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.plugin.LoadedPolicy;
import dev.pmulab.sim.plugin.PolicyRegistry;
import java.util.Set;

/**
 * One policy the contract runs against, with the registry it was found in (the runs resolve the
 * other kinds' policies, such as {@code emulated} beside a selection policy, from it).
 */
public record PolicyUnderTest(LoadedPolicy policy, PolicyRegistry registry) {
    public PolicyUnderTest {
        requireNonNull(policy, "policy is null");
        requireNonNull(registry, "registry is null");
    }

    /** {@code name} from {@code registry}, of whatever kind it is. */
    public static PolicyUnderTest of(PolicyRegistry registry, String name) {
        requireNonNull(registry, "registry is null");
        LoadedPolicy p = registry.asMap().get(requireNonNull(name, "name is null"));
        if (p == null) {
            throw new IllegalArgumentException("no policy '" + name + "' in the registry; known: "
                    + registry.asMap().keySet());
        }
        return new PolicyUnderTest(p, registry);
    }

    public String name() {
        return policy.name();
    }

    public PolicyKind kind() {
        return policy.kind();
    }

    /** What the policy declares, read once per call from its descriptor. */
    public Set<PolicyBehavior> behaviors() {
        Set<PolicyBehavior> declared = policy.descriptor().behaviors();
        if (declared == null) {
            throw new ContractViolation(name(), "behaviors", "behaviours declared", "behaviors() returned null");
        }
        return declared;
    }

    public boolean has(PolicyBehavior behavior) {
        return behaviors().contains(behavior);
    }

    @Override
    public String toString() {
        return kind().configName() + " policy " + name() + " (" + policy.source() + ")";
    }
}
