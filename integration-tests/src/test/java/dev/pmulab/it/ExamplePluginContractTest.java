package dev.pmulab.it;

import dev.pmulab.kit.ContractPolicies;
import dev.pmulab.kit.ContractRegistry;
import dev.pmulab.kit.PolicyContract;
import dev.pmulab.sim.plugin.PolicyRegistry;
import java.util.List;

/**
 * The kit's contract on the example policy as pmulab loads it: from its jar in a plugin
 * directory, through its own class loader (what the example's own contract test checks from its
 * classpath).
 */
@ContractPolicies(include = ExamplePlugin.POLICY)
final class ExamplePluginContractTest implements PolicyContract {
    @ContractRegistry
    static PolicyRegistry fromThePluginDirectory() {
        return PolicyRegistry.discover(
                ExamplePluginContractTest.class.getClassLoader(), List.of(ExamplePlugin.pluginDirectory()));
    }
}
