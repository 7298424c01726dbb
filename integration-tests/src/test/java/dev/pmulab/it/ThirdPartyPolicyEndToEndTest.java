package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pmulab.cli.Pmulab;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party path, end to end: examples/third-party-policy is built into a jar, dropped in a
 * plugin directory, and compared beside the built-ins by {@code pmulab compare}; its report has
 * the plugin's column.
 */
final class ThirdPartyPolicyEndToEndTest {
    @TempDir
    Path dir;

    private static final String SCENARIO = """
            name: opt-in-side-by-side
            description: one VM opts in to a partition, one does not
            seed: 5
            run: {duration: 40ms}
            host:
              cpus: [{core: neoverse-n2, count: 2}]
            host_perf:
              - {name: host-stat, mode: stat, scope: system, groups: [[instructions, branches]]}
            vms:
              - name: asked
                vcpus: 1
                pmu_usage: {kind: perf-stat, events: [cycles, instructions, branches]}
                workload: cpu-bound
              - name: did-not-ask
                vcpus: 1
                partition: false
                pmu_usage: {kind: perf-stat, events: [cycles, instructions]}
                workload: cpu-bound
            """;

    private record Result(int status, String out, String err) {}

    private static Result pmulab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Pmulab.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void theExamplesJarGetsItsOwnColumnBesideTheBuiltIns() throws IOException {
        Path plugins = ExamplePlugin.pluginDirectory();
        assertThat(plugins.resolve(ExamplePlugin.JAR)).isRegularFile();
        Path scenario = Files.writeString(dir.resolve("opt-in.yaml"), SCENARIO);

        Result r = pmulab(
                "compare",
                scenario.toString(),
                "--plugin-path",
                plugins.toString(),
                "--policies",
                "emulated,static-hpmn," + ExamplePlugin.POLICY,
                "--format",
                "json");

        assertThat(r.status()).as(r.err()).isZero();
        JsonNode runs = new ObjectMapper().readTree(r.out()).get("runs");
        List<String> columns = new ArrayList<>();
        for (JsonNode run : runs) {
            String label = run.get("label").asText();
            columns.add(run.get("policies").get("allocation").get("name").asText());
            assertThat(run.get("status").asText())
                    .as("%s: %s", label, run.get("error"))
                    .isEqualTo("ok");
        }
        assertThat(columns).containsExactly("emulated", "static-hpmn", ExamplePlugin.POLICY);
        JsonNode emulated = runs.get(0).get("metrics");
        JsonNode staticHpmn = runs.get(1).get("metrics");
        JsonNode example = runs.get(2).get("metrics");
        assertThat(example.get("isolation.breaches").asLong()).isZero();
        // The VM that asked reaches its counters directly, so the guest traps cost less than emulated...
        assertThat(example.get("guest.pmu_trap_ns").asLong())
                .isLessThan(emulated.get("guest.pmu_trap_ns").asLong());
        // ... and the host keeps its counters while the VM that did not ask runs.
        assertThat(example.get("host.event_coverage_pct").asDouble())
                .isGreaterThan(staticHpmn.get("host.event_coverage_pct").asDouble());
    }

    @Test
    void pmulabPoliciesListsThePluginWithItsJar() {
        Result r = pmulab(
                "policies", "--plugin-path", ExamplePlugin.pluginDirectory().toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains(ExamplePlugin.POLICY).contains(ExamplePlugin.JAR);
    }

    @Test
    void theExamplesOwnContractTestCompilesAgainstTheKit() throws IOException {
        Path classes = ExamplePlugin.compileTests();
        assertThat(classes.resolve("com/example/optin/OptInReservationContractTest.class"))
                .isRegularFile();
    }

    @Test
    void theServiceFileNamesTheDescriptorAsAutoServiceWould() throws IOException {
        assertThat(ExamplePlugin.services(ExamplePlugin.project().resolve("src/main/java")))
                .isEqualTo("com.example.optin.OptInReservationDescriptor\n");
    }
}
