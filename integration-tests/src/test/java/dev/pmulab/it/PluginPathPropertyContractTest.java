package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.pmulab.kit.ContractPolicies;
import dev.pmulab.kit.PolicyContract;
import dev.pmulab.kit.PolicyContractExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Without a {@code @ContractRegistry} method the kit also discovers the plugin directories named
 * by the system property {@value PolicyContractExtension#PLUGIN_PATH_PROPERTY}: how a build runs the
 * contract on jars it did not compile.
 */
final class PluginPathPropertyContractTest {
    /** Run by the launcher below, not by Maven (surefire leaves nested classes alone). */
    @ContractPolicies(include = ExamplePlugin.POLICY)
    static final class FromThePluginPath implements PolicyContract {}

    @Test
    void theContractRunsOnAPolicyFoundInThePluginPath() {
        String previous = System.getProperty(PolicyContractExtension.PLUGIN_PATH_PROPERTY);
        System.setProperty(
                PolicyContractExtension.PLUGIN_PATH_PROPERTY,
                ExamplePlugin.pluginDirectory().toString());
        List<String> results = new ArrayList<>();
        try {
            LauncherFactory.create()
                    .execute(
                            LauncherDiscoveryRequestBuilder.request()
                                    .selectors(selectClass(FromThePluginPath.class))
                                    .filters(EngineFilter.includeEngines("junit-jupiter"))
                                    .build(),
                            new TestExecutionListener() {
                                @Override
                                public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                                    if (id.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                                        results.add(id.getDisplayName() + " " + result.getStatus()
                                                + result.getThrowable()
                                                        .map(t -> ": " + t.getMessage())
                                                        .orElse(""));
                                    }
                                }
                            });
        } finally {
            if (previous == null) {
                System.clearProperty(PolicyContractExtension.PLUGIN_PATH_PROPERTY);
            } else {
                System.setProperty(PolicyContractExtension.PLUGIN_PATH_PROPERTY, previous);
            }
        }
        assertThat(results).hasSize(9).allSatisfy(r -> assertThat(r).startsWith("[" + ExamplePlugin.POLICY + "] "));
        // It has no knob, so that one context is skipped, and says why; every other rule holds.
        assertThat(results)
                .filteredOn(r -> !r.endsWith(" SUCCESSFUL"))
                .singleElement()
                .asString()
                .contains("ABORTED")
                .contains("does not declare RESERVED_HOST_COUNTERS_KNOB");
    }
}
