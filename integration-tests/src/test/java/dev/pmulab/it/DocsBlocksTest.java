package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pmulab.cli.Pmulab;
import dev.pmulab.it.DocBlocks.Block;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioLoader;
import dev.pmulab.sim.scenario.ScenarioPolicies;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Docs that run: every YAML, Java, shell and JSON block of README.md and docs/ is loaded,
 * compiled, parsed or executed here, so a doc that drifts from the code fails the build.
 *
 * <ul>
 *   <li>YAML: a whole scenario (it has {@code run}, {@code host} or {@code vms}) is loaded and its
 *       policies selected as {@code pmulab validate} does; a fragment ({@code policies: ...}) the
 *       same, on a small two-CPU host with one VM;
 *   <li>Java: a compilation unit (it has a {@code package}) is compiled with the other units of its
 *       page; a fragment is compiled as the body of a method, with the packages it names imported;
 *   <li>shell: every {@code pmulab} command line is parsed by pmulab's own command line (a
 *       command or option that does not exist fails), every {@code mvn} line is one of the two the
 *       docs ask for (the build itself, and the install {@link DocsWalkTest} follows), and the
 *       README's pmuscript example is run as written; writing-a-policy.md's blocks are the walk
 *       {@link DocsWalkTest} follows;
 *   <li>JSON: parses, and every policy label in it ({@code name(setting=value, ...)}) names a
 *       policy and settings that exist.
 * </ul>
 */
final class DocsBlocksTest {
    private static final String SMALL_HOST = "run: {duration: 10ms}\nhost: {cpus: [{core: neoverse-n2, count: 2}]}\n"
            + "vms:\n  - {name: vm0, vcpus: 1}\n";
    private static final Set<String> LANGUAGES = Set.of("yaml", "java", "sh", "xml", "json", "");
    /**
     * The build, the install the walk follows, and the API signature's update (ApiSignatureTest
     * reads pmulab.updateApiSignature).
     */
    private static final Set<String> MVN_LINES = Set.of(
            "mvn -B verify", "mvn -B install -DskipTests", "mvn -o -pl pmu-api test -Dpmulab.updateApiSignature=true");

    private static final Set<String> SHELL_WORDS = Set.of("cd", "mkdir", "cp", "cat", "(cd");
    private static final Pattern LABEL =
            Pattern.compile("\"(allocation|selection|filter)\": \"([a-z-]+)(?:\\((.*?)\\))?\"");

    @TempDir
    Path dir;

    static Stream<Block> yaml() {
        return DocBlocks.all().stream().filter(b -> b.lang().equals("yaml"));
    }

    static Stream<Block> sh() {
        return DocBlocks.all().stream().filter(b -> b.lang().equals("sh"));
    }

    static Stream<Block> json() {
        return DocBlocks.all().stream().filter(b -> b.lang().equals("json"));
    }

    /** What this test does not know it cannot check: a block's language is one of those above, or none (output). */
    @Test
    void everyBlockIsOfALanguageThisTestChecks() {
        List<Block> all = DocBlocks.all();
        assertThat(all).hasSizeGreaterThan(20);
        assertThat(all).allSatisfy(b -> assertThat(LANGUAGES).as(b.toString()).contains(b.lang()));
    }

    /** The registry the docs' policies come from: the built-ins and, for writing-a-policy.md, the example's jar. */
    private static PolicyRegistry registry() {
        return PolicyRegistry.discover(DocsBlocksTest.class.getClassLoader(), List.of(ExamplePlugin.pluginDirectory()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("yaml")
    void everyYamlBlockIsAScenarioPmulabAccepts(Block b) {
        String text = b.text();
        boolean whole =
                text.lines().anyMatch(l -> l.startsWith("run:") || l.startsWith("host:") || l.startsWith("vms:"));
        Scenario s = ScenarioLoader.load(b.toString(), whole ? text : SMALL_HOST + text);
        ScenarioPolicies.select(s, registry());
    }

    /** The pages' compilation units, compiled together per page (the example's classes refer to each other). */
    @Test
    void everyJavaCompilationUnitCompiles() throws IOException {
        for (Path page : DocBlocks.files()) {
            List<Block> units = DocBlocks.of(page).stream()
                    .filter(b -> b.lang().equals("java") && b.text().startsWith("package "))
                    .toList();
            if (units.isEmpty()) {
                continue;
            }
            List<Path> sources = new ArrayList<>();
            for (Block b : units) {
                sources.add(write(dir.resolve("units"), b));
            }
            compile(sources, page.toString());
        }
    }

    /** A fragment is a method body: its page's types are imported by package. */
    @Test
    void everyJavaFragmentCompilesAsAMethodBody() throws IOException {
        List<Block> fragments = DocBlocks.all().stream()
                .filter(b -> b.lang().equals("java") && !b.text().startsWith("package "))
                .toList();
        assertThat(fragments).isNotEmpty();
        int i = 0;
        for (Block b : fragments) {
            String cls = "Fragment" + i++;
            String src = "package docs;\n"
                    + "import dev.pmulab.hw.catalog.*;\nimport dev.pmulab.sim.scenario.*;\n"
                    + "import dev.pmulab.sim.plugin.*;\nimport java.nio.file.*;\n"
                    + "final class " + cls + " {\n  static void run(PolicyRegistry policyRegistry) throws Exception {\n"
                    + b.text() + "\n  }\n}\n";
            Path f = dir.resolve("fragments/docs/" + cls + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, src);
            compile(List.of(f), b.toString());
        }
    }

    /** writing-a-policy.md's classes are the example's, character for character, so the two cannot drift. */
    @Test
    void theWalksClassesAreTheExamplesFiles() throws IOException {
        Path page = DocBlocks.root().resolve("docs/writing-a-policy.md");
        List<Block> units = DocBlocks.of(page).stream()
                .filter(b -> b.lang().equals("java") && b.text().startsWith("package "))
                .toList();
        assertThat(units).hasSize(4);
        for (Block b : units) {
            Path inExample = ExamplePlugin.project()
                    .resolve(b.text().contains("implements PolicyContract") ? "src/test/java" : "src/main/java")
                    .resolve(DocsWalkTest.sourcePath(b.text()));
            assertThat(b.text()).as(b.toString()).isEqualTo(Files.readString(inExample));
        }
        List<Block> poms =
                DocBlocks.of(page).stream().filter(b -> b.lang().equals("xml")).toList();
        assertThat(poms).hasSize(1);
        String pom = Files.readString(ExamplePlugin.project().resolve("pom.xml"));
        assertThat(pom).endsWith(poms.get(0).text());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sh")
    void everyShellLineIsACommandThatExists(Block b) {
        for (List<String> words : commands(b.text())) {
            String cmd = words.get(0);
            if (cmd.equals("./pmulab") || cmd.equals("\"$PMULAB\"/pmulab")) {
                String[] args = words.subList(1, words.size()).toArray(String[]::new);
                try {
                    new CommandLine(new Pmulab()).parseArgs(args);
                } catch (CommandLine.ParameterException e) {
                    fail(b + ": pmulab " + String.join(" ", args) + ": " + e.getMessage());
                }
            } else if (cmd.equals("mvn")) {
                // "(cd DIR && mvn ...)": the subshell's parenthesis is the shell's, not Maven's.
                String line = String.join(" ", words).replaceAll("\\)$", "");
                assertThat(MVN_LINES).as(b + ": " + line).contains(line);
            } else {
                assertThat(SHELL_WORDS).as(b + ": " + words).contains(cmd);
            }
        }
    }

    /** The README's register example, run as written (a heredoc, then ./pmulab regs) with pmulab as ./pmulab. */
    @Test
    void theReadmesPmuscriptExampleRuns() throws Exception {
        Block b = DocBlocks.of(DocBlocks.root().resolve("README.md")).stream()
                .filter(x -> x.lang().equals("sh") && x.text().contains("pmulab regs"))
                .findFirst()
                .orElseThrow();
        Path launcher = dir.resolve("pmulab");
        Files.writeString(
                launcher,
                "#!/bin/sh\nexec \"" + Path.of(System.getProperty("java.home"), "bin", "java") + "\" -cp '"
                        + System.getProperty("java.class.path") + "' dev.pmulab.cli.Pmulab \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process p = new ProcessBuilder("bash", "-e", "-c", b.text())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        // EL1 reads N = HPMN = 4; the second-range counter traps.
        assertThat(out).contains("PMCR_EL0").containsIgnoringCase("trap");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("json")
    void everyJsonBlockParsesAndItsPolicyLabelsExist(Block b) throws IOException {
        JsonNode n = new ObjectMapper().readTree(b.text());
        assertThat(n).as(b.toString()).isNotNull();
        Matcher m = LABEL.matcher(b.text());
        while (m.find()) {
            String kind = m.group(1);
            String name = m.group(2);
            if (name.equals("none")) {
                continue;
            }
            StringBuilder settings = new StringBuilder();
            if (m.group(3) != null) {
                for (String kv : m.group(3).split(",\\s*")) {
                    String[] p = kv.split("=", 2);
                    settings.append(settings.length() == 0 ? "" : ", ")
                            .append(p[0])
                            .append(": ")
                            .append(p[1]);
                }
            }
            String yaml = SMALL_HOST + "policies: {" + kind + ": {name: " + name + ", settings: {" + settings + "}}}\n";
            ScenarioPolicies.select(ScenarioLoader.load(b + " label " + m.group(), yaml), registry());
        }
    }

    /** Command lines: comments and heredoc bodies left out, words split as the shell would (quotes kept). */
    static List<List<String>> commands(String text) {
        List<List<String>> out = new ArrayList<>();
        String heredocEnd = null;
        for (String raw : text.split("\n")) {
            if (heredocEnd != null) {
                if (raw.strip().equals(heredocEnd)) {
                    heredocEnd = null;
                }
                continue;
            }
            String line = raw.replaceAll("\\s+#.*$", "").strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher h = Pattern.compile("<<'?(\\w+)'?").matcher(line);
            if (h.find()) {
                heredocEnd = h.group(1);
            }
            for (String part : line.split("\\s*&&\\s*")) {
                out.add(List.of(part.split("\\s+")));
            }
        }
        return out;
    }

    private static Path write(Path root, Block b) throws IOException {
        Path f = root.resolve(DocsWalkTest.sourcePath(b.text()));
        Files.createDirectories(f.getParent());
        Files.writeString(f, b.text());
        return f;
    }

    private void compile(List<Path> sources, String what) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory(dir, "classes");
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(
                            new StringWriter(),
                            fm,
                            diagnostics,
                            List.of("-proc:none", "-d", out.toString(), "-cp", System.getProperty("java.class.path")),
                            null,
                            fm.getJavaFileObjectsFromPaths(sources))
                    .call();
            assertThat(ok).as(what + ": " + diagnostics.getDiagnostics()).isTrue();
        }
    }
}
