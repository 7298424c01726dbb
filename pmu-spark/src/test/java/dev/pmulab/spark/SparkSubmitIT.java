package dev.pmulab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.testing.PluginJarBuilder;
import dev.pmulab.cli.Pmulab;
import dev.pmulab.sim.sweep.SweepOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * pmu-spark.jar as a user runs it: {@code spark-submit --class dev.pmulab.spark.SparkSweep
 * pmu-spark.jar ...}, here through spark-submit's own entry point in a new JVM whose class path is
 * Spark's jars only (the provided scope), with the JVM options spark-submit's launcher adds. Runs
 * in the integration-test phase, after package has built the jar (the pom's spark-submit-it
 * execution sets the property), never in the test phase.
 */
@EnabledIfSystemProperty(named = "pmulab.sparkSubmitIT", matches = "true")
class SparkSubmitIT {
    @TempDir
    Path tmp;

    record Exit(int status, String stdout, String stderr) {}

    static Exit sparkSubmit(Path workDir, String... jobArgs) throws IOException, InterruptedException {
        return sparkSubmit(workDir, List.of(), jobArgs);
    }

    /** spark-submit with {@code submitOptions} before the jar and {@code jobArgs} after it. */
    static Exit sparkSubmit(Path workDir, List<String> submitOptions, String... jobArgs)
            throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("pmulab.sparkJar"));
        String sparkClasspath = Files.readString(Path.of(System.getProperty("pmulab.sparkClasspath")))
                .trim();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
        cmd.add("-cp");
        cmd.add(sparkClasspath);
        cmd.add("org.apache.spark.deploy.SparkSubmit");
        cmd.addAll(List.of(
                "--master",
                "local[2]",
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.driver.bindAddress=127.0.0.1",
                "--class",
                SparkSweep.class.getName()));
        cmd.addAll(submitOptions);
        cmd.add(jar.toString());
        cmd.addAll(List.of(jobArgs));
        Path stdout = workDir.resolve("stdout.txt");
        Path stderr = workDir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // Spark binds to this machine's address unless told the loopback one.
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.directory(workDir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("spark-submit did not finish in 5 minutes");
        }
        return new Exit(
                p.exitValue(),
                Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /**
     * The built jar through spark-submit, with a built-in policy and two plugin policies, one
     * given with --jars and one in a plugin directory, against {@code pmulab sweep} with both in
     * plugin directories. The tidy tables are the same bytes (points.jsonl and the report also
     * show the sweep's hash, which covers the plugin directories, so they differ there).
     */
    @Test
    void theJarRunsASweepWithPluginPoliciesAsPmulabSweepDoes() throws Exception {
        Path jarDir = Files.createDirectories(tmp.resolve("jar-plugins"));
        Path dirPlugins = Files.createDirectories(tmp.resolve("dir-plugins"));
        PluginJarBuilder.pack(
                jarDir.resolve("by-jars.jar"),
                PluginJarBuilder.compile(tmp, PluginJarBuilder.minimalAllocationPlugin("test.byjars", "by-jars")),
                "",
                "test.byjars.Descriptor\n");
        PluginJarBuilder.pack(
                dirPlugins.resolve("by-dir.jar"),
                PluginJarBuilder.compile(tmp, PluginJarBuilder.minimalAllocationPlugin("test.bydir", "by-dir")),
                "",
                "test.bydir.Descriptor\n");
        Files.writeString(tmp.resolve("small.yaml"), SparkSweepTest.SMALL);
        // 2 HPMN values x 2 seeds = 4 points of 3 runs.
        Files.writeString(tmp.resolve("sweep.yaml"), """
                name: spark-submit
                scenarios: small.yaml
                policies: [static-hpmn, by-jars, by-dir]
                seeds: 1..2
                vary:
                  by-jars.hpmn: [1, 3]
                  by-dir.hpmn: [4]
                """);
        StringWriter err = new StringWriter();
        int local = Pmulab.run(
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true),
                "sweep",
                tmp.resolve("sweep.yaml").toString(),
                "--out",
                tmp.resolve("local").toString(),
                "--plugin-path",
                dirPlugins.toString(),
                "--plugin-path",
                jarDir.toString(),
                "--workers",
                "none");
        assertThat(local).as(err.toString()).isZero();

        Exit e = sparkSubmit(
                tmp,
                List.of("--jars", jarDir.resolve("by-jars.jar").toString()),
                tmp.resolve("sweep.yaml").toString(),
                "--out",
                "spark",
                "--plugin-path",
                dirPlugins.toString());

        assertThat(e.status()).as(e.stderr()).isZero();
        assertThat(e.stderr()).contains("pmulab-spark: ran 4 points in ");
        for (String file : List.of(SweepOutput.CSV, SweepOutput.JSONL)) {
            assertThat(tmp.resolve("spark").resolve(file))
                    .as(file)
                    .hasSameBinaryContentAs(tmp.resolve("local").resolve(file));
        }
        String csv = Files.readString(tmp.resolve("spark").resolve(SweepOutput.CSV));
        assertThat(csv).contains(",by-jars,guest.pmu_traps,").contains(",by-dir,guest.pmu_traps,");
        assertThat(csv.lines().filter(l -> l.endsWith(",")).count())
                .as("rows without a failure")
                .isEqualTo(csv.lines().count() - 1);
    }

    @Test
    void aMissingOutDirectoryIsAUsageErrorWithStatusTwo() throws Exception {
        Files.writeString(tmp.resolve("sweep.yaml"), "name: x\n");

        Exit e = sparkSubmit(tmp, "sweep.yaml");

        assertThat(e.status()).as(e.stderr()).isEqualTo(2);
        assertThat(e.stderr()).contains("pmulab-spark: --out DIR is required\n" + SparkSweep.USAGE);
    }
}
