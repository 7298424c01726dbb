package dev.pmulab.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's plumbing on Spark in local[2], with a sweep whose points are the words of the
 * specification's text: order, failures, where the points run. The sweep core's own rows are
 * checked against {@code pmulab sweep} in SparkSweepTest.
 */
class SparkSweepJobTest {
    private static JavaSparkContext spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start("SparkSweepJobTest");
    }

    @AfterAll
    static void stopSpark() {
        spark.close();
    }

    /**
     * The sweep file holds words; each is a point, whose result is {@code word <thread>}. "slow"
     * sleeps first, "boom" throws, and a "?" anywhere is a bad sweep. write() puts
     * {@code index result} lines into rows.txt in the order given.
     */
    record WordOps() implements SweepOps<String, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public Planned<String, String> plan(String sweep) throws IOException {
            Path sweepFile = Path.of(sweep);
            String text = Files.readString(sweepFile, StandardCharsets.UTF_8);
            if (text.contains("?")) {
                throw new IllegalArgumentException(sweepFile.getFileName() + ":1:1: no question marks");
            }
            List<String> words =
                    text.isBlank() ? List.of() : Arrays.asList(text.trim().split(" "));
            return new Planned<>() {
                @Override
                public List<String> points() {
                    return words;
                }

                @Override
                public int write(List<String> results, Path out) throws IOException {
                    Files.createDirectories(out);
                    StringBuilder rows = new StringBuilder();
                    for (int i = 0; i < results.size(); i++) {
                        rows.append(i).append(' ').append(results.get(i)).append('\n');
                    }
                    Files.writeString(out.resolve("rows.txt"), rows, StandardCharsets.UTF_8);
                    return 0;
                }
            };
        }

        @Override
        public String run(String word) throws InterruptedException {
            if (word.equals("boom")) {
                throw new IllegalStateException("boom here");
            }
            if (word.equals("slow")) {
                Thread.sleep(400);
            }
            return word + " " + Thread.currentThread().getName();
        }
    }

    private String sweep(String words) throws IOException {
        return Files.writeString(tmp.resolve("s.yaml"), words, StandardCharsets.UTF_8)
                .toString();
    }

    private List<String> rows(Path out) throws IOException {
        return Files.readAllLines(out.resolve("rows.txt"));
    }

    @Test
    void rowsAreWrittenInPlanOrderWhateverOrderThePointsFinishIn() throws IOException {
        // Point 0 sleeps 400 ms, so with two executor threads points 1..5 finish before it.
        Path out = tmp.resolve("out");
        SparkSweepJob.Result<String> r = new SparkSweepJob<>(spark, new WordOps()).run(sweep("slow a b c d e"), out);

        assertThat(r.failures()).isEmpty();
        assertThat(r.outcomes()).extracting(o -> o.index()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(rows(out))
                .extracting(line -> line.split(" ")[0] + " " + line.split(" ")[1])
                .containsExactly("0 slow", "1 a", "2 b", "3 c", "4 d", "5 e");
    }

    @Test
    void pointsRunInSparkTasksNotOnTheDriver() throws IOException {
        Path out = tmp.resolve("out");
        new SparkSweepJob<>(spark, new WordOps()).run(sweep("a b c"), out);

        // Local mode's executor threads are "Executor task launch worker for task N ...": the
        // point ran in a task, so the ops and the specification went through Spark's serializer.
        assertThat(rows(out)).allSatisfy(line -> assertThat(line).contains("Executor task launch worker"));
    }

    @Test
    void failedPointsAreNamedInPlanOrderAndNothingIsWritten() throws IOException {
        Path out = tmp.resolve("out");
        SparkSweepJob.Result<String> r = new SparkSweepJob<>(spark, new WordOps()).run(sweep("a boom b boom"), out);

        assertThat(r.failures())
                .extracting(o -> o.index(), o -> o.failure())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "boom here"),
                        org.assertj.core.groups.Tuple.tuple(3, "boom here"));
        assertThat(r.outcomes()).hasSize(4);
        assertThat(out).doesNotExist();
    }

    @Test
    void aSweepWithNoPointsWritesAnEmptyOutput() throws IOException {
        Path out = tmp.resolve("out");
        SparkSweepJob.Result<String> r = new SparkSweepJob<>(spark, new WordOps()).run(sweep(""), out);

        assertThat(r.outcomes()).isEmpty();
        assertThat(rows(out)).isEmpty();
    }

    @Test
    void aBadSpecificationFailsBeforeAnyTaskRuns() {
        long jobsBefore = spark.sc().statusTracker().getJobIdsForGroup(null).length;
        Path out = tmp.resolve("out");

        assertThatThrownBy(() -> new SparkSweepJob<>(spark, new WordOps()).run(sweep("a ? b"), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("s.yaml:1:1: no question marks");
        assertThat(spark.sc().statusTracker().getJobIdsForGroup(null)).hasSize((int) jobsBefore);
        assertThat(out).doesNotExist();
    }

    @Test
    void exitStatusIsOneAndEachFailedPointIsReported() throws IOException {
        Path out = tmp.resolve("out");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int status;
        try (java.io.PrintStream err = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = SparkSweep.run(spark, new WordOps(), sweep("a boom"), out, err);
        }

        assertThat(status).isEqualTo(1);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .startsWith("pmulab-spark: ran 2 points in ")
                .endsWith(" s\npmulab-spark: point 1: boom here\n"
                        + "pmulab-spark: 1 of 2 points failed; nothing written to " + out + "\n");
    }
}
