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
        return PluginJarBuilder.minimalAllocationPlugin(pkg, name);
    }
}
