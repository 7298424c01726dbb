package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.cli.Pmulab;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-input corpus (src/test/resources/malformed/cases.txt): each input, run through
 * the CLI's entry point, ends with its pinned exit status, the words of its message, and no Java
 * stack trace; bad input (exit 2) prints nothing on stdout, because nothing ran.
 */
final class MalformedInputCorpusTest {
    /** A line of stderr that is a stack frame, or the words that open a Java stack trace. */
    private static final Pattern STACK_TRACE =
            Pattern.compile("(?m)^\\s+at [\\w$.]+\\(.*\\)$|Exception in thread|^Caused by: |^\\s+\\.\\.\\. \\d+ more$");

    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\b(AFILE|FILE|SMALL|LONG|MIGRATE|TMP|JAR|EARLIER|BLOCKED|EMPTY|HUGE)\\b");

    /** One line of cases.txt. */
    record Case(int line, String input, int exit, String command, List<String> words) {
        @Override
        public String toString() {
            return (input.equals("-") ? "" : input + ": ") + "pmulab " + command;
        }
    }

    private static final Path CORPUS = corpusDirectory();
    private static final List<Case> CASES = readCases();
    private static Path work;
    private static final Map<String, String> VALUES = new LinkedHashMap<>();
    private static final Map<String, Path> GENERATED = new LinkedHashMap<>();
    private static final Map<String, Path> PLUGINS = new LinkedHashMap<>();

    private static final String SMALL = """
            name: corpus
            run: {duration: 10ms}
            host:
              cpus: [{core: neoverse-n2, count: 2}]
            vms:
              - name: vm0
                vcpus: 1
                pmu_usage: {kind: perf-stat, events: [cycles]}
                workload: cpu-bound
            """;

    private static Path corpusDirectory() {
        try {
            return Path.of(MalformedInputCorpusTest.class
                            .getResource("/malformed/cases.txt")
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Case> readCases() {
        List<Case> cases = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(CORPUS.resolve("cases.txt"), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split(" \\| ", -1);
                if (f.length != 4) {
                    throw new IllegalStateException(
                            "cases.txt:" + (i + 1) + ": expected INPUT | EXIT | COMMAND | WORDS");
                }
                cases.add(new Case(
                        i + 1,
                        f[0].strip(),
                        Integer.parseInt(f[1].strip()),
                        f[2].strip(),
                        Arrays.stream(f[3].split(" ; "))
                                .map(String::strip)
                                .filter(w -> !w.isEmpty())
                                .toList()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @BeforeAll
    static void prepare() throws IOException {
        work = Files.createTempDirectory("corpus");
        // The corpus is read from a short temporary copy: a message cuts a path longer than 120
        // characters (Messages.cut), and where the checkout lies must not decide what the cases see.
        copyTree(CORPUS, work.resolve("malformed"));
        Path tmp = Files.createDirectories(work.resolve("tmp")); // stays empty
        VALUES.put("TMP", tmp.toString());
        VALUES.put(
                "SMALL", Files.writeString(work.resolve("corpus.yaml"), SMALL).toString());
        VALUES.put(
                "LONG",
                Files.writeString(
                                work.resolve("long.yaml"),
                                BuiltInScenarios.yaml("flagship")
                                        .replace("name: flagship", "name: long")
                                        .replace("run: {duration: 1s}", "run: {duration: 1h}"))
                        .toString());
        VALUES.put(
                "MIGRATE",
                Files.writeString(
                                work.resolve("migrate.yaml"),
                                SMALL.replace("name: corpus", "name: migrate")
                                        .replace("10ms", "1s")
                                        .replace(
                                                "    workload: cpu-bound",
                                                "    placement: {migrate: {every: 1ns}}\n    workload: cpu-bound"))
                        .toString());
        VALUES.put(
                "AFILE",
                Files.writeString(work.resolve("a-file.txt"), "not a directory\n")
                        .toString());
        Path earlier = Files.createDirectories(work.resolve("earlier"));
        Files.writeString(earlier.resolve("corpus-allocation.txt"), "an earlier report\n");
        VALUES.put("EARLIER", earlier.toString());
        Path blocked = Files.createDirectories(work.resolve("blocked"));
        Files.createDirectories(blocked.resolve("corpus-allocation.txt"));
        VALUES.put("BLOCKED", blocked.toString());
        VALUES.put("EMPTY", "");
        VALUES.put("HUGE", "a".repeat(100_000));
        generateInputs(Files.createDirectories(work.resolve("generated")));
        buildPlugins(Files.createDirectories(work.resolve("plugins")));
    }

    private static void generateInputs(Path dir) throws IOException {
        byte[] twoMib = ("# " + "x".repeat(2 << 20) + "\n").getBytes(StandardCharsets.UTF_8);
        gen(
                dir,
                "latin1.yaml",
                concat(
                        "name: caf".getBytes(StandardCharsets.US_ASCII),
                        new byte[] {(byte) 0xe9},
                        "\nrun: {duration: 1s}\n".getBytes(StandardCharsets.US_ASCII)));
        gen(
                dir,
                "utf16.yaml",
                concat(
                        new byte[] {(byte) 0xff, (byte) 0xfe},
                        "name: x\nrun: {duration: 1s}\n".getBytes(StandardCharsets.UTF_16LE)));
        gen(dir, "nul.yaml", concat("name: ".getBytes(StandardCharsets.US_ASCII), new byte[] {0, 1, 2, 3}));
        gen(dir, "escape.yaml", "name: corpus\u001b[31m\nrun: {duration: 1s}\n".getBytes(StandardCharsets.UTF_8));
        gen(dir, "two-mib.yaml", twoMib);
        GENERATED.put("missing.yaml", dir.resolve("missing.yaml"));
        GENERATED.put("a-directory.yaml", Files.createDirectories(dir.resolve("a-directory.yaml")));
        GENERATED.put("dev-zero", Path.of("/dev/zero"));
        gen(dir, "latin1.pmuscript", concat("read ".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xe9, '\n'
        }));
        gen(dir, "nul.pmuscript", concat(new byte[] {0}, "read PMCR_EL0\n".getBytes(StandardCharsets.US_ASCII)));
        gen(dir, "two-mib.pmuscript", twoMib);
        GENERATED.put("missing.pmuscript", dir.resolve("missing.pmuscript"));
        gen(dir, "no-expected.pmuscript", "read PMCR_EL0\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static void gen(Path dir, String name, byte[] bytes) throws IOException {
        GENERATED.put(name, Files.write(dir.resolve(name), bytes));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A descriptor class: {@code name()} returns {@code name}; the other parts as given. */
    private static String descriptor(
            String cls, String name, String kind, String description, String extra, String module) {
        return """
                package com.example.corpus;

                import com.google.inject.AbstractModule;
                import com.google.inject.Module;
                import dev.pmulab.api.*;
                import jakarta.inject.Inject;
                import java.util.List;

                public final class %1$s implements PolicyDescriptor {
                    %5$s
                    public String name() { return %2$s; }
                    public PolicyKind kind() { return %3$s; }
                    public String description() { return %4$s; }
                    public Module module(Settings settings) { %6$s }

                    public static final class Policy implements AllocationPolicy {
                        @Inject public Policy() {}
                    }
                }
                """.formatted(cls, name, kind, description, extra, module);
    }

    private static final String BINDS = "return PolicyDescriptor.bindPolicy(AllocationPolicy.class, Policy.class);";
    private static final String ALLOCATION = "PolicyKind.ALLOCATION";

    private static void buildPlugins(Path dir) throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(
                "com.example.corpus.OkDescriptor",
                descriptor("OkDescriptor", "\"corpus-ok\"", ALLOCATION, "\"fine\"", "", BINDS));
        sources.put(
                "com.example.corpus.ThrowingDescriptor",
                descriptor(
                        "ThrowingDescriptor",
                        "\"throwing\"",
                        ALLOCATION,
                        "\"x\"",
                        "public ThrowingDescriptor() { throw new IllegalStateException(\"no descriptor today\"); }",
                        BINDS));
        sources.put(
                "com.example.corpus.StaticInitDescriptor",
                descriptor(
                        "StaticInitDescriptor",
                        "\"static-init\"",
                        ALLOCATION,
                        "\"x\"",
                        "static { fail(); } static void fail() { throw new IllegalStateException(\"no\"); }",
                        BINDS));
        sources.put(
                "com.example.corpus.BadNameDescriptor",
                descriptor("BadNameDescriptor", "\"Bad Name\"", ALLOCATION, "\"x\"", "", BINDS));
        sources.put(
                "com.example.corpus.NullKindDescriptor",
                descriptor("NullKindDescriptor", "\"null-kind\"", "null", "\"x\"", "", BINDS));
        sources.put(
                "com.example.corpus.EmptyDescriptionDescriptor",
                descriptor("EmptyDescriptionDescriptor", "\"empty-description\"", ALLOCATION, "\"\"", "", BINDS));
        sources.put(
                "com.example.corpus.SettingTwiceDescriptor",
                descriptor(
                        "SettingTwiceDescriptor",
                        "\"setting-twice\"",
                        ALLOCATION,
                        "\"x\"",
                        "public List<SettingSpec> settings() { return List.of("
                                + "SettingSpec.integer(\"depth\", 1, \"a\"), SettingSpec.integer(\"depth\", 2, \"b\")); }",
                        BINDS));
        sources.put(
                "com.example.corpus.EmulatedDescriptor",
                descriptor("EmulatedDescriptor", "\"emulated\"", ALLOCATION, "\"a second emulated\"", "", BINDS));
        sources.put(
                "com.example.corpus.TwinDescriptor",
                descriptor("TwinDescriptor", "\"twin\"", ALLOCATION, "\"one of two\"", "", BINDS));
        sources.put(
                "com.example.corpus.ModuleNullDescriptor",
                descriptor("ModuleNullDescriptor", "\"module-null\"", ALLOCATION, "\"x\"", "", "return null;"));
        sources.put(
                "com.example.corpus.BindsNothingDescriptor",
                descriptor(
                        "BindsNothingDescriptor",
                        "\"binds-nothing\"",
                        ALLOCATION,
                        "\"x\"",
                        "",
                        "return new AbstractModule() { };"));
        sources.put(
                "com.example.corpus.NotADescriptor",
                "package com.example.corpus;\npublic final class NotADescriptor { }\n");
        Path classes = PluginJars.compile(sources);

        VALUES.put(
                "JAR",
                PluginJars.pack(
                                dir.resolve("ok/corpus-ok.jar"),
                                classes,
                                "com/example/corpus/OkDescriptor",
                                "com.example.corpus.OkDescriptor\n")
                        .toString());
        plugin(dir, "not-a-zip").resolve("not-a-zip.jar").toFile();
        Files.writeString(dir.resolve("not-a-zip/not-a-zip.jar"), "this is not a jar\n");
        Files.write(plugin(dir, "empty-jar").resolve("empty-jar.jar"), new byte[0]);
        PluginJars.pack(plugin(dir, "no-services").resolve("no-services.jar"), classes, "com/example/corpus/Ok", null);
        PluginJars.pack(
                plugin(dir, "services-empty").resolve("services-empty.jar"),
                classes,
                "com/example/corpus/Ok",
                "# nothing listed\n");
        PluginJars.pack(
                plugin(dir, "missing-class").resolve("missing-class.jar"),
                classes,
                "com/example/corpus/Ok",
                "com.example.corpus.Missing\n");
        one(dir, classes, "not-a-descriptor", "NotADescriptor");
        one(dir, classes, "descriptor-constructor-throws", "ThrowingDescriptor");
        one(dir, classes, "descriptor-static-init-throws", "StaticInitDescriptor");
        one(dir, classes, "bad-name", "BadNameDescriptor");
        one(dir, classes, "null-kind", "NullKindDescriptor");
        one(dir, classes, "empty-description", "EmptyDescriptionDescriptor");
        one(dir, classes, "setting-twice", "SettingTwiceDescriptor");
        one(dir, classes, "named-emulated", "EmulatedDescriptor");
        one(dir, classes, "module-returns-null", "ModuleNullDescriptor");
        one(dir, classes, "binds-nothing", "BindsNothingDescriptor");
        Path twins = plugin(dir, "two-jars-one-name");
        PluginJars.pack(
                twins.resolve("a.jar"),
                classes,
                "com/example/corpus/TwinDescriptor",
                "com.example.corpus.TwinDescriptor\n");
        PluginJars.pack(
                twins.resolve("b.jar"),
                classes,
                "com/example/corpus/TwinDescriptor",
                "com.example.corpus.TwinDescriptor\n");
        Files.createDirectories(plugin(dir, "empty-subdirectory").resolve("lonely"));
    }

    private static Path plugin(Path dir, String name) throws IOException {
        Path p = Files.createDirectories(dir.resolve(name));
        PLUGINS.put(name, p);
        return p;
    }

    private static void one(Path dir, Path classes, String name, String cls) throws IOException {
        PluginJars.pack(
                plugin(dir, name).resolve(name + ".jar"),
                classes,
                "com/example/corpus/" + cls,
                "com.example.corpus." + cls + "\n");
    }

    private static String substitute(String text, String file) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = m.group(1).equals("FILE") ? file : VALUES.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for " + m.group(1));
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String inputPath(String input) {
        if (input.equals("-")) {
            return "";
        }
        if (input.startsWith("generated:")) {
            Path p = GENERATED.get(input.substring("generated:".length()));
            assertThat(p).as("a generated input called " + input).isNotNull();
            return p.toString();
        }
        if (input.startsWith("plugin:")) {
            Path p = PLUGINS.get(input.substring("plugin:".length()));
            assertThat(p).as("a plugin directory called " + input).isNotNull();
            return p.toString();
        }
        Path p = work.resolve("malformed").resolve(input);
        assertThat(p).as("corpus file").isRegularFile();
        return p.toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    @Test
    void aScenarioInADeepDirectoryIsStillReportedAtItsFileLineAndColumn() throws IOException {
        Path deep = work;
        for (int i = 0; i < 6; i++) {
            deep = deep.resolve("directory-" + "d".repeat(30) + "-" + i);
        }
        Path scenario = Files.copy(
                CORPUS.resolve("scenarios/workload-zero-threads.yaml"),
                Files.createDirectories(deep).resolve("workload-zero-threads.yaml"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Pmulab.run(new PrintWriter(out), new PrintWriter(err), "validate", scenario.toString());
        assertThat(status).isEqualTo(Pmulab.EXIT_BAD_INPUT);
        // The path is over 200 characters, so it is cut; its file name and location stay.
        assertThat(scenario.toString()).hasSizeGreaterThan(200);
        assertThat(err.toString())
                .contains("more characters]/workload-zero-threads.yaml:9:45: vms[0].workload.threads:")
                .doesNotContain(scenario.toString());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void eachInputEndsWithItsExitStatusAndMessageAndNoStackTrace(Case c) {
        String file = inputPath(c.input());
        List<String> args = new ArrayList<>();
        for (String token : c.command().split(" ")) {
            args.add(substitute(token, file));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Pmulab.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        String said = err.toString() + out;
        assertThat(status)
                .as("cases.txt:%d exit status; stderr: %s", c.line(), err)
                .isEqualTo(c.exit());
        for (String w : c.words()) {
            assertThat(said).as("cases.txt:%d", c.line()).contains(substitute(w, file));
        }
        assertThat(STACK_TRACE.matcher(err.toString()).find())
                .as("a stack trace on stderr: %s", err)
                .isFalse();
        if (c.exit() == Pmulab.EXIT_BAD_INPUT) {
            assertThat(out.toString())
                    .as("cases.txt:%d: nothing ran, so nothing on stdout", c.line())
                    .isEmpty();
        }
        // A message never echoes a huge token whole.
        assertThat(err.toString().lines().mapToInt(String::length).max().orElse(0))
                .isLessThan(2000);
    }

    @Test
    void theCorpusHoldsOverAHundredInputsOfEveryKind() {
        assertThat(CASES).hasSizeGreaterThanOrEqualTo(100);
        assertThat(CASES.stream().filter(c -> c.input().startsWith("scenarios/")))
                .hasSizeGreaterThanOrEqualTo(40);
        assertThat(CASES.stream()
                        .filter(c ->
                                c.input().startsWith("pmuscripts/") || c.input().endsWith(".pmuscript")))
                .hasSizeGreaterThanOrEqualTo(15);
        assertThat(CASES.stream().filter(c -> c.input().startsWith("plugin:"))).hasSizeGreaterThanOrEqualTo(10);
        assertThat(CASES.stream().filter(c -> c.input().equals("-"))).hasSizeGreaterThanOrEqualTo(30);
    }

    @Test
    void everyFileOfTheCorpusIsPinnedByACase() throws IOException {
        Set<String> pinned = new HashSet<>();
        CASES.forEach(c -> pinned.add(c.input()));
        try (Stream<Path> files = Files.walk(CORPUS)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = CORPUS.relativize(f).toString().replace('\\', '/');
                if (!rel.equals("cases.txt")) {
                    assertThat(pinned).as("%s has no line in cases.txt", rel).contains(rel);
                }
            }
        }
    }
}
