package dev.pmulab.sim.plugin;

import dev.pmulab.api.testing.PluginJarBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Builds real plugin jars during a test: compiles sources against the test classpath and packs them. */
final class TestJars {
    private TestJars() {}

    /**
     * Compiles {@code sources} (fully qualified class name to source text) and writes a jar at
     * {@code jar} holding the classes and, when {@code services} is not null, a
     * META-INF/services/dev.pmulab.api.PolicyDescriptor file with that text.
     */
    static Path build(Path work, Path jar, Map<String, String> sources, String services) throws IOException {
        return PluginJarBuilder.pack(jar, PluginJarBuilder.compile(work, sources), "", services);
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
