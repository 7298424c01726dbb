package dev.pmulab.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Plugin jars built during a test, as {@link ExamplePlugin} builds the example: javac on the
 * sources against this module's test classpath (pmu-api, Guice, jakarta.inject), a jar with the
 * classes and the ServiceLoader registration. No nested Maven.
 */
final class PluginJars {
    private PluginJars() {}

    /** Compiles {@code sources} (class name to text) into {@code jar}, registering {@code descriptors}. */
    static Path build(Path jar, Map<String, String> sources, List<String> descriptors) throws IOException {
        Path classes = compile(sources);
        return pack(jar, classes, "", (String.join("\n", descriptors) + "\n"));
    }

    /** Compiles {@code sources} (class name to text) in one javac run; returns the classes directory. */
    static Path compile(Map<String, String> sources) throws IOException {
        Path work = Files.createTempDirectory("plugin-jar");
        Path src = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> args = new ArrayList<>(List.of(
                "-d",
                classes.toString(),
                "-classpath",
                System.getProperty("java.class.path"),
                "-proc:none",
                "--release",
                "17",
                "-nowarn"));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("a test plugin under " + src + " does not compile (see above)");
        }
        return classes;
    }

    /**
     * Writes {@code jar} with the class files under {@code classes} whose path starts with
     * {@code prefix} (a class's path without {@code .class} takes its nested classes too) and, unless
     * {@code services} is null, that ServiceLoader registration.
     */
    static Path pack(Path jar, Path classes, String prefix, String services) throws IOException {
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String entry = classes.relativize(f).toString().replace('\\', '/');
                if (entry.startsWith(prefix)) {
                    out.putNextEntry(new JarEntry(entry));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            if (services != null) {
                out.putNextEntry(new JarEntry("META-INF/services/dev.pmulab.api.PolicyDescriptor"));
                out.write(services.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /**
     * An allocation policy {@code name} in class {@code pkg.cls}: {@code members} go into the
     * policy class (constructor, static initialiser, helpers), {@code vcpuLoad} is its vcpu_load.
     */
    static Map<String, String> allocationPolicy(String pkg, String cls, String name, String members, String vcpuLoad) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(pkg + "." + cls, """
                package %1$s;

                import com.google.inject.Module;
                import dev.pmulab.api.*;
                import jakarta.inject.Inject;

                public final class %2$s implements PolicyDescriptor {
                    public String name() { return "%3$s"; }
                    public PolicyKind kind() { return PolicyKind.ALLOCATION; }
                    public String description() { return "a policy built by a test"; }
                    public Module module(Settings settings) {
                        return PolicyDescriptor.bindPolicy(AllocationPolicy.class, Policy.class);
                    }

                    public static final class Policy implements AllocationPolicy {
                        %4$s
                        @Override
                        public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
                            %5$s
                        }
                    }
                }
                """.formatted(pkg, cls, name, members, vcpuLoad));
        return m;
    }
}
