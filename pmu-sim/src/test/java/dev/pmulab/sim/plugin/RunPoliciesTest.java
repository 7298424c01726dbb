package dev.pmulab.sim.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationOrder;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.api.ControlRule;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.VcpuView;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RunPoliciesTest {
    @TempDir
    Path work;

    /** Records the control actions a policy takes. */
    static class RecordingControl implements AllocationControl {
        final List<String> actions = new ArrayList<>();

        @Override
        public void setHpmn(int cpu, int hpmn) {
            actions.add("setHpmn(" + cpu + ", " + hpmn + ")");
        }

        @Override
        public void setHostCounterMask(int cpu, long counterMask) {
            actions.add("setHostCounterMask");
        }

        @Override
        public void reschedHostPerf(int cpu, long counterMask) {
            actions.add("reschedHostPerf");
        }

        @Override
        public void setHostAllocationOrder(AllocationOrder order) {
            actions.add("order");
        }

        @Override
        public void setGuestAccess(VcpuView vcpu, GuestAccessMode mode) {
            actions.add("access");
        }

        @Override
        public void noteGuestVisibleN(VcpuView vcpu, int newN) {
            actions.add("n");
        }
    }

    /** A CPU with six counters, as a view; only the fields these tests touch answer. */
    static CpuView cpu(int id) {
        return (CpuView) Proxy.newProxyInstance(
                CpuView.class.getClassLoader(),
                new Class<?>[] {CpuView.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "id" -> id;
                    case "counters" -> 6;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static final AbstractModule CORE = new AbstractModule() {
        @Override
        protected void configure() {}
    };

    @Test
    void buildsThePolicyByConstructorInjectionWithItsSettingsAndContext() {
        PolicyRegistry registry = PolicyRegistry.discover(getClass().getClassLoader());
        SelectedPolicy p =
                SelectedPolicy.select(registry, PolicyKind.ALLOCATION, "test-reserving", Map.of("reserved", 4));
        RunPolicies run = RunPolicies.create(CORE, List.of(p), 7);
        RecordingControl control = new RecordingControl();
        run.allocation().orElseThrow().vcpuLoad(null, cpu(3), control);
        assertThat(control.actions).containsExactly("setHpmn(3, 2)");
        assertThat(run.selection()).isEmpty();
        assertThat(run.selected(PolicyKind.ALLOCATION)).contains(p);
    }

    @Test
    void aThrowingHookBecomesAFailureNamingThePolicyAndTheHook() {
        PolicyRegistry registry = PolicyRegistry.discover(getClass().getClassLoader());
        SelectedPolicy p = SelectedPolicy.select(registry, PolicyKind.ALLOCATION, "test-throwing", Map.of());
        AllocationPolicy policy =
                RunPolicies.create(CORE, List.of(p), 1).allocation().orElseThrow();
        assertThatThrownBy(() -> policy.vcpuLoad(null, cpu(0), new RecordingControl()))
                .isInstanceOf(PolicyFailure.class)
                .hasMessage("policy test-throwing failed in vcpu_load: / by zero")
                .satisfies(e -> assertThat(((PolicyFailure) e).hook()).isEqualTo("vcpu_load"));
        // Hooks it does not implement still work.
        policy.vcpuPut(null, cpu(0), new RecordingControl());
    }

    @Test
    void aRefusedActionBecomesAFailureNamingThePolicyTheRuleAndTheHook() {
        PolicyRegistry registry = PolicyRegistry.discover(getClass().getClassLoader());
        SelectedPolicy p =
                SelectedPolicy.select(registry, PolicyKind.ALLOCATION, "test-reserving", Map.of("reserved", 4));
        AllocationPolicy policy =
                RunPolicies.create(CORE, List.of(p), 1).allocation().orElseThrow();
        RecordingControl refusing = new RecordingControl() {
            @Override
            public void setHpmn(int cpu, int hpmn) {
                throw new ControlRefusedException(
                        "test-reserving", ControlRule.HPMN0, "HPMN " + hpmn + " on CPU " + cpu);
            }
        };
        assertThatThrownBy(() -> policy.vcpuLoad(null, cpu(3), refusing))
                .isInstanceOf(PolicyFailure.class)
                .hasMessage("policy test-reserving broke the rule 'HPMN0' in vcpu_load: HPMN 2 on CPU 3")
                .hasCauseInstanceOf(ControlRefusedException.class)
                .satisfies(e -> {
                    assertThat(((PolicyFailure) e).hook()).isEqualTo("vcpu_load");
                    assertThat(((PolicyFailure) e).rule()).contains(ControlRule.HPMN0);
                    assertThat(((PolicyFailure) e).policy()).isEqualTo("test-reserving");
                });
    }

    @Test
    void aClassWithoutAnInjectConstructorIsRefused() {
        PolicyRegistry registry = PolicyRegistry.discover(getClass().getClassLoader());
        SelectedPolicy p = SelectedPolicy.select(registry, PolicyKind.FILTER, "test-no-inject-constructor", Map.of());
        assertThatThrownBy(() -> RunPolicies.create(CORE, List.of(p), 1))
                .isInstanceOf(PolicyFailure.class)
                .hasMessageContaining("policy test-no-inject-constructor failed in injection")
                .hasMessageContaining("No injectable constructor")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aPolicyFromAJarRunsThroughGuiceInItsOwnLoader() throws Exception {
        Path plugins = work.resolve("plugins");
        TestJars.build(
                work,
                plugins.resolve("ext.jar"),
                TestJars.allocationPlugin("com.example.ext", "ext"),
                "com.example.ext.Descriptor\n");
        PolicyRegistry registry = PolicyRegistry.discover(getClass().getClassLoader(), List.of(plugins));
        SelectedPolicy p = SelectedPolicy.select(registry, PolicyKind.ALLOCATION, "ext", Map.of("hpmn", 5));
        RecordingControl control = new RecordingControl();
        RunPolicies.create(CORE, List.of(p), 1).allocation().orElseThrow().vcpuLoad(null, cpu(1), control);
        assertThat(control.actions).containsExactly("setHpmn(1, 5)");
    }

    /** A jar whose policy's constructor, or static initialiser, throws: Guice's page condensed to one line. */
    private static java.util.Map<String, String> brokenPolicy(String pkg, String name, String policyBody) {
        return java.util.Map.of(pkg + ".Descriptor", """
                package %1$s;

                import com.google.inject.Module;
                import dev.pmulab.api.*;
                import jakarta.inject.Inject;

                public final class Descriptor implements PolicyDescriptor {
                    public String name() { return "%2$s"; }
                    public PolicyKind kind() { return PolicyKind.ALLOCATION; }
                    public String description() { return "breaks while it is built"; }
                    public Module module(Settings settings) {
                        return PolicyDescriptor.bindPolicy(AllocationPolicy.class, Policy.class);
                    }

                    public static final class Policy implements AllocationPolicy {
                        %3$s
                    }
                }
                """.formatted(pkg, name, policyBody));
    }

    @Test
    void aConstructorThatThrowsIsOneLineNamingTheConstructorNotGuicesPage() throws Exception {
        Path plugins = work.resolve("plugins");
        TestJars.build(
                work,
                plugins.resolve("ctor.jar"),
                brokenPolicy(
                        "com.example.ctor",
                        "ctor-throws",
                        "@Inject public Policy() { throw new IllegalStateException(\"no counters for me\"); }"),
                "com.example.ctor.Descriptor\n");
        PolicyRegistry registry = PolicyRegistry.discover(getClass().getClassLoader(), List.of(plugins));
        SelectedPolicy p = SelectedPolicy.select(registry, PolicyKind.ALLOCATION, "ctor-throws", Map.of());
        assertThatThrownBy(() -> RunPolicies.create(CORE, List.of(p), 1))
                .isInstanceOf(PolicyFailure.class)
                .hasMessage("policy ctor-throws failed in injection: constructor of Descriptor$Policy threw "
                        + "IllegalStateException: no counters for me");
    }

    @Test
    void aStaticInitialiserThatThrowsIsOneLineNamingTheInitialiser() throws Exception {
        Path plugins = work.resolve("plugins");
        TestJars.build(
                work,
                plugins.resolve("clinit.jar"),
                brokenPolicy(
                        "com.example.clinit",
                        "clinit-throws",
                        "static { fail(); } static void fail() { throw new IllegalArgumentException(\"bad table\"); }"
                                + " @Inject public Policy() {}"),
                "com.example.clinit.Descriptor\n");
        PolicyRegistry registry = PolicyRegistry.discover(getClass().getClassLoader(), List.of(plugins));
        SelectedPolicy p = SelectedPolicy.select(registry, PolicyKind.ALLOCATION, "clinit-throws", Map.of());
        assertThatThrownBy(() -> RunPolicies.create(CORE, List.of(p), 1))
                .isInstanceOf(PolicyFailure.class)
                .hasMessage("policy clinit-throws failed in injection: static initialiser of Descriptor$Policy threw "
                        + "IllegalArgumentException: bad table");
    }

    @Test
    void twoPoliciesOfOneKindInARunAreRefused() {
        PolicyRegistry registry = PolicyRegistry.discover(getClass().getClassLoader());
        SelectedPolicy a = SelectedPolicy.select(registry, PolicyKind.ALLOCATION, "test-reserving", Map.of());
        SelectedPolicy b = SelectedPolicy.select(registry, PolicyKind.ALLOCATION, "test-throwing", Map.of());
        assertThatThrownBy(() -> RunPolicies.create(CORE, List.of(a, b), 1))
                .hasMessageContaining("two allocation policies in one run: test-reserving and test-throwing");
    }
}
