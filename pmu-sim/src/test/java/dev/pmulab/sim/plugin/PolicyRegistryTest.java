package dev.pmulab.sim.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PolicyRegistryTest {
    private static final ClassLoader APP = PolicyRegistryTest.class.getClassLoader();

    @TempDir
    Path work;

    @Test
    void discoversAutoServicePoliciesOnTheClasspath() {
        PolicyRegistry registry = PolicyRegistry.discover(APP);
        LoadedPolicy p = registry.get(PolicyKind.ALLOCATION, "test-reserving");
        assertThat(p.source().external()).isFalse();
        assertThat(p.source().toString()).isEqualTo("module pmu-sim");
        assertThat(registry.namesOf(PolicyKind.ALLOCATION)).contains("test-reserving", "test-throwing");
        assertThat(registry.namesOf(PolicyKind.FILTER)).contains("test-no-inject-constructor");
    }

    @Test
    void discoversAPolicyFromAJarInItsOwnClassLoader() throws Exception {
        Path plugins = work.resolve("plugins");
        TestJars.build(
                work,
                plugins.resolve("third.jar"),
                TestJars.allocationPlugin("com.example.third", "third-party"),
                "com.example.third.Descriptor\n");
        PolicyRegistry registry = PolicyRegistry.discover(APP, List.of(plugins));
        LoadedPolicy p = registry.get(PolicyKind.ALLOCATION, "third-party");
        assertThat(p.source().external()).isTrue();
        assertThat(p.source().location()).endsWith("third.jar");
        assertThat(p.classLoader()).isInstanceOf(PluginClassLoader.class);
        assertThat(p.descriptor().getClass().getClassLoader()).isSameAs(p.classLoader());
        // The SPI is the application's; nothing else of the application is visible to the plugin.
        assertThat(p.classLoader().loadClass(PolicyDescriptor.class.getName())).isSameAs(PolicyDescriptor.class);
        assertThatThrownBy(() -> p.classLoader().loadClass(PolicyRegistry.class.getName()))
                .isInstanceOf(ClassNotFoundException.class);
        // And the application does not see the plugin's classes.
        assertThatThrownBy(() -> APP.loadClass("com.example.third.Descriptor"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(registry.namesOf(PolicyKind.ALLOCATION)).contains("test-reserving", "third-party");
    }

    @Test
    void aPluginDirectoryIsOnePluginWithAllItsJars() throws Exception {
        Path plugins = work.resolve("plugins");
        TestJars.build(
                work,
                plugins.resolve("multi/policy.jar"),
                TestJars.allocationPlugin("com.example.multi", "multi"),
                "com.example.multi.Descriptor\n");
        TestJars.build(
                work,
                plugins.resolve("multi/lib.jar"),
                Map.of("com.example.lib.Helper", "package com.example.lib; public final class Helper {}"),
                null);
        LoadedPolicy p = PolicyRegistry.discover(APP, List.of(plugins)).get(PolicyKind.ALLOCATION, "multi");
        assertThat(p.classLoader().loadClass("com.example.lib.Helper").getClassLoader())
                .isSameAs(p.classLoader());
    }

    @Test
    void duplicateNamesAreAnErrorNamingBothSources() throws Exception {
        Path plugins = work.resolve("plugins");
        TestJars.build(
                work,
                plugins.resolve("a.jar"),
                TestJars.allocationPlugin("com.example.a", "same-name"),
                "com.example.a.Descriptor\n");
        TestJars.build(
                work,
                plugins.resolve("b.jar"),
                TestJars.allocationPlugin("com.example.b", "same-name"),
                "com.example.b.Descriptor\n");
        assertThatThrownBy(() -> PolicyRegistry.discover(APP, List.of(plugins)))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("two policies are named 'same-name'")
                .hasMessageContaining("a.jar")
                .hasMessageContaining("b.jar");
    }

    @Test
    void aJarDuplicatingABuiltInNameIsAnError() throws Exception {
        Path plugins = work.resolve("plugins");
        TestJars.build(
                work,
                plugins.resolve("clash.jar"),
                TestJars.allocationPlugin("com.example.c", "test-reserving"),
                "com.example.c.Descriptor\n");
        assertThatThrownBy(() -> PolicyRegistry.discover(APP, List.of(plugins)))
                .hasMessageContaining("two policies are named 'test-reserving'")
                .hasMessageContaining("module pmu-sim")
                .hasMessageContaining("clash.jar");
    }

    @Test
    void aJarWithNoProviderIsAnErrorNamingIt() throws Exception {
        Path plugins = work.resolve("plugins");
        TestJars.build(work, plugins.resolve("empty.jar"), TestJars.allocationPlugin("com.example.e", "e"), null);
        assertThatThrownBy(() -> PolicyRegistry.discover(APP, List.of(plugins)))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("empty.jar")
                .hasMessageContaining("provides no policy");
    }

    @Test
    void aJarWhoseServiceFileListsNothingIsAnError() throws Exception {
        Path plugins = work.resolve("plugins");
        TestJars.build(work, plugins.resolve("blank.jar"), Map.of(), "# nothing here\n");
        assertThatThrownBy(() -> PolicyRegistry.discover(APP, List.of(plugins)))
                .hasMessageContaining("blank.jar")
                .hasMessageContaining("lists none");
    }

    @Test
    void aCorruptJarIsAnErrorNamingIt() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.writeString(plugins.resolve("corrupt.jar"), "this is not a zip file");
        assertThatThrownBy(() -> PolicyRegistry.discover(APP, List.of(plugins)))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("corrupt.jar")
                .hasMessageContaining("not a readable jar");
    }

    @Test
    void aProviderThatDoesNotExistIsAnErrorNamingThePlugin() throws Exception {
        Path plugins = work.resolve("plugins");
        TestJars.build(work, plugins.resolve("missing.jar"), Map.of(), "com.example.Missing\n");
        assertThatThrownBy(() -> PolicyRegistry.discover(APP, List.of(plugins)))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("missing.jar")
                .hasMessageContaining("broken policy registration");
    }

    @Test
    void aDescriptorThatThrowsOnCreationIsAnErrorNamingThePlugin() throws Exception {
        Path plugins = work.resolve("plugins");
        String src = """
                package com.example.boom;
                public final class Descriptor implements dev.pmulab.api.PolicyDescriptor {
                    public Descriptor() { throw new IllegalStateException("no config file"); }
                    public String name() { return "boom"; }
                    public dev.pmulab.api.PolicyKind kind() { return dev.pmulab.api.PolicyKind.ALLOCATION; }
                    public String description() { return "boom"; }
                    public com.google.inject.Module module(dev.pmulab.api.Settings s) { return null; }
                }
                """;
        TestJars.build(
                work,
                plugins.resolve("boom.jar"),
                Map.of("com.example.boom.Descriptor", src),
                "com.example.boom.Descriptor\n");
        assertThatThrownBy(() -> PolicyRegistry.discover(APP, List.of(plugins)))
                .hasMessageContaining("boom.jar")
                .hasMessageContaining("no config file");
    }

    @Test
    void aMalformedNameIsRefused() throws Exception {
        Path plugins = work.resolve("plugins");
        TestJars.build(
                work,
                plugins.resolve("upper.jar"),
                TestJars.allocationPlugin("com.example.u", "Bad_Name"),
                "com.example.u.Descriptor\n");
        assertThatThrownBy(() -> PolicyRegistry.discover(APP, List.of(plugins)))
                .hasMessageContaining("upper.jar")
                .hasMessageContaining("'Bad_Name' is not lower-case and hyphenated");
    }

    @Test
    void aMissingPluginDirectoryIsAnError() {
        assertThatThrownBy(() -> PolicyRegistry.discover(APP, List.of(work.resolve("nowhere"))))
                .hasMessageContaining("nowhere")
                .hasMessageContaining("does not exist");
    }

    @Test
    void unknownNameListsTheKnownNamesOfThatKind() {
        PolicyRegistry registry = PolicyRegistry.discover(APP);
        assertThatThrownBy(() -> registry.get(PolicyKind.ALLOCATION, "nope"))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("unknown allocation policy 'nope'; known: ")
                .hasMessageContaining("test-reserving")
                .hasMessageContaining("test-throwing")
                .hasMessageNotContaining("test-no-inject-constructor");
        assertThatThrownBy(() -> registry.get(PolicyKind.SELECTION, "test-reserving"))
                .hasMessageContaining("'test-reserving' is a allocation policy");
    }
}
