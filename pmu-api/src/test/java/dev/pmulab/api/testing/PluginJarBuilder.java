package dev.pmulab.api.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Real plugin jars built during a test, the way a third party's build would make them: javac on
 * the sources against the calling test's class path (pmu-api, Guice, jakarta.inject), then a jar
 * with the classes and the ServiceLoader registration. No nested Maven.
 */
public final class PluginJarBuilder {
    private PluginJarBuilder() {}

    /** Compiles {@code sources} (class name to text) in one javac run; returns the classes directory. */
    public static Path compile(Map<String, String> sources) throws IOException {
        return compile(Files.createTempDirectory("plugin-jar"), sources);
    }

    /**
     * As {@link #compile(Map)}, with the sources and classes in a new directory under {@code under}
     * (a test's {@code @TempDir}, so they go when the test does).
     */
    public static Path compile(Path under, Map<String, String> sources) throws IOException {
        Path work = Files.createTempDirectory(under, "plugin-jar");
        Path src = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        if (sources.isEmpty()) {
            return classes;
        }
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
     * {@code services} is null, that text as META-INF/services/dev.pmulab.api.PolicyDescriptor.
     */
    public static Path pack(Path jar, Path classes, String prefix, String services) throws IOException {
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
     * Source of a minimal allocation policy plugin named {@code name}, in package {@code pkg}: one
     * integer setting {@code hpmn} (default 2) that it sets as HPMN at every vcpu_load. The
     * plugin the registry, worker and Spark tests build from.
     */
    public static Map<String, String> minimalAllocationPlugin(String pkg, String name) {
        String descriptor = """
                package %1$s;

                import com.google.inject.AbstractModule;
                import com.google.inject.Module;
                import dev.pmulab.api.*;
                import jakarta.inject.Inject;
                import java.util.List;

                public final class Descriptor implements PolicyDescriptor {
                    public String name() { return "%2$s"; }
                    public PolicyKind kind() { return PolicyKind.ALLOCATION; }
                    public String description() { return "a plugin built by the test"; }
                    public List<SettingSpec> settings() {
                        return List.of(SettingSpec.integer("hpmn", 2, "HPMN to set at vcpu_load"));
                    }
                    public Module module(Settings settings) {
                        return new AbstractModule() {
                            protected void configure() { bind(AllocationPolicy.class).to(Policy.class); }
                        };
                    }

                    public static final class Policy implements AllocationPolicy {
                        private final int hpmn;
                        @Inject
                        public Policy(Settings settings) { this.hpmn = settings.getInt("hpmn"); }
                        public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
                            control.setHpmn(cpu.id(), hpmn);
                        }
                    }
                }
                """.formatted(pkg, name);
        return Map.of(pkg + ".Descriptor", descriptor);
    }
}
