package dev.pmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffCommandTest {
    @TempDir
    Path dir;

    private static String result(String pmuTraps, String overhead, String thirdRun) {
        return """
                {"format": "pmulab-compare/2", "pmulab_version": "0.1", "scenario": "s", "scenario_sha256": null,
                 "seed": 1, "runs": [
                  {"label": "emulated",
                   "policies": {"allocation": {"name": "emulated", "settings": {}, "label": "emulated"}},
                   "metrics": {"guest.pmu_traps": %s, "guest.pmu_overhead_pct": %s}},
                  {"label": "static-hpmn(reserved_host_counters=3)",
                   "policies": {"allocation": {"name": "static-hpmn", "settings": {"reserved_host_counters": 3},
                                "label": "static-hpmn(reserved_host_counters=3)"}},
                   "metrics": {"guest.pmu_traps": 10, "guest.pmu_overhead_pct": null}}%s
                 ]}
                """.formatted(pmuTraps, overhead, thirdRun);
    }

    private String[] run(String a, String b) throws Exception {
        Path fa = dir.resolve("a.json");
        Path fb = dir.resolve("b.json");
        Files.writeString(fa, a);
        Files.writeString(fb, b);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Pmulab.run(new PrintWriter(out), new PrintWriter(err), "diff", fa.toString(), fb.toString());
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    @Test
    void saysWhichMetricsChangedByHowMuchPerMatchedRunAndListsTheUnmatched() throws Exception {
        String other = """
                ,{"label": "static-hpmn(reserved_host_counters=4)",
                  "policies": {"allocation": {"name": "static-hpmn", "settings": {"reserved_host_counters": 4},
                               "label": "static-hpmn(reserved_host_counters=4)"}},
                  "metrics": {"guest.pmu_traps": 1, "guest.pmu_overhead_pct": 1}}""";
        String[] r = run(result("200", "1.5", ""), result("150", "1.5", other));
        assertThat(r[0]).isEqualTo("0");
        // 200 -> 150: -50, and -50 / 200 = -25 %.
        assertThat(r[1])
                .contains("emulated: 1 metric changed\n  guest.pmu_traps: 200 -> 150 (-50, -25.00%)\n")
                .contains("static-hpmn(reserved_host_counters=3): no metric changed\n")
                .contains("only in " + dir.resolve("b.json") + ": static-hpmn(reserved_host_counters=4)\n")
                .contains("1 of 2 matched runs changed; 0 only in");
    }

    @Test
    void aChangeFromZeroOrToNotApplicableHasNoRelativeChange() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        assertThat(DiffCommand.change(f.numberNode(0), f.numberNode(5))).isEqualTo("0 -> 5 (+5)");
        assertThat(DiffCommand.change(f.numberNode(2.5), f.nullNode())).isEqualTo("2.5 -> n/a");
        assertThat(DiffCommand.change(f.numberNode(0.5), f.numberNode(0.75))).isEqualTo("0.5 -> 0.75 (+0.25, +50.00%)");
    }

    @Test
    void badFilesAreNamedWithLineAndColumnForJsonSyntaxErrors() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\n  \"format\": \"pmulab-compare/2\",\n  \"runs\": [,]\n}\n");
        assertThatThrownBy(() -> DiffCommand.read(bad))
                .hasMessageStartingWith(bad + ":3:")
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> DiffCommand.read(dir.resolve("missing.json")))
                .hasMessage(dir.resolve("missing.json") + ": no such file");
        Path old = dir.resolve("old.json");
        Files.writeString(old, "{\"scenario\": \"s\", \"runs\": []}");
        assertThatThrownBy(() -> DiffCommand.read(old)).hasMessageContaining("not a result of pmulab compare");
        String[] r = run("[1]", result("1", "1", ""));
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("a.json: not a result of pmulab compare");
    }
}
