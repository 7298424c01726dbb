package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pmulab.cli.Pmulab;
import dev.pmulab.sim.metrics.Metric;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code pmulab} command as a user runs it: output, formats, exit codes and bad input. */
final class CliEndToEndTest {
    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {}

    private static Result pmulab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Pmulab.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    private static final String SMALL = """
            name: small
            description: two policies on a small host
            seed: 11
            run: {duration: 40ms}
            host:
              cpus: [{core: ampereone, count: 2}]
              firmware: acpi
            host_perf:
              - {name: host-stat, mode: stat, scope: system, groups: [[instructions, branches]]}
            vms:
              - name: vm0
                vcpus: 2
                pmu_usage: {kind: perf-record, frequency: 1000, events: [cycles, instructions]}
                workload: cpu-bound
            policies:
              allocation: [emulated, {name: static-hpmn, settings: {reserved_host_counters: 2}}]
            """;

    private Path small() throws IOException {
        Path p = dir.resolve("small.yaml");
        Files.writeString(p, SMALL);
        return p;
    }

    @Test
    void compareTablePutsPoliciesInColumnsAndMetricsInRows() throws IOException {
        Result r = pmulab("compare", small().toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("emulated")
                // reserved_host_counters: 2 is static-hpmn's default, so the column is its name alone.
                .contains(" static-hpmn\n")
                .doesNotContain("reserved_host_counters=2")
                .contains("guest.pmu_traps")
                .contains("host.event_coverage_pct")
                .contains("Cost-model estimates this result leans on");
    }

    @Test
    void trapsPrintsTheTrappedAccessesPerRegisterAfterTheTable() throws IOException {
        Result r = pmulab("run", small().toString(), "--traps");
        assertThat(r.status()).as(r.err()).isZero();
        String traps = r.out().substring(r.out().indexOf("Guest PMU traps by register"));
        String[] lines = traps.split("\n");
        assertThat(lines[1]).startsWith("register").contains("emulated").contains("static-hpmn");
        // Emulated: PMCR_EL0 traps (the guest's perf start/stop); partitioned: untrapped, but PMOVSCLR still traps.
        String pmcr = java.util.Arrays.stream(lines)
                .filter(l -> l.startsWith("PMCR_EL0 "))
                .findFirst()
                .orElseThrow();
        String[] pmcrCells = pmcr.trim().split("\\s+");
        assertThat(Long.parseLong(pmcrCells[1].replace(",", ""))).isGreaterThan(10);
        assertThat(Long.parseLong(pmcrCells[2].replace(",", ""))).isLessThanOrEqualTo(2);
        assertThat(traps).contains("PMOVSCLR_EL0").contains("\ntotal ");

        Result csv = pmulab("compare", small().toString(), "--format", "csv", "--traps");
        assertThat(csv.status()).isEqualTo(2);
        assertThat(csv.err()).contains("--traps").contains("--format=table");
        assertThat(csv.out()).isEmpty();
    }

    @Test
    void benchMeasuresEachPolicyAndTheParallelComparison() throws IOException {
        Result r = pmulab("bench", small().toString(), "--warmup", "1", "--repeat", "2");
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo("scenario small: 2 runs");
        // One line per policy: the events the run processed and the guest accesses behind them.
        assertThat(lines[1])
                .contains("emulated")
                .contains(" events ")
                .contains("M events/s")
                .contains("x real time")
                .contains("guest PMU accesses")
                .endsWith("(ok)");
        // The run's CPU time: this scenario's runs are far shorter than the process clock rates
        // (BenchCommandTest has the column's rules).
        assertThat(lines[1]).containsPattern("CPU < 0\\.1 s, not rated|[0-9.]+ s CPU +[0-9.]+ M/CPU s");
        assertThat(lines[2]).contains("static-hpmn(").endsWith("(ok)");
        long emulatedAccesses = Long.parseLong(
                lines[1].replaceAll(".* ([0-9,]+) guest PMU accesses.*", "$1").replace(",", ""));
        assertThat(emulatedAccesses).isPositive();
        assertThat(r.out()).contains("one at a time: ").contains("all at once on ");

        Result bad = pmulab("bench", small().toString(), "--warmup", "-1");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--warmup must be 0 or more");
        Result none = pmulab("bench", small().toString(), "--repeat", "0");
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("--repeat must be 1 or more");
    }

    @Test
    void sameScenarioAndSeedGiveTheSameBytes() throws IOException {
        Path s = small();
        Result a = pmulab("compare", s.toString(), "--format", "json");
        Result b = pmulab("compare", s.toString(), "--format", "json", "--jobs", "1");
        assertThat(a.status()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        Result c = pmulab("compare", s.toString(), "--format", "json", "--seed", "12");
        assertThat(c.out()).contains("\"seed\": 12").isNotEqualTo(a.out());
    }

    @Test
    void jsonHasTheDocumentedShape() throws IOException {
        Result r = pmulab("compare", small().toString(), "--format", "json");
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("scenario").asText()).isEqualTo("small");
        assertThat(root.get("seed").asLong()).isEqualTo(11);
        JsonNode run = root.get("runs").get(0);
        assertThat(run.get("policies").get("allocation").get("name").asText()).isEqualTo("emulated");
        assertThat(run.get("policies").get("selection").get("name").asText()).isEqualTo("none");
        assertThat(run.get("status").asText()).isEqualTo("ok");
        assertThat(run.get("error").isNull()).isTrue();
        for (Metric m : Metric.values()) {
            assertThat(run.get("metrics").has(m.key())).as(m.key()).isTrue();
        }
    }

    @Test
    void outWritesTheReportFile() throws IOException {
        Path out = dir.resolve("reports");
        Files.createDirectories(out);
        Result r = pmulab("compare", small().toString(), "--format", "html", "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        Path file = out.resolve("small-allocation.html");
        assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>").contains("<svg");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void malformedScenarioNamesFileLineAndColumnAndRunsNothing() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, SMALL.replace("vcpus: 2", "vcpus: 0"));
        Result r = pmulab("compare", bad.toString());
        assertThat(r.status()).isEqualTo(Pmulab.EXIT_BAD_INPUT);
        assertThat(r.err()).contains(bad + ":12:").contains("vms[0].vcpus");
        assertThat(r.out()).isEmpty();
        Result v = pmulab("validate", bad.toString());
        assertThat(v.status()).isEqualTo(Pmulab.EXIT_BAD_INPUT);
        assertThat(pmulab("validate", small().toString()).out()).contains("ok");
    }

    @Test
    void unknownPolicyListsTheKnownOnes() throws IOException {
        Result r = pmulab("compare", small().toString(), "--policies", "emulated,no-such-policy");
        assertThat(r.status()).isEqualTo(Pmulab.EXIT_BAD_INPUT);
        assertThat(r.err())
                .contains("unknown policy 'no-such-policy'")
                .contains("static-hpmn")
                .contains("trap-and-grow");
    }

    @Test
    void policiesListsEveryBuiltInWithSourceAndSettings() {
        Result r = pmulab("policies");
        assertThat(r.status()).isZero();
        assertThat(r.out())
                .contains("allocation policies:")
                .contains("emulated")
                .contains("static-hpmn")
                .contains("vcpu-load-resched")
                .contains("sysfs-writable")
                .contains("trap-and-grow")
                .contains("selection policies:")
                .contains("default-pmu")
                .contains("set-pmu")
                .contains("composite")
                .contains("filter policies:")
                .contains("event-filter")
                .contains("reserved_host_counters (integer, default")
                .contains("(module policy-static-hpmn");
    }

    @Test
    void everyExampleScenarioValidates() throws IOException {
        // The scenarios docs point users at must not rot: each one passes `pmulab validate`.
        Path examples = Path.of("../examples/scenarios");
        List<Path> files;
        try (var s = Files.list(examples)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            Result r = pmulab("validate", f.toString());
            assertThat(r.status()).as("%s: %s", f, r.err()).isZero();
            assertThat(r.out()).contains(": ok (");
        }
    }

    @Test
    void scenariosListsTheBuiltIns() {
        Result r = pmulab("scenarios");
        assertThat(r.out()).contains("flagship").contains("guest-perf-record").contains("windows-biglittle-migration");
    }

    @Test
    void aRunThatFailsMakesTheExitStatusNonZero() throws IOException {
        Path p = dir.resolve("nvhe.yaml");
        Files.writeString(p, SMALL.replace("firmware: acpi", "firmware: acpi\n  vhe: false"));
        Result r = pmulab("compare", p.toString());
        assertThat(r.out()).contains("FAILED").contains("VHE only");
        assertThat(r.status()).isEqualTo(1);
    }

    /** event-filter's host_pmuver went: the host view carries the PMU version. A scenario that sets it is refused. */
    @Test
    void aScenarioThatStillSetsHostPmuverIsRefusedWhereItSaysSo() throws IOException {
        Path p = dir.resolve("old.yaml");
        Files.writeString(p, SMALL + """
                  filter:
                    name: event-filter
                    settings: {preset: neighbour-safe, host_pmuver: v3}
                """);
        Result r = pmulab("validate", p.toString());
        assertThat(r.status()).isNotZero();
        // Line 19 is the settings line (SMALL has 17 lines, "filter:" and "name:" come first).
        assertThat(r.err())
                .contains("old.yaml:")
                .contains("unknown setting 'host_pmuver' for filter policy"
                        + " 'event-filter'; known settings: filters (string, default ): ");
    }
}
