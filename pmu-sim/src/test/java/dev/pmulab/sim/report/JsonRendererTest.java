package dev.pmulab.sim.report;

import static dev.pmulab.sim.report.SampleReports.EMULATED;
import static dev.pmulab.sim.report.SampleReports.policies;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pmulab.api.ControlRule;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class JsonRendererTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonRenderer renderer = new JsonRenderer();
    private final String json = renderer.render(SampleReports.allocationComparison());

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void hasTheIssuesShape() throws Exception {
        JsonNode root = MAPPER.readTree(json);
        assertThat(keys(root)).contains("scenario", "seed", "runs");
        assertThat(root.get("scenario").asText()).isEqualTo("flagship-gzip");
        assertThat(root.get("seed").isIntegralNumber()).isTrue();
        assertThat(root.get("seed").asLong()).isEqualTo(42);
        assertThat(root.get("runs").isArray()).isTrue();
        assertThat(root.get("runs")).hasSize(3);
        for (JsonNode run : root.get("runs")) {
            assertThat(keys(run)).containsExactly("label", "policies", "status", "error", "failure", "metrics");
            assertThat(keys(run.get("policies"))).containsExactly("allocation", "selection", "filter");
            for (JsonNode p : run.get("policies")) {
                assertThat(keys(p)).containsExactly("name", "settings", "label");
            }
            assertThat(run.get("status").asText()).isIn("ok", "failed");
            assertThat(keys(run.get("metrics")))
                    .containsExactlyElementsOf(
                            Metric.all().stream().map(Metric::key).toList());
        }
    }

    @Test
    void namesItsFormatVersionAndTheMetricCatalogue() throws Exception {
        JsonNode root = MAPPER.readTree(json);
        assertThat(root.get("format").asText()).isEqualTo(JsonRenderer.FORMAT);
        assertThat(root.get("pmulab_version").asText()).isEqualTo(ComparisonReport.pmulabVersion());
        assertThat(root.get("scenario_sha256").isNull()).isTrue();
        JsonNode catalogue = root.get("metrics");
        assertThat(catalogue).hasSize(Metric.all().size());
        for (Metric m : Metric.all()) {
            JsonNode entry = catalogue.get(m.ordinal());
            assertThat(entry.get("key").asText()).isEqualTo(m.key());
            assertThat(entry.get("unit").asText()).isEqualTo(m.unit().symbol());
            assertThat(entry.get("better").asText()).isIn("lower", "higher", "none");
            assertThat(entry.get("definition").asText()).isEqualTo(m.definition());
        }
        // sha256("abc"), FIPS 180-2 appendix B.1.
        assertThat(MAPPER.readTree(renderer.render(
                                SampleReports.allocationComparison().withScenarioText("abc")))
                        .get("scenario_sha256")
                        .asText())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        // Each policy used once, none (no filter) is no plugin.
        assertThat(root.get("plugins")).hasSize(4);
        assertThat(root.get("plugins").get(0).get("source").asText()).isEqualTo(RunPolicy.BUILT_IN);
    }

    @Test
    void anOkRunHasANullErrorAndItsValues() throws Exception {
        JsonNode run = MAPPER.readTree(json).get("runs").get(1);
        JsonNode allocation = run.get("policies").get("allocation");
        assertThat(allocation.get("name").asText()).isEqualTo("static-hpmn");
        assertThat(allocation.get("settings").get("reserved_host_counters").isIntegralNumber())
                .isTrue();
        assertThat(allocation.get("settings").get("reserved_host_counters").asLong())
                .isEqualTo(2);
        assertThat(allocation.get("label").asText()).isEqualTo(SampleReports.STATIC);
        assertThat(run.get("label").asText()).isEqualTo(SampleReports.STATIC);
        assertThat(run.get("policies").get("selection").get("name").asText()).isEqualTo("default-pmu");
        assertThat(run.get("status").asText()).isEqualTo("ok");
        assertThat(run.get("error").isNull()).isTrue();
        assertThat(run.get("failure").isNull()).isTrue();
        JsonNode m = run.get("metrics");
        assertThat(m.get("guest.pmu_traps").isIntegralNumber()).isTrue();
        assertThat(m.get("guest.pmu_traps").asLong()).isEqualTo(4321);
        assertThat(m.get("guest.pmu_overhead_pct").asDouble()).isEqualTo(0.0621);
        assertThat(m.get("host.vcpu_put_ns.mean").asDouble()).isEqualTo(240.25);
        assertThat(m.get("brbe.blackout_ns").isNull()).isTrue();
    }

    @Test
    void aFailedRunHasStatusFailedItsErrorAndNullMetrics() throws Exception {
        JsonNode run = MAPPER.readTree(json).get("runs").get(2);
        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("error").asText()).isEqualTo(SampleReports.GROW_ERROR);
        JsonNode failure = run.get("failure");
        assertThat(keys(failure)).containsExactly("policy", "hook", "rule", "detail");
        assertThat(failure.get("policy").asText()).isEqualTo("trap-and-grow");
        assertThat(failure.get("hook").asText()).isEqualTo("onTrappedAccess");
        assertThat(failure.get("rule").isNull()).isTrue();
        assertThat(failure.get("detail").asText()).isEqualTo("HPMN 12 > N <10>\nat counter \"PMEVCNTR11\"");
        for (Metric m : Metric.all()) {
            assertThat(run.get("metrics").get(m.key()).isNull()).as(m.key()).isTrue();
        }
    }

    @Test
    void addsTheComparedKindAndTheEstimates() throws Exception {
        JsonNode root = MAPPER.readTree(json);
        assertThat(root.get("compared_kind").asText()).isEqualTo("allocation");
        assertThat(root.get("estimates"))
                .extracting(e -> e.get("id").asText())
                .containsExactly("C1", "C4", "C9", "C12");
        JsonNode c1 = root.get("estimates").get(0);
        assertThat(c1.get("value_ns").asLong()).isEqualTo(600);
        assertThat(c1.get("overridden").asBoolean()).isTrue();
        assertThat(c1.get("leaned_on").asBoolean()).isFalse();
        assertThat(root.get("estimates").get(1).get("leaned_on").asBoolean()).isTrue();
    }

    @Test
    void numbersArePlainDecimals() {
        assertThat(json)
                .contains(
                        "\"guest.workload_ns\": 4143000000,",
                        "\"guest.pmu_overhead_pct\": 24.2349,",
                        "\"vcpu.wait_pct\": 0,")
                .doesNotContain("E+", "E9", ".0,");
    }

    @Test
    void aRefusalGivesItsRuleAsItsShortName() throws Exception {
        RunFailure refused = new RunFailure("static-hpmn", "host_boot", ControlRule.VHE_ONLY, "HPMN 4 < N on CPU 0");
        ComparisonReport r = new ComparisonReport(
                "s", "d", 1, PolicyKind.ALLOCATION, List.of(RunReport.failed(policies(EMULATED), refused)), List.of());
        JsonNode run = MAPPER.readTree(renderer.render(r)).get("runs").get(0);
        assertThat(run.get("failure").get("rule").asText()).isEqualTo("VHE only");
        assertThat(run.get("error").asText())
                .isEqualTo("policy static-hpmn broke the rule 'VHE only' in host_boot: HPMN 4 < N on CPU 0");
        JsonNode simulator = MAPPER.readTree(renderer.render(new ComparisonReport(
                        "s",
                        "d",
                        1,
                        PolicyKind.ALLOCATION,
                        List.of(RunReport.failed(policies(EMULATED), RunFailure.unblamed("VM vm0 did not retire"))),
                        List.of())))
                .get("runs")
                .get(0)
                .get("failure");
        assertThat(simulator.get("policy").isNull()).as("no policy to blame").isTrue();
        assertThat(simulator.get("hook").isNull()).isTrue();
        assertThat(simulator.get("detail").asText()).isEqualTo("VM vm0 did not retire");
    }

    @Test
    void escapesStrings() throws Exception {
        String nasty = "quote \" backslash \\ newline \n tab \t nul \u0000 </script>";
        ComparisonReport r = new ComparisonReport(
                "s\"1",
                nasty,
                -7,
                PolicyKind.SELECTION,
                List.of(RunReport.failed(policies(EMULATED), RunFailure.unblamed(nasty))),
                List.of());
        JsonNode root = MAPPER.readTree(renderer.render(r));
        assertThat(root.get("scenario").asText()).isEqualTo("s\"1");
        assertThat(root.get("description").asText()).isEqualTo(nasty);
        assertThat(root.get("runs").get(0).get("error").asText()).isEqualTo(nasty);
        assertThat(root.get("seed").asLong()).isEqualTo(-7);
    }

    @Test
    void isDeterministic() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.FRANCE);
            assertThat(renderer.render(SampleReports.allocationComparison())).isEqualTo(json);
        } finally {
            Locale.setDefault(saved);
        }
        // Same values put in another order make the same bytes: no map iteration order leaks out.
        MetricValues forward = MetricValues.builder()
                .put(Metric.GUEST_CRASHES, 1L)
                .put(Metric.FILTER_LEAKS, 2L)
                .build();
        MetricValues backward = MetricValues.builder()
                .put(Metric.FILTER_LEAKS, 2L)
                .put(Metric.GUEST_CRASHES, 1L)
                .build();
        String a = renderer.render(new ComparisonReport(
                "s", "", 1, PolicyKind.ALLOCATION, List.of(RunReport.ok(policies(EMULATED), forward)), List.of()));
        String b = renderer.render(new ComparisonReport(
                "s", "", 1, PolicyKind.ALLOCATION, List.of(RunReport.ok(policies(EMULATED), backward)), List.of()));
        assertThat(a).isEqualTo(b);
        assertThat(json).doesNotContain("\r").endsWith("}\n");
    }
}
