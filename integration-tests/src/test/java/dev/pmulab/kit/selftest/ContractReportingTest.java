package dev.pmulab.kit.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.pmulab.kit.ContractPolicies;
import dev.pmulab.kit.ContractRegistry;
import dev.pmulab.kit.PolicyContract;
import dev.pmulab.sim.plugin.PolicyRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * What a plugin author sees: a {@link PolicyContract} class run by the JUnit launcher, as Maven
 * runs it. One invocation per policy and rule, named after the policy; a broken rule fails with
 * the violation's message; a context the policy does not declare is skipped with the reason.
 */
final class ContractReportingTest {
    /** Run by the launcher below, not by Maven (surefire leaves nested classes alone). */
    @ContractPolicies(include = {"test-broken-hpmn-above-n", "test-kit-vhe-only"})
    static final class NarrowContract implements PolicyContract {
        @ContractRegistry
        static PolicyRegistry registry() {
            return BrokenPolicies.registry();
        }
    }

    /** Names a policy nobody installed: a typo must not pass as "no policy, nothing failed". */
    @ContractPolicies(include = "no-such-policy")
    static final class MisspelledContract implements PolicyContract {}

    private record Outcome(String name, TestExecutionResult.Status status, String message) {}

    private static List<Outcome> run(Class<?> contract) {
        List<Outcome> outcomes = new ArrayList<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(
                LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(contract))
                        .filters(EngineFilter.includeEngines("junit-jupiter"))
                        .build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest() || result.getStatus() == TestExecutionResult.Status.FAILED) {
                            outcomes.add(new Outcome(
                                    id.getDisplayName() + " " + id.getUniqueId(),
                                    result.getStatus(),
                                    result.getThrowable()
                                            .map(Throwable::getMessage)
                                            .orElse("")));
                        }
                    }

                    @Override
                    public void executionSkipped(TestIdentifier id, String reason) {
                        outcomes.add(new Outcome(id.getDisplayName(), null, reason));
                    }
                });
        return outcomes;
    }

    @Test
    void eachPolicyAndRuleIsOneNamedTestFailedOrSkippedWithTheReason() {
        List<Outcome> outcomes = run(NarrowContract.class);
        assertThat(outcomes)
                .hasSize(18)
                .allSatisfy(o ->
                        assertThat(o.name()).containsPattern("^\\[(test-broken-hpmn-above-n|test-kit-vhe-only)\\] "));

        List<Outcome> failed = outcomes.stream()
                .filter(o -> o.status() == TestExecutionResult.Status.FAILED)
                .toList();
        // host_boot breaks the rule in every context; the default settings and determinism hold.
        assertThat(failed).hasSize(6).allSatisfy(o -> {
            assertThat(o.name()).startsWith("[test-broken-hpmn-above-n]");
            assertThat(o.message())
                    .startsWith("policy test-broken-hpmn-above-n, hook host_boot, rule 'HPMN <= N': on ");
        });

        List<Outcome> aborted = outcomes.stream()
                .filter(o -> o.status() == TestExecutionResult.Status.ABORTED)
                .toList();
        assertThat(aborted)
                .extracting(Outcome::message)
                .containsExactlyInAnyOrder(
                        "Assumption failed: skipped: policy test-kit-vhe-only does not declare SUPPORTS_NVHE_HOSTS, so the kit"
                                + " does not run it on an nVHE host",
                        "Assumption failed: skipped: policy test-kit-vhe-only does not declare RESERVED_HOST_COUNTERS_KNOB, so"
                                + " the kit does not run it on an administrator moving the split under a greedy guest",
                        "Assumption failed: skipped: policy test-broken-hpmn-above-n does not declare"
                                + " RESERVED_HOST_COUNTERS_KNOB, so the kit does not run it on an administrator moving the split"
                                + " under a greedy guest");
        assertThat(aborted)
                .filteredOn(o -> o.message().contains("SUPPORTS_NVHE_HOSTS"))
                .singleElement()
                .satisfies(o ->
                        assertThat(o.name()).startsWith("[test-kit-vhe-only]").contains("partitionsOnlyOnAVheHost"));
        assertThat(outcomes.stream().filter(o -> o.status() == TestExecutionResult.Status.SUCCESSFUL))
                .hasSize(9);
    }

    @Test
    void aPolicyNameNobodyInstalledFailsEveryRuleNamingWhatWasFound() {
        List<Outcome> outcomes = run(MisspelledContract.class);
        assertThat(outcomes).hasSize(9).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(TestExecutionResult.Status.FAILED);
            assertThat(o.message())
                    .startsWith(
                            "@ContractPolicies includes 'no-such-policy', which was not discovered;" + " discovered: [")
                    .contains("static-hpmn");
        });
    }
}
