package dev.pmulab.kit;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.ControlRule;
import dev.pmulab.api.PolicyBehavior;
import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.plugin.PluginException;
import dev.pmulab.sim.plugin.SelectedPolicy;
import dev.pmulab.sim.report.ComparisonReport;
import dev.pmulab.sim.report.RunFailure;
import dev.pmulab.sim.report.RunReport;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The rules of the policy contract, each a static check that returns normally or throws a
 * {@link ContractViolation} naming the policy, the hook and the rule (or aborts, naming the
 * behaviour the policy does not declare, when the check does not apply). {@link PolicyContract}
 * runs them as tests; a plugin's own tests may call them directly.
 */
public final class Contract {
    /** Rule names, as failure messages spell them. */
    public static final String RULE_DEFAULTS = "every setting's default valid";

    public static final String RULE_ISOLATION = "no isolation breach";
    public static final String RULE_FILTER = "no filtered event counted";
    public static final String RULE_DETERMINISM = "deterministic results";
    public static final String RULE_UNDECLARED_PARTITION =
            ControlRule.VHE_ONLY.ruleName() + ": partitions without declaring PARTITIONS_PMU";

    /** The hook named for a property of a whole run, which no single hook owns. */
    public static final String ANY_HOOK = "any";

    private Contract() {}

    /** The policy's settings, all at their defaults, pass its own validation and the core's type checks. */
    public static void checkDefaultSettings(PolicyUnderTest p) {
        requireNonNull(p, "p is null");
        try {
            SelectedPolicy.select(p.registry(), p.kind(), p.name(), Map.of());
        } catch (PluginException | IllegalArgumentException e) {
            throw new ContractViolation(p.name(), "validate", RULE_DEFAULTS, e.getMessage());
        }
    }

    /**
     * Runs the policy in {@code context}: every hook returns (survives), every control action it
     * takes is one the hardware allows (HPMN within bounds, HPMN0, VHE-only partitions, pinned host
     * events), and no guest or host access crosses into the other's counters.
     */
    public static void checkContext(PolicyUnderTest p, ContractContext context) {
        requireNonNull(p, "p is null");
        requireNonNull(context, "context is null");
        skipUnlessSupported(p, context);
        RunReport run = runOnce(p, context);
        if (!run.isOk()) {
            if (cleanlyRefusedOnNvhe(p, context, run.failure())) {
                return; // the documented limit of a partitioning policy, not a breach of the contract
            }
            throw violationOf(p, context, run.failure());
        }
        long breaches = count(run.metrics(), Metric.ISOLATION_BREACHES);
        if (breaches > 0) {
            throw new ContractViolation(
                    p.name(),
                    ANY_HOOK,
                    RULE_ISOLATION,
                    "on " + context.description() + ", " + breaches
                            + " accesses crossed between guest and host counters");
        }
        long leaks = count(run.metrics(), Metric.FILTER_LEAKS);
        if (leaks > 0) {
            throw new ContractViolation(
                    p.name(),
                    ANY_HOOK,
                    RULE_FILTER,
                    "on " + context.description() + ", " + leaks
                            + " (vCPU, counter, event) triples counted an event the filter denies");
        }
    }

    /**
     * The same scenario with the same seed gives the same metrics, twice in a row in one JVM: a
     * policy must draw its randomness from {@code PolicyContext.seed()} and keep no state across runs.
     */
    public static void checkDeterminism(PolicyUnderTest p, ContractContext context) {
        requireNonNull(p, "p is null");
        requireNonNull(context, "context is null");
        skipUnlessSupported(p, context);
        RunReport first = runOnce(p, context);
        RunReport second = runOnce(p, context);
        if (!first.isOk() || !second.isOk()) {
            // A failing run is the context check's business; only a difference is this rule's.
            if (first.isOk() != second.isOk() || !first.failure().equals(second.failure())) {
                throw new ContractViolation(
                        p.name(),
                        ANY_HOOK,
                        RULE_DETERMINISM,
                        "on " + context.description() + ", the same seed gave '" + describe(first) + "' then '"
                                + describe(second) + "'");
            }
            return;
        }
        for (Map.Entry<Metric, Double> e : first.metrics().asMap().entrySet()) {
            double again = second.metrics().valueOrNaN(e.getKey());
            if (Double.compare(e.getValue(), again) != 0) {
                throw new ContractViolation(
                        p.name(),
                        ANY_HOOK,
                        RULE_DETERMINISM,
                        "on " + context.description()
                                + ", " + e.getKey().key() + " was " + e.getValue() + " then " + again
                                + " with the same seed "
                                + ContractContext.SEED);
            }
        }
        if (!first.metrics().equals(second.metrics())) {
            throw new ContractViolation(
                    p.name(),
                    ANY_HOOK,
                    RULE_DETERMINISM,
                    "on " + context.description() + ", the second run reported other metrics: "
                            + second.metrics().asMap().keySet());
        }
    }

    private static void skipUnlessSupported(PolicyUnderTest p, ContractContext context) {
        context.requires()
                .ifPresent(b -> Assumptions.assumeTrue(
                        p.has(b),
                        () -> "skipped: policy " + p.name() + " does not declare " + b
                                + ", so the kit does not run it on " + context.description()));
    }

    /** One run of the policy in the context, through the same path as {@code pmulab compare}. */
    static RunReport runOnce(PolicyUnderTest p, ContractContext context) {
        Scenario s = ScenarioLoader.load("contract.yaml", context.scenario(p));
        Comparison c;
        try {
            c = Comparison.plan(s, p.registry(), List.of(), s.seed());
        } catch (PluginException e) {
            throw new ContractViolation(p.name(), "validate", RULE_DEFAULTS, e.getMessage());
        }
        ComparisonReport report = c.report(c.execute(1, n -> {}));
        if (report.runs().size() != 1) {
            throw new IllegalStateException(
                    "a contract scenario plans one run, got " + report.runs().size());
        }
        return report.runs().get(0);
    }

    /** The run's failure as a violation: the policy, hook and rule it names, or the context's survival rule. */
    private static ContractViolation violationOf(PolicyUnderTest p, ContractContext context, RunFailure failure) {
        String on = "on " + context.description() + ": ";
        if (failure.rule() == ControlRule.VHE_ONLY && context == ContractContext.NVHE_HOST) {
            return new ContractViolation(
                    failure.policy(),
                    hookOf(failure),
                    RULE_UNDECLARED_PARTITION,
                    on + failure.detail(),
                    failure.rule());
        }
        if (failure.rule() != null) {
            return new ContractViolation(
                    failure.policy(),
                    hookOf(failure),
                    failure.rule().ruleName(),
                    on + failure.detail(),
                    failure.rule());
        }
        String survives = "every hook survives " + context.description();
        if (failure.policy() != null) {
            return new ContractViolation(failure.policy(), failure.hook(), survives, failure.detail());
        }
        return new ContractViolation(p.name(), ANY_HOOK, survives, failure.message());
    }

    /** A refusal outside any hook is a property of the run. */
    private static String hookOf(RunFailure failure) {
        return failure.hook() == null ? ANY_HOOK : failure.hook();
    }

    /** A policy that declares PARTITIONS_PMU may be refused on an nVHE host, with VHE_ONLY and nothing else. */
    private static boolean cleanlyRefusedOnNvhe(PolicyUnderTest p, ContractContext context, RunFailure failure) {
        return context == ContractContext.NVHE_HOST
                && p.has(PolicyBehavior.PARTITIONS_PMU)
                && p.name().equals(failure.policy())
                && failure.rule() == ControlRule.VHE_ONLY;
    }

    private static long count(MetricValues m, Metric metric) {
        return m.get(metric).isPresent() ? Math.round(m.get(metric).getAsDouble()) : 0;
    }

    private static String describe(RunReport r) {
        return r.isOk() ? "ok" : r.error();
    }
}
