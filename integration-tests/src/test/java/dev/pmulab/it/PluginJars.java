package dev.pmulab.it;

import dev.pmulab.api.testing.PluginJarBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        return PluginJarBuilder.compile(sources);
    }

    /** {@link PluginJarBuilder#pack}: the classes under {@code prefix} and the registration. */
    static Path pack(Path jar, Path classes, String prefix, String services) throws IOException {
        return PluginJarBuilder.pack(jar, classes, prefix, services);
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
