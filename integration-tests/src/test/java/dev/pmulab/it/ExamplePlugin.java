package dev.pmulab.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds examples/third-party-policy as its own Maven build would, without a nested Maven (offline
 * and slow): javac on its main sources against this module's test classpath (which holds pmu-api,
 * Guice and the AutoService annotations, what the example declares provided), the
 * {@code @AutoService} registration written as the processor would, and a jar in a fresh plugin
 * directory. Built once per JVM.
 */
final class ExamplePlugin {
    static final String POLICY = "opt-in-reservation";
    static final String JAR = "opt-in-reservation-1.0.jar";

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern AUTO_SERVICE =
            Pattern.compile("@AutoService\\(PolicyDescriptor\\.class\\)\\s*public\\s+(?:final\\s+)?class\\s+(\\w+)");

    private static Path pluginDir;
    private static Path classes;

    private ExamplePlugin() {}

    /** examples/third-party-policy in this checkout. */
    static Path project() {
        String dir = System.getProperty("pmulab.examples.dir");
        Path examples = dir != null
                ? Path.of(dir)
                : Path.of(System.getProperty("user.dir")).resolveSibling("examples");
        Path p = examples.resolve("third-party-policy").normalize();
        if (!Files.isRegularFile(p.resolve("pom.xml"))) {
            throw new IllegalStateException("no example project at " + p);
        }
        return p;
    }

    /** A plugin directory holding only the example's jar. */
    static synchronized Path pluginDirectory() {
        if (pluginDir == null) {
            try {
                Path work = Files.createTempDirectory("kit-example");
                classes = compile(
                        work.resolve("classes"),
                        project().resolve("src/main/java"),
                        System.getProperty("java.class.path"));
                pluginDir = Files.createDirectories(work.resolve("plugins"));
                pack(classes, services(project().resolve("src/main/java")), pluginDir.resolve(JAR));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pluginDir;
    }

    /** Compiles the example's tests against its classes and this classpath (the kit among it), as its build does. */
    static Path compileTests() throws IOException {
        pluginDirectory();
        Path out = Files.createTempDirectory("kit-example-tests");
        return compile(
                out,
                project().resolve("src/test/java"),
                classes + System.getProperty("path.separator") + System.getProperty("java.class.path"));
    }

    private static Path compile(Path out, Path sourceRoot, String classpath) throws IOException {
        Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of(
                "-d",
                out.toString(),
                "-classpath",
                classpath,
                "-proc:none",
                "--release",
                "17",
                "-Xlint:all,-path",
                "-Werror"));
        try (Stream<Path> s = Files.walk(sourceRoot)) {
            s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(p -> args.add(p.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException(
                    "the example's sources under " + sourceRoot + " do not compile (see above)");
        }
        return out;
    }

    /** The service file @AutoService would write: every class annotated with it, by its full name. */
    static String services(Path sourceRoot) throws IOException {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> s = Files.walk(sourceRoot)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(p);
                Matcher pkg = PACKAGE.matcher(text);
                Matcher cls = AUTO_SERVICE.matcher(text);
                while (cls.find()) {
                    out.append(pkg.find(0) ? pkg.group(1) + "." : "")
                            .append(cls.group(1))
                            .append('\n');
                }
            }
        }
        if (out.length() == 0) {
            throw new IllegalStateException("no @AutoService(PolicyDescriptor.class) class under " + sourceRoot);
        }
        return out.toString();
    }

    private static void pack(Path classes, String services, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/dev.pmulab.api.PolicyDescriptor"));
            out.write(services.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}
