package dev.pmulab.sim.plugin;

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

/** Builds real plugin jars during a test: compiles sources against the test classpath and packs them. */
final class TestJars {
    private TestJars() {}

    /**
     * Compiles {@code sources} (fully qualified class name to source text) and writes a jar at
     * {@code jar} holding the classes and, when {@code services} is not null, a
     * META-INF/services/dev.pmulab.api.PolicyDescriptor file with that text.
     */
    static Path build(Path work, Path jar, Map<String, String> sources, String services) throws IOException {
        Path src = Files.createTempDirectory(work, "src");
        Path classes = Files.createTempDirectory(work, "classes");
        List<String> args = new ArrayList<>(List.of(
                "-d",
                classes.toString(),
                "-classpath",
                System.getProperty("java.class.path"),
                "-proc:none",
                "--release",
                "17"));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (!sources.isEmpty() && javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("test plugin did not compile");
        }
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            if (services != null) {
                out.putNextEntry(new JarEntry("META-INF/services/dev.pmulab.api.PolicyDescriptor"));
                out.write(services.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Source of a minimal allocation policy plugin named {@code name}, in package {@code pkg}. */
    static Map<String, String> allocationPlugin(String pkg, String name) {
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
