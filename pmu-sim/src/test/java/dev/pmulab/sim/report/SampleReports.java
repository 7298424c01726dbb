package dev.pmulab.sim.report;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reports for the renderer tests, shaped like a real allocation comparison. */
final class SampleReports {
    static final String EMULATED = "emulated";
    static final String STATIC = "static-hpmn(guest_counters=8, reserved_host_counters=2)";
    static final String GROW = "trap-and-grow(step=2)";
    static final RunFailure GROW_FAILURE =
            new RunFailure("trap-and-grow", "onTrappedAccess", null, "HPMN 12 > N <10>\nat counter \"PMEVCNTR11\"");
    static final String GROW_ERROR =
            "policy trap-and-grow failed in onTrappedAccess: HPMN 12 > N <10>\nat counter \"PMEVCNTR11\"";

    private SampleReports() {}

    static Map<PolicyKind, RunPolicy> policies(String allocation) {
        Map<PolicyKind, RunPolicy> p = new EnumMap<>(PolicyKind.class);
        p.put(PolicyKind.ALLOCATION, policy(allocation));
        p.put(PolicyKind.SELECTION, policy("default-pmu"));
        p.put(PolicyKind.FILTER, RunPolicy.none());
        return p;
    }

    /**
     * The policy a label names, its settings typed as a descriptor would declare them (true/false a
     * boolean, digits an integer, anything else a string), with no declared defaults; a label that does not parse is a name as it stands (hostile
     * input for the escaping tests).
     */
    static RunPolicy policy(String label) {
        PolicyLabel.Parsed parsed;
        try {
            parsed = PolicyLabel.parse(label);
        } catch (IllegalArgumentException e) {
            return RunPolicy.of(label, Map.of()); // a hostile name, kept whole
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        parsed.rawSettings().forEach((k, v) -> typed.put(k, typed(v)));
        return RunPolicy.of(parsed.name(), typed);
    }

    private static Object typed(Object raw) {
        if (raw instanceof List<?> l) {
            return l.stream().map(o -> Long.parseLong(o.toString())).toList();
        }
        String s = raw.toString();
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        return s.matches("-?[0-9]+") ? (Object) Long.parseLong(s) : s;
    }

    /** Every metric set, except the ones the scenario has no use for. */
    static MetricValues emulatedMetrics() {
        return MetricValues.builder()
                .put(Metric.GUEST_PMU_TRAPS, 1_234_567L)
                .put(Metric.GUEST_PMU_TRAP_NS, 9_198_765_432L)
                .put(Metric.GUEST_PMU_OVERHEAD_PCT, 24.2349)
                .put(Metric.GUEST_WORKLOAD_NS, 4_143_000_000L)
                .put(Metric.GUEST_USER_NS, 3_800_000_000L)
                .put(Metric.GUEST_SYS_NS, 159_000_000L)
                .put(Metric.GUEST_IRQ_NS, 0L)
                .put(Metric.GUEST_RUN_PCT, 55.85)
                .put(Metric.VCPU_WAIT_PCT, 0.0)
                .put(Metric.GUEST_EVENT_COVERAGE_PCT, 66.67)
                .put(Metric.GUEST_COUNTERS_STOPPED, 3L)
                .put(Metric.GUEST_COUNT_ERROR_PCT, 1.5)
                .put(Metric.GUEST_CYCLE_STALLS, 0L)
                .put(Metric.GUEST_CRASHES, 0L)
                .put(Metric.GUEST_VISIBLE_N_CHANGES, 0L)
                .put(Metric.HOST_KERNEL_PCT, 34.96)
                .put(Metric.HOST_SYS_PCT, 34.96)
                .put(Metric.HOST_IRQ_PCT, 0.0)
                .put(Metric.HOST_VCPU_LOAD_NS_MEAN, 0.0)
                .put(Metric.HOST_VCPU_LOAD_NS_P99, 0L)
                .put(Metric.HOST_VCPU_PUT_NS_MEAN, 0.0)
                .put(Metric.HOST_VCPU_PUT_NS_P99, 0L)
                .put(Metric.HOST_PERF_RESCHEDS, 5000L)
                .put(Metric.HOST_EVENT_COVERAGE_PCT, 100.0)
                .put(Metric.HOST_EVENT_COVERAGE_MIN_PCT, 100.0)
                .put(Metric.HOST_PINNED_ERRORS, 2L)
                .put(Metric.ISOLATION_BREACHES, 0L)
                .put(Metric.FILTER_LEAKS, 0L)
                .build();
    }

    static MetricValues staticMetrics() {
        return MetricValues.builder()
                .put(Metric.GUEST_PMU_TRAPS, 4_321L)
                .put(Metric.GUEST_PMU_TRAP_NS, 1_948_771L)
                .put(Metric.GUEST_PMU_OVERHEAD_PCT, 0.0621)
                .put(Metric.GUEST_WORKLOAD_NS, 3_139_000_000L)
                .put(Metric.GUEST_USER_NS, 2_990_000_000L)
                .put(Metric.GUEST_SYS_NS, 110_000_000L)
                .put(Metric.GUEST_IRQ_NS, 0L)
                .put(Metric.GUEST_RUN_PCT, 91.06)
                .put(Metric.VCPU_WAIT_PCT, 0.0)
                .put(Metric.GUEST_EVENT_COVERAGE_PCT, 100.0)
                .put(Metric.GUEST_COUNTERS_STOPPED, 0L)
                .put(Metric.GUEST_COUNT_ERROR_PCT, 0.004)
                .put(Metric.GUEST_CYCLE_STALLS, 0L)
                .put(Metric.GUEST_CRASHES, 0L)
                .put(Metric.GUEST_VISIBLE_N_CHANGES, 0L)
                .put(Metric.HOST_KERNEL_PCT, 0.97)
                .put(Metric.HOST_SYS_PCT, 0.97)
                .put(Metric.HOST_IRQ_PCT, 0.0)
                .put(Metric.HOST_VCPU_LOAD_NS_MEAN, 262.5)
                .put(Metric.HOST_VCPU_LOAD_NS_P99, 525L)
                .put(Metric.HOST_VCPU_PUT_NS_MEAN, 240.25)
                .put(Metric.HOST_VCPU_PUT_NS_P99, 510L)
                .put(Metric.HOST_PERF_RESCHEDS, 1L)
                .put(Metric.HOST_EVENT_COVERAGE_PCT, 80.0)
                .put(Metric.HOST_EVENT_COVERAGE_MIN_PCT, 40.0)
                .put(Metric.HOST_PINNED_ERRORS, 0L)
                .put(Metric.ISOLATION_BREACHES, 0L)
                .put(Metric.FILTER_LEAKS, 0L)
                .build();
    }

    static List<CostAssumption> costs() {
        return List.of(
                new CostAssumption(
                        "C12",
                        "perf_pmu_resched",
                        1000,
                        CostAssumption.ESTIMATE,
                        "ctx locks, perf_pmu_disable/enable and tree walks",
                        false),
                new CostAssumption(
                        "C1",
                        "trap_sysreg_emulation",
                        600,
                        CostAssumption.DERIVED,
                        "Altra mmio_read_vgic 451 ns, the closest measured in-kernel exit",
                        true),
                new CostAssumption(
                        "C4",
                        "perf_event_read_value",
                        150,
                        CostAssumption.ESTIMATE,
                        "one or two sysreg reads plus perf bookkeeping and locking",
                        false),
                new CostAssumption(
                        "C9",
                        "perf_event_create",
                        8000,
                        CostAssumption.ESTIMATE,
                        "allocation + event_init + install with resched",
                        true));
    }

    /** Emulated, static HPMN (a label with a comma and settings), and trap-and-grow, which failed. */
    static ComparisonReport allocationComparison() {
        return new ComparisonReport(
                "flagship-gzip",
                "guest perf record of 15 events at 1000 Hz over gzip (v1 cover letter, benchmark 1)",
                42L,
                PolicyKind.ALLOCATION,
                List.of(
                        RunReport.ok(policies(EMULATED), emulatedMetrics()),
                        RunReport.ok(policies(STATIC), staticMetrics()),
                        RunReport.failed(policies(GROW), GROW_FAILURE)),
                costs());
    }
}
