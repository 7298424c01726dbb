package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plugins/} is found beside the pmulab installation as well as in the working directory:
 * beside the launcher (which passes its directory as {@code pmulab.home}) and beside the runnable
 * jar, from a working directory that has no plugins/ of its own.
 */
final class PluginsBesideInstallationTest {
    @TempDir
    Path dir;

    private String policies(Path cwd, String... javaArgs) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(javaArgs));
        cmd.add("policies");
        Process p = new ProcessBuilder(cmd)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void theLaunchersAndTheJarsDirectoryHoldPlugins() throws Exception {
        Path jar = DocBlocks.root().resolve("pmu-cli/target/pmulab.jar");
        assertThat(jar).isRegularFile();
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));

        Path home = Files.createDirectories(dir.resolve("home/plugins"));
        Files.copy(ExamplePlugin.pluginDirectory().resolve(ExamplePlugin.JAR), home.resolve(ExamplePlugin.JAR));
        assertThat(policies(elsewhere, "-Dpmulab.home=" + home.getParent(), "-jar", jar.toString()))
                .contains("opt-in-reservation  (jar " + home.resolve(ExamplePlugin.JAR));
        assertThat(policies(elsewhere, "-jar", jar.toString())).doesNotContain("opt-in-reservation");

        Path install = Files.createDirectories(dir.resolve("install/plugins")).getParent();
        Files.copy(jar, install.resolve("pmulab.jar"));
        Files.copy(
                ExamplePlugin.pluginDirectory().resolve(ExamplePlugin.JAR),
                install.resolve("plugins/" + ExamplePlugin.JAR));
        assertThat(policies(elsewhere, "-jar", install.resolve("pmulab.jar").toString()))
                .contains("opt-in-reservation  (jar " + install.resolve("plugins/" + ExamplePlugin.JAR));
        // Run from the installation itself, ./plugins and the jar's plugins/ are one directory, listed once.
        assertThat(policies(install, "-jar", install.resolve("pmulab.jar").toString()))
                .containsOnlyOnce("opt-in-reservation  (jar");
    }
}
