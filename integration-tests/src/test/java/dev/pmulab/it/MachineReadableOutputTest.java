package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.cli.Pmulab;
import dev.pmulab.sim.plugin.SelectedPolicy;
import dev.pmulab.sim.report.PolicyLabel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code compare --format json} and {@code --format csv} output, read as a script reads it:
 * the JSON validates against docs/schema/compare-result.schema.json; a policy and a setting are
 * selected without parsing a label (as {@code jq} and {@code pandas} would); and every label the
 * report prints parses back, through {@code --policies}, into the same policy and settings.
 */
class MachineReadableOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Two VMs, a host group and an event filter whose setting holds commas (so its label needs quotes). */
    private static final String SCENARIO = """
            name: scripts
            seed: 3
            run: {duration: 30ms}
            host:
              cpus: [{core: ampereone, count: 2}]
            host_perf:
              - {name: sys, mode: stat, scope: system, groups: [[cycles, instructions]]}
            vms:
              - name: vm0
                vcpus: 1
                pmu_usage: {kind: perf-stat, scope: system, events: [cycles, instructions, l1d_cache_refill]}
                workload: cpu-bound
            policies:
              filter:
                name: event-filter
                settings: {filters: "deny:0x03, deny:0x17"}
            """;

    private static final String POLICIES = "static-hpmn(reserved_host_counters=3),static-hpmn,emulated";

    @TempDir
    static Path dir;

    private static Path scenario;
    private static String json;
    private static String csv;

    private record Result(int status, String out, String err) {}

    private static Result pmulab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Pmulab.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @BeforeAll
    static void compare() throws Exception {
        scenario = dir.resolve("scripts.yaml");
        Files.writeString(scenario, SCENARIO);
        Result j = pmulab("compare", scenario.toString(), "--policies", POLICIES, "--format", "json");
        assertThat(j.status()).as(j.err()).isZero();
        json = j.out();
        Result c = pmulab("compare", scenario.toString(), "--policies", POLICIES, "--format", "csv");
        assertThat(c.status()).as(c.err()).isZero();
        csv = c.out();
    }

    @Test
    void realJsonValidatesAgainstTheSchemaInDocs() throws Exception {
        Path schemaFile = Path.of("..", "docs", "schema", "compare-result.schema.json");
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(schemaFile));
        JsonNode doc = JSON.readTree(json);
        assertThat(schema.validate(doc)).isEmpty();
        assertThat(doc.get("scenario_sha256").asText())
                .isEqualTo(dev.pmulab.sim.report.ComparisonReport.sha256(SCENARIO));
        // The schema can fail: a setting of the wrong type, or a missing field, is an error.
        ObjectNode broken = (ObjectNode) doc.deepCopy();
        ((ObjectNode) broken.get("runs")
                        .get(0)
                        .get("policies")
                        .get("allocation")
                        .get("settings"))
                .putObject("opt_in");
        broken.remove("metrics");
        List<Error> errors = schema.validate(broken);
        assertThat(errors).hasSizeGreaterThanOrEqualTo(2);
    }

    /** What {@code jq '.runs[] | select(.policies.allocation.name == "static-hpmn" and ...)'} does. */
    @Test
    void aJqUserSelectsAPolicyAndASettingFromTheJson() throws Exception {
        JsonNode doc = JSON.readTree(json);
        List<Double> overhead = new ArrayList<>();
        for (JsonNode run : doc.get("runs")) {
            JsonNode allocation = run.get("policies").get("allocation");
            if (allocation.get("name").asText().equals("static-hpmn")
                    && allocation.get("settings").get("reserved_host_counters").asLong() == 3) {
                overhead.add(run.get("metrics").get("guest.pmu_overhead_pct").asDouble());
            }
        }
        assertThat(overhead).hasSize(1);
        // The filter's setting, commas and all, is one JSON string.
        assertThat(doc.get("runs")
                        .get(0)
                        .get("policies")
                        .get("filter")
                        .get("settings")
                        .get("filters")
                        .asText())
                .isEqualTo("deny:0x03, deny:0x17");
        JsonNode better = null;
        for (JsonNode m : doc.get("metrics")) {
            if (m.get("key").asText().equals("guest.pmu_overhead_pct")) {
                better = m.get("better");
            }
        }
        assertThat(better).isNotNull();
        assertThat(better.asText()).isEqualTo("lower");
    }

    /** What {@code df[(df.allocation == "static-hpmn") & (df["allocation.reserved_host_counters"] == 3)]} does. */
    @Test
    void aPandasUserSelectsAPolicyAndASettingFromTheCsv() throws Exception {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<String[]> rows = new ArrayList<>();
        try (var it = mapper.readerFor(String[].class).readValues(csv)) {
            while (it.hasNext()) {
                rows.add((String[]) it.next());
            }
        }
        List<String> header = List.of(rows.get(0));
        int allocation = header.indexOf("allocation");
        int reserved = header.indexOf("allocation.reserved_host_counters");
        int metric = header.indexOf("metric");
        int value = header.indexOf("value");
        int filters = header.indexOf("filter.filters");
        assertThat(List.of(allocation, reserved, metric, value, filters)).allMatch(i -> i >= 0);
        List<String> picked = new ArrayList<>();
        for (String[] r : rows.subList(1, rows.size())) {
            assertThat(r).hasSize(header.size());
            if (r[allocation].equals("static-hpmn")
                    && r[reserved].equals("3")
                    && r[metric].equals("guest.pmu_overhead_pct")) {
                picked.add(r[value]);
                assertThat(r[filters]).isEqualTo("deny:0x03, deny:0x17");
            }
        }
        assertThat(picked).hasSize(1);
        JsonNode run0 = JSON.readTree(json).get("runs").get(0);
        assertThat(Double.parseDouble(picked.get(0)))
                .isEqualTo(run0.get("metrics").get("guest.pmu_overhead_pct").asDouble());
    }

    /**
     * Every label the report prints (each run's column label and each policy's full label) parses
     * into the policy and the settings the JSON gives for it; and the column labels given back to
     * {@code --policies} run the same policies with the same settings.
     */
    @Test
    void everyPrintedLabelParsesBackIntoTheSamePolicyAndSettings() throws Exception {
        JsonNode doc = JSON.readTree(json);
        List<String> columnLabels = new ArrayList<>();
        for (JsonNode run : doc.get("runs")) {
            columnLabels.add(run.get("label").asText());
            for (PolicyKind kind : PolicyKind.values()) {
                JsonNode p = run.get("policies").get(kind.configName());
                if (p.get("name").asText().equals("none")) {
                    continue;
                }
                for (String label : List.of(
                        p.get("label").asText(),
                        kind == PolicyKind.ALLOCATION
                                ? run.get("label").asText()
                                : p.get("label").asText())) {
                    PolicyLabel.Parsed parsed = PolicyLabel.parse(label);
                    SelectedPolicy selected =
                            SelectedPolicy.select(Runs.REGISTRY, kind, parsed.name(), parsed.rawSettings());
                    assertThat(selected.name()).isEqualTo(p.get("name").asText());
                    // Through text, so a Long setting and the JSON's int node compare as the numbers they are.
                    JsonNode settings = JSON.readTree(JSON.writeValueAsString(
                            new TreeMap<>(selected.settings().asMap())));
                    assertThat(settings).as(label).isEqualTo(p.get("settings"));
                }
            }
        }
        assertThat(columnLabels).containsExactly("static-hpmn(reserved_host_counters=3)", "static-hpmn", "emulated");
        Result again = pmulab(
                "compare", scenario.toString(), "--policies", String.join(",", columnLabels), "--format", "json");
        assertThat(again.status()).as(again.err()).isZero();
        JsonNode doc2 = JSON.readTree(again.out());
        for (int i = 0; i < columnLabels.size(); i++) {
            assertThat(doc2.get("runs").get(i).get("policies"))
                    .isEqualTo(doc.get("runs").get(i).get("policies"));
            assertThat(doc2.get("runs").get(i).get("metrics"))
                    .isEqualTo(doc.get("runs").get(i).get("metrics"));
        }
    }

    @Test
    void aBadSettingOnTheCommandLineListsTheKnownSettingsAndTheirTypes() throws Exception {
        Result r = pmulab("compare", scenario.toString(), "--policies", "static-hpmn(reserved=3)");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err())
                .contains("unknown setting 'reserved'")
                .contains("reserved_host_counters (integer, default 2)")
                .contains("opt_in (boolean, default true)");
        Result t = pmulab("compare", scenario.toString(), "--policies", "static-hpmn(reserved_host_counters=many)");
        assertThat(t.status()).isEqualTo(2);
        assertThat(t.err()).contains("must be an integer, not 'many'");
        Map<String, Object> none = PolicyLabel.parse("emulated").rawSettings();
        assertThat(none).isEmpty();
    }
}
