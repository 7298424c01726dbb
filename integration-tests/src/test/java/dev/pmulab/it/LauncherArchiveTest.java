package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./pmulab} launcher's class-data sharing archive (docs/architecture.md, "Start-up and
 * the launcher"): made by the first successful launch with a jar, under its name only when whole,
 * used by the launches after, made again when the jar is newer, and never when PMULAB_CDS=0; on a
 * JDK 25 or later (when one is installed) an AOT cache instead, made and used the same way. The
 * launcher is copied into a directory of its own with this reactor's jar, and no sources beside it,
 * so it never builds.
 */
final class LauncherArchiveTest {
    @TempDir
    Path dir;

    private Path launcher;
    private Path jar;
    private Path archive;

    private record Launch(int status, String out, String err) {}

    @BeforeEach
    void install() throws IOException {
        Path root = DocBlocks.root();
        Path target = Files.createDirectories(dir.resolve("pmu-cli/target"));
        jar = target.resolve("pmulab.jar");
        Files.copy(root.resolve("pmu-cli/target/pmulab.jar"), jar);
        // The copy's time is now: set it back, so a jar "newer than the archive" below is a real change.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        launcher = dir.resolve("pmulab");
        Files.copy(root.resolve("pmulab"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        archive = target.resolve("pmulab.jsa");
    }

    private Launch launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        // The launcher runs PMULAB_JAVA, else JAVA_HOME's java, else the java on PATH: this JVM's
        // unless a test names another, so the archive matches the JDK under test.
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("PMULAB_JAVA");
        pb.environment().remove("PMULAB_CDS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Launch l = new Launch(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return l;
    }

    private Launch launch(String... args) throws IOException, InterruptedException {
        return launch(Map.of(), args);
    }

    /** What the jar prints without the launcher. */
    private String plain(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** Files beside the jar whose name starts with the archive's: the archive and any temporary one. */
    private List<String> archiveFiles() throws IOException {
        return filesStartingWith("pmulab.jsa");
    }

    private List<String> filesStartingWith(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(jar.getParent())) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(prefix))
                    .sorted()
                    .toList();
        }
    }

    /**
     * A java of JDK 25 or later installed beside this one (under /usr/lib/jvm, as Debian and the
     * Temurin packages install them), or empty: the AOT cache's tests then have nothing to run.
     */
    private static Optional<Path> jdk25OrLater() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        Pattern version = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")))
                    .filter(h -> {
                        try {
                            Matcher m = version.matcher(Files.readString(h.resolve("release")));
                            return m.find() && Integer.parseInt(m.group(1)) >= 25;
                        } catch (IOException e) {
                            return false; // no release file: not a JDK whose version we can tell
                        }
                    })
                    .sorted()
                    .map(h -> h.resolve("bin/java"))
                    .findFirst();
        }
    }

    @Test
    void theFirstLaunchMakesTheArchiveAndTheNextOnesUseIt() throws Exception {
        String expected = plain("scenarios");

        Launch first = launch("scenarios");
        assertThat(first.status()).as(first.err()).isZero();
        // The dump's notes about classes it skips stay off stdout (and out of stderr).
        assertThat(first.out()).isEqualTo(expected);
        assertThat(first.err()).isEmpty();
        assertThat(archiveFiles()).containsExactly("pmulab.jsa");
        FileTime made = Files.getLastModifiedTime(archive);
        long size = Files.size(archive);

        // -Xshare:on makes the JVM fail rather than start without the archive: exit 0 says it mapped.
        Launch second = launch(Map.of("JAVA_TOOL_OPTIONS", "-Xshare:on"), "scenarios");
        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo(expected);
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
        assertThat(Files.size(archive)).isEqualTo(size);
    }

    @Test
    void aNewerJarGetsANewArchive() throws Exception {
        assertThat(launch("scenarios").status()).isZero();
        // A rebuilt jar: newer than the archive (the archive set back, rather than the jar into the future).
        Files.setLastModifiedTime(
                archive, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 10_000));

        Launch again = launch("scenarios");
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(archiveFiles()).containsExactly("pmulab.jsa");
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(Files.getLastModifiedTime(jar));
        Launch mapped = launch(Map.of("JAVA_TOOL_OPTIONS", "-Xshare:on"), "scenarios");
        assertThat(mapped.status()).as(mapped.err()).isZero();
    }

    @Test
    void aFailedCommandLeavesNoArchiveAndNoHalfWrittenFile() throws Exception {
        Launch bad = launch("compare", "no-such-scenario");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("no-such-scenario");
        assertThat(archiveFiles()).isEmpty();
    }

    @Test
    void pmulabCdsZeroMakesNoArchive() throws Exception {
        Launch l = launch(Map.of("PMULAB_CDS", "0"), "scenarios");
        assertThat(l.status()).isZero();
        assertThat(l.out()).isEqualTo(plain("scenarios"));
        assertThat(archiveFiles()).isEmpty();
    }

    @Test
    void onJdk25TheFirstLaunchMakesAnAotCacheAndTheNextOnesUseIt() throws Exception {
        Optional<Path> java25 = jdk25OrLater();
        assumeTrue(java25.isPresent(), "no JDK 25 or later under /usr/lib/jvm");
        Map<String, String> env = Map.of("PMULAB_JAVA", java25.get().toString());
        String expected = plain("scenarios");

        Launch first = launch(env, "scenarios");
        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(expected);
        // The recording JVM's one line at exit goes to stderr; no log notes, no Unsafe warnings.
        assertThat(first.err().lines()).allMatch(l -> l.matches(" ?AOTConfiguration recorded: .*\\.conf"));
        // The cache alone: the recorded configuration and the temporary cache are gone.
        assertThat(filesStartingWith("pmulab.aot")).containsExactly("pmulab.aot");
        assertThat(archiveFiles()).isEmpty();
        FileTime made = Files.getLastModifiedTime(jar.resolveSibling("pmulab.aot"));

        // -XX:AOTMode=on makes the JVM fail rather than start without the cache: exit 0 says it mapped.
        Launch second = launch(
                Map.of("PMULAB_JAVA", java25.get().toString(), "JAVA_TOOL_OPTIONS", "-XX:AOTMode=on"), "scenarios");
        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo(expected);
        assertThat(second.err()).doesNotContain("WARNING");
        assertThat(Files.getLastModifiedTime(jar.resolveSibling("pmulab.aot"))).isEqualTo(made);
    }

    @Test
    void onJdk25AFailedCommandLeavesNoCacheAndNoRecord() throws Exception {
        Optional<Path> java25 = jdk25OrLater();
        assumeTrue(java25.isPresent(), "no JDK 25 or later under /usr/lib/jvm");
        Launch bad = launch(Map.of("PMULAB_JAVA", java25.get().toString()), "compare", "no-such-scenario");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("no-such-scenario");
        assertThat(filesStartingWith("pmulab.aot")).isEmpty();
    }

    @Test
    void aJavaThatIsNotThereIsRefusedByTheVariableThatNamedIt() throws Exception {
        Path missing = dir.resolve("no-jdk/bin/java");
        Launch l = launch(Map.of("PMULAB_JAVA", missing.toString()), "scenarios");
        assertThat(l.status()).isEqualTo(2);
        assertThat(l.out()).isEmpty();
        assertThat(l.err()).contains("PMULAB_JAVA").contains(missing.toString());
        assertThat(archiveFiles()).isEmpty();

        Launch home = launch(Map.of("JAVA_HOME", dir.resolve("no-jdk").toString()), "scenarios");
        assertThat(home.status()).isEqualTo(2);
        assertThat(home.err()).contains("JAVA_HOME").contains(missing.toString());
    }
}
