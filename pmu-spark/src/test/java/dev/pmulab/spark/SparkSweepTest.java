package dev.pmulab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.cli.Pmulab;
import dev.pmulab.sim.sweep.SweepOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job on Spark local[2] against {@code pmulab sweep --jobs 2} on the same sweep. */
class SparkSweepTest {
    /** Two vCPUs profiling on a 4-CPU Neoverse N1 host (6 counters) for 20 ms. */
    static final String SMALL = """
            run: {duration: 20ms}
            host: {cpus: [{core: neoverse-n1, count: 4}]}
            vms:
              - name: vm0
                vcpus: 2
                pmu_usage: {kind: perf-record, scope: system, frequency: 1000, events: [cycles, instructions]}
                workload: cpu-bound
            """;

    /** 2 reservations x 2 frequencies x 2 seeds = 8 points, each comparing 2 policies. */
    static final String SWEEP = """
            name: spark-small
            description: the Spark job against pmulab sweep
            scenarios: small.yaml
            policies: [emulated, static-hpmn]
            seeds: 1..2
            vary:
              static-hpmn.reserved_host_counters: [1, 3]
              vms[0].pmu_usage.frequency: [1000, 4000]
            """;

    private static JavaSparkContext spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("SparkSweepTest");
    }

    @AfterAll
    static void stopSpark() {
        spark.close();
    }

    private record Ran(int status, String err) {}

    private Ran spark(String sweep, Path out) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = SparkSweep.run(spark, new CoreSweepOps(List.of()), sweep, out, err);
        }
        return new Ran(status, bytes.toString(StandardCharsets.UTF_8));
    }

    private static Ran pmulab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Pmulab.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Ran(status, err.toString());
    }

    @Test
    void theOutputIsPmulabSweepsByteForByte() throws IOException {
        Files.writeString(tmp.resolve("small.yaml"), SMALL);
        String sweep = Files.writeString(tmp.resolve("sweep.yaml"), SWEEP).toString();
        Path local = tmp.resolve("local");
        Path onSpark = tmp.resolve("spark");

        Ran l = pmulab("sweep", sweep, "--out", local.toString(), "--jobs", "2");
        Ran s = spark(sweep, onSpark);

        assertThat(l.status()).as(l.err()).isZero();
        assertThat(s.status()).as(s.err()).isZero();
        assertThat(s.err()).contains("pmulab-spark: ran 8 points in ").contains("pmulab-spark: wrote " + onSpark);
        for (String file : List.of(SweepOutput.POINTS, SweepOutput.CSV, SweepOutput.JSONL, SweepOutput.HTML)) {
            assertThat(onSpark.resolve(file)).as(file).hasSameBinaryContentAs(local.resolve(file));
        }
        // Every point is there, in plan order: a header, then points 0 to 7.
        List<String> log = Files.readAllLines(onSpark.resolve(SweepOutput.POINTS));
        assertThat(log).hasSize(9);
        for (int i = 0; i < 8; i++) {
            assertThat(log.get(i + 1)).contains("\"point\":" + i + ",");
        }
        // 8 points x 2 policies, each with its metrics: far more rows than points.
        assertThat(Files.readAllLines(onSpark.resolve(SweepOutput.CSV)).size()).isGreaterThan(16);
    }

    @Test
    void aBadSweepIsRefusedWithItsPositionAndNothingRuns() throws IOException {
        Files.writeString(tmp.resolve("small.yaml"), SMALL);
        String sweep = Files.writeString(tmp.resolve("sweep.yaml"), SWEEP.replace("frequency:", "frequncy:"))
                .toString();
        Path out = tmp.resolve("out");

        Ran s = spark(sweep, out);

        assertThat(s.status()).isEqualTo(2);
        assertThat(s.err()).startsWith("pmulab-spark: " + sweep + ":8:3: vms[0].pmu_usage.frequncy: unknown field");
        assertThat(out).doesNotExist();
    }

    @Test
    void aMissingSweepFileIsBadInput() {
        Ran s = spark(tmp.resolve("nope").toString(), tmp.resolve("out"));
        Ran yaml = spark(tmp.resolve("nope.yaml").toString(), tmp.resolve("out"));

        assertThat(s.status()).isEqualTo(2);
        assertThat(s.err()).startsWith("pmulab-spark: no sweep file or built-in study '" + tmp.resolve("nope") + "'");
        assertThat(yaml.status()).isEqualTo(2);
        assertThat(yaml.err()).startsWith("pmulab-spark: " + tmp.resolve("nope.yaml"));
        assertThat(tmp.resolve("out")).doesNotExist();
    }
}
