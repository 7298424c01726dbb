package dev.pmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SweepCommandTest {
    /** Two vCPUs profiling on a 4-CPU Neoverse N1 host (6 event counters) for 20 ms. */
    private static final String SMALL = """
            run: {duration: 20ms}
            host: {cpus: [{core: neoverse-n1, count: 4}], nmi_watchdog: true}
            vms:
              - name: vm0
                vcpus: 2
                pmu_usage: {kind: perf-record, scope: system, frequency: 1000, events: [cycles, instructions]}
                workload: cpu-bound
            """;

    private static final String SWEEP = """
            name: small-study
            scenarios: small.yaml
            policies: [static-hpmn, vcpu-load-resched]
            seeds: [1, 2]
            vary:
              "*.opt_in": [false]
              "*.reserved_host_counters": 0..N-4
            report:
              tradeoff: {x: host.event_coverage_pct, y: guest.pmu_overhead_pct}
            """;

    private static final List<String> OUTPUTS = List.of("points.jsonl", "results.csv", "results.jsonl", "report.html");

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {}

    private static Result pmulab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Pmulab.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    private Path sweepFile() throws IOException {
        Files.writeString(dir.resolve("small.yaml"), SMALL);
        Path s = dir.resolve("study.yaml");
        Files.writeString(s, SWEEP);
        return s;
    }

    @Test
    void threeShardsMergedAreTheUnshardedSweepByteForByte() throws IOException {
        Path s = sweepFile();
        Result whole =
                pmulab("sweep", s.toString(), "--out", dir.resolve("whole").toString(), "--jobs", "2");
        assertThat(whole.status()).as(whole.err()).isZero();
        for (int i = 0; i < 3; i++) {
            Result part = pmulab(
                    "sweep",
                    s.toString(),
                    "--shard",
                    i + "/3",
                    "--out",
                    dir.resolve("part" + i).toString(),
                    "--jobs",
                    "1");
            assertThat(part.status()).as(part.err()).isZero();
        }
        Result merged = pmulab(
                "merge",
                dir.resolve("part0").toString(),
                dir.resolve("part1").toString(),
                dir.resolve("part2").toString(),
                "--out",
                dir.resolve("merged").toString());
        assertThat(merged.status()).as(merged.err()).isZero();
        for (String f : OUTPUTS) {
            assertThat(Files.readString(dir.resolve("merged").resolve(f)))
                    .as(f)
                    .isEqualTo(Files.readString(dir.resolve("whole").resolve(f)));
        }
        // 0..N-4 on 6 counters: reservations 0, 1, 2; x 2 seeds = 6 points; x 2 policies.
        String csv = Files.readString(dir.resolve("whole").resolve("results.csv"));
        assertThat(csv.lines().findFirst().orElseThrow())
                .isEqualTo("point,scenario,seed,\"*.opt_in\",\"*.reserved_host_counters\",policy,metric,value,failure");
        assertThat(csv.lines().filter(l -> l.contains(",guest.pmu_overhead_pct,")))
                .hasSize(12);
        assertThat(csv).contains("\n5,small,2,false,2,vcpu-load-resched,guest.pmu_traps,");
        assertThat(Files.readString(dir.resolve("whole").resolve("report.html")))
                .contains("<svg")
                .contains("Trade-off: guest.pmu_overhead_pct against host.event_coverage_pct")
                .doesNotContain("<script")
                .doesNotContain("http://cdn");
    }

    @Test
    void runsSpreadOverTheJobsGiveTheOneJobSweepsBytesAndOneLinePerPoint() throws IOException {
        // The sweep schedules runs, not points: at --jobs 4 a point's two policies run at once and
        // the point is logged when the later one ends. 2 seeds x 3 reservations (0..N-4 = 0..2)
        // = 6 points, 12 runs.
        Path s = sweepFile();
        Result one = pmulab("sweep", s.toString(), "--out", dir.resolve("one").toString(), "--jobs", "1");
        assertThat(one.status()).as(one.err()).isZero();
        Result four = pmulab(
                "sweep", s.toString(), "--out", dir.resolve("four").toString(), "--jobs", "4", "--workers", "none");
        assertThat(four.status()).as(four.err()).isZero();
        for (String f : OUTPUTS) {
            assertThat(Files.readString(dir.resolve("four").resolve(f)))
                    .as(f)
                    .isEqualTo(Files.readString(dir.resolve("one").resolve(f)));
        }
        for (int point = 0; point < 6; point++) {
            assertThat(four.err()).containsOnlyOnce("] point " + point + " ");
        }
        assertThat(four.err()).contains("[6/6] point ").doesNotContain("[7/");
    }

    @Test
    void aSweepRunAgainResumesAndSkipsTheFinishedPoints() throws IOException {
        Path s = sweepFile();
        Path out = dir.resolve("out");
        Result first = pmulab("sweep", s.toString(), "--out", out.toString(), "--shard", "0/2");
        assertThat(first.status()).as(first.err()).isZero();
        // A sweep killed mid-line: the cut-short line is dropped and that point runs again.
        Path log = out.resolve("points.jsonl");
        List<String> lines = Files.readAllLines(log);
        Files.writeString(
                log,
                String.join("\n", lines.subList(0, lines.size() - 1)) + "\n"
                        + lines.get(lines.size() - 1).substring(0, 40));
        Result again = pmulab("sweep", s.toString(), "--out", out.toString(), "--shard", "0/2");
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.err()).contains("2 done before, 1 to run");
        assertThat(Files.readAllLines(log)).hasSize(lines.size());
    }

    @Test
    void anOutputOfAnotherSweepIsRefused() throws IOException {
        Path s = sweepFile();
        Path out = dir.resolve("out");
        assertThat(pmulab("sweep", s.toString(), "--out", out.toString(), "--shard", "1/2")
                        .status())
                .isZero();
        Result other = pmulab("sweep", s.toString(), "--out", out.toString(), "--shard", "0/2");
        assertThat(other.status()).isEqualTo(Pmulab.EXIT_BAD_INPUT);
        assertThat(other.err()).contains("holds sweep small-study").contains("shard 1/2, not this one");
    }

    @Test
    void aBadVaryValueNamesTheArgumentAndColumnWithTheScenarioReadersMessage() {
        Result r = pmulab(
                "sweep",
                "--vary",
                "scenario=no-host-events",
                "--vary",
                "vms[0].vcpus=2,lots",
                "--out",
                dir.resolve("x").toString());
        assertThat(r.status()).isEqualTo(Pmulab.EXIT_BAD_INPUT);
        // "vms[0].vcpus=2,lots": lots starts at column 16 of the argument.
        assertThat(r.err()).contains("--vary 2:1:16: vms[0].vcpus: expected a whole number, got 'lots'");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void mergeRefusesPartsOfDifferentSweepsAndNamesMissingPoints() throws IOException {
        Path s = sweepFile();
        assertThat(pmulab("sweep", s.toString(), "--out", dir.resolve("p0").toString(), "--shard", "0/2")
                        .status())
                .isZero();
        Result missing = pmulab(
                "merge", dir.resolve("p0").toString(), "--out", dir.resolve("m").toString());
        assertThat(missing.status()).isEqualTo(Pmulab.EXIT_BAD_INPUT);
        assertThat(missing.err()).contains("3 of the sweep's 6 points are in no part (points 1, 3, 5)");
    }
}
