package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.it.DocBlocks.Block;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/writing-a-policy.md followed literally from an empty directory: its shell blocks run in
 * order in bash, its {@code pom.xml} and its four classes are written where the page says, and
 * Maven builds the policy and runs its contract test; then pmulab lists the jar from
 * {@code plugins/} and compares it beside the built-ins.
 *
 * <p>Two things stand in for the reader's machine. pmulab is not installed into {@code ~/.m2} (a
 * shared machine's, and a CI cache's, must not change under a test): the page's
 * {@code mvn -B install -DskipTests} is answered by putting this reactor's artifacts (its jars,
 * already packaged by the modules before this one, and this module's test classes as the kit's
 * test-jar) into a private local repository under the test's directory, whose other entries link
 * to {@code ~/.m2}'s, and every other {@code mvn} of the walk runs offline against it. And
 * {@code "$PMULAB"/pmulab} is a launcher for this reactor's {@code pmu-cli/target/pmulab.jar}.
 */
final class DocsWalkTest {
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern TYPE =
            Pattern.compile("^(?:public )?(?:final )?(?:class|record|interface|enum) (\\w+)", Pattern.MULTILINE);
    private static final List<String> JAR_MODULES = List.of(
            "pmu-api",
            "pmu-hw",
            "pmu-kvm",
            "pmu-sim",
            "pmu-cli",
            "policy-static-hpmn",
            "policy-dynamic-hpmn",
            "policy-composite",
            "policy-filter");

    @TempDir
    Path work;

    /** Where a compilation unit goes under its source root: its package's path and its type's name. */
    static String sourcePath(String unit) {
        Matcher p = PACKAGE.matcher(unit);
        Matcher t = TYPE.matcher(unit);
        if (!p.find() || !t.find()) {
            throw new IllegalArgumentException(
                    "not a compilation unit with a type: " + unit.lines().findFirst());
        }
        return p.group(1).replace('.', '/') + "/" + t.group(1) + ".java";
    }

    @Test
    void writingAPolicyWorksFollowedLiterallyFromAnEmptyDirectory() throws Exception {
        Path root = DocBlocks.root();
        List<Block> blocks = DocBlocks.of(root.resolve("docs/writing-a-policy.md"));
        List<Block> sh = blocks.stream().filter(b -> b.lang().equals("sh")).toList();
        assertThat(sh)
                .as("the walk's shell blocks: make the project, install pmulab, build and compare")
                .hasSize(3);

        String version = version(root);
        Path repo = privateRepository(root, version);
        Path install = launcher(root);
        Path bin = mvnWrapper(repo, install);

        Path start = Files.createDirectories(work.resolve("empty"));
        Run made = bash(sh.get(0).text(), start, bin, install);
        assertThat(made.status()).as(made.out()).isZero();
        Path project = start.resolve("opt-in-reservation");
        assertThat(project.resolve("src/main/java/com/example/optin")).isDirectory();

        // "write this pom.xml"; "the three classes go to src/main/java/..., the test to src/test/java/...".
        Files.writeString(
                project.resolve("pom.xml"),
                blocks.stream()
                        .filter(b -> b.lang().equals("xml"))
                        .findFirst()
                        .orElseThrow()
                        .text());
        for (Block b : blocks) {
            if (b.lang().equals("java") && b.text().startsWith("package ")) {
                String rootDir = b.text().contains("implements PolicyContract") ? "src/test/java" : "src/main/java";
                Path f = project.resolve(rootDir).resolve(sourcePath(b.text()));
                assertThat(f.getParent()).as("made by the first block").isDirectory();
                Files.writeString(f, b.text());
            }
        }

        Run built = bash(sh.get(1).text() + "\n" + sh.get(2).text(), project, bin, install);
        assertThat(built.status()).as(built.out()).isZero();
        assertThat(project.resolve("target/opt-in-reservation-1.0.jar")).isRegularFile();
        assertThat(project.resolve("plugins/opt-in-reservation-1.0.jar")).isRegularFile();
        assertThat(built.out())
                .contains("Tests run:")
                .contains("opt-in-reservation  (jar plugins/opt-in-reservation-1.0.jar")
                .containsPattern("(?s)pmulab compare: guest-perf-record.*opt-in-reservation.*guest\\.pmu_traps");
    }

    private record Run(int status, String out) {}

    private Run bash(String script, Path cwd, Path bin, Path install) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-c", script).directory(cwd.toFile());
        Map<String, String> env = pb.environment();
        env.put("PATH", bin + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("PMULAB", install.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the walk took over 5 minutes:\n" + out);
        }
        return new Run(p.exitValue(), out);
    }

    private static String version(Path root) throws IOException {
        Matcher m = Pattern.compile("<artifactId>pmulab-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(root.resolve("pom.xml")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /**
     * A local repository holding this reactor's artifacts as {@code mvn install} would put them,
     * and links to every other group of {@code ~/.m2/repository} (read only: the walk runs offline).
     */
    private Path privateRepository(Path root, String version) throws IOException {
        Path repo = Files.createDirectories(work.resolve("m2"));
        Path home =
                Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        try (Stream<Path> top = Files.list(home)) {
            for (Path p : top.toList()) {
                if (!p.getFileName().toString().equals("dev")) {
                    Files.createSymbolicLink(repo.resolve(p.getFileName().toString()), p);
                }
            }
        }
        Path dev = Files.createDirectories(repo.resolve("dev"));
        if (Files.isDirectory(home.resolve("dev"))) {
            try (Stream<Path> groups = Files.list(home.resolve("dev"))) {
                for (Path p : groups.toList()) {
                    if (!p.getFileName().toString().equals("pmulab")) {
                        Files.createSymbolicLink(dev.resolve(p.getFileName().toString()), p);
                    }
                }
            }
        }
        Path ours = Files.createDirectories(dev.resolve("pmulab"));
        put(ours, "pmulab-parent", version, root.resolve("pom.xml"), null, null);
        put(ours, "policy-parent", version, root.resolve("policy-parent/pom.xml"), null, null);
        for (String m : JAR_MODULES) {
            Path jar = root.resolve(m + "/target/" + m + "-" + version + ".jar");
            assertThat(jar)
                    .as("packaged by the reactor before integration-tests")
                    .isRegularFile();
            put(ours, m, version, root.resolve(m + "/pom.xml"), jar, null);
        }
        Path kit = work.resolve("integration-tests-" + version + "-tests.jar");
        jar(root.resolve("integration-tests/target/test-classes"), kit);
        put(ours, "integration-tests", version, root.resolve("integration-tests/pom.xml"), null, kit);
        return repo;
    }

    private static void put(Path group, String artifact, String version, Path pom, Path jar, Path testJar)
            throws IOException {
        Path d = Files.createDirectories(group.resolve(artifact).resolve(version));
        Files.copy(pom, d.resolve(artifact + "-" + version + ".pom"));
        if (jar != null) {
            Files.copy(jar, d.resolve(artifact + "-" + version + ".jar"));
        }
        if (testJar != null) {
            Files.copy(testJar, d.resolve(artifact + "-" + version + "-tests.jar"));
        }
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    /** {@code "$PMULAB"}: a directory with a {@code pmulab} launcher for this reactor's jar. */
    private Path launcher(Path root) throws IOException {
        Path install = Files.createDirectories(work.resolve("pmulab"));
        Path jar = root.resolve("pmu-cli/target/pmulab.jar");
        assertThat(jar).isRegularFile();
        executable(
                install.resolve("pmulab"),
                "#!/bin/sh\nexec \"" + Path.of(System.getProperty("java.home"), "bin", "java") + "\" -Dpmulab.home=\""
                        + install + "\" -jar \"" + jar + "\" \"$@\"\n");
        return install;
    }

    /**
     * {@code mvn} for the walk: the install in {@code $PMULAB} is already done (the private
     * repository); every other call is Maven, offline, on the private repository.
     */
    private Path mvnWrapper(Path repo, Path install) throws IOException {
        Path bin = Files.createDirectories(work.resolve("bin"));
        String mvn = realMvn();
        executable(
                bin.resolve("mvn"),
                "#!/bin/bash\n"
                        + "if [ \"$PWD\" = \"" + install + "\" ] && [ \"$*\" = \"-B install -DskipTests\" ]; then\n"
                        + "  echo \"pmulab installed into " + repo + "\"; exit 0\nfi\n"
                        + "exec \"" + mvn + "\" -o -Dmaven.repo.local=\"" + repo + "\" \"$@\"\n");
        return bin;
    }

    private static String realMvn() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "mvn");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        String home = System.getProperty("maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        throw new AssertionError("no mvn on the PATH");
    }

    private static void executable(Path f, String text) throws IOException {
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
