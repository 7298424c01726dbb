package dev.pmulab.sim.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.VcpuView;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every Guarded* wrapper of {@link RunPolicies} overrides every method of its SPI interface, default
 * ones included: a hook added to the SPI with a default body would otherwise be inherited by the
 * wrapper, which would then run the default instead of the policy's own hook, unguarded and silently.
 */
final class GuardedHooksTest {
    private static List<Class<?>> guards() {
        return Arrays.stream(RunPolicies.class.getDeclaredClasses())
                .filter(c -> c.getSimpleName().startsWith("Guarded"))
                .toList();
    }

    /** The methods of {@code spi} that {@code wrapper} inherits instead of declaring. */
    private static List<String> notOverridden(Class<?> wrapper, Class<?> spi) {
        List<String> inherited = new ArrayList<>();
        for (Method m : spi.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                wrapper.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                inherited.add(m.getName() + (m.isDefault() ? " (default)" : ""));
            }
        }
        return inherited;
    }

    @Test
    void everyKindHasItsGuard() {
        assertThat(guards()).hasSize(PolicyKind.values().length);
        for (PolicyKind kind : PolicyKind.values()) {
            assertThat(guards())
                    .as("a Guarded* wrapper of %s", kind.policyInterface().getSimpleName())
                    .anyMatch(g -> Arrays.asList(g.getInterfaces()).contains(kind.policyInterface()));
        }
    }

    @Test
    void everyGuardOverridesEveryMethodOfItsInterface() {
        for (PolicyKind kind : PolicyKind.values()) {
            Class<?> spi = kind.policyInterface();
            Class<?> guard = guards().stream()
                    .filter(g -> Arrays.asList(g.getInterfaces()).contains(spi))
                    .findFirst()
                    .orElseThrow();
            assertThat(spi.getMethods()).as(spi.getSimpleName()).isNotEmpty();
            assertThat(notOverridden(guard, spi))
                    .as("%s hooks %s leaves unguarded", spi.getSimpleName(), guard.getSimpleName())
                    .isEmpty();
        }
    }

    /** The check can fail: a wrapper that forgets default hooks is caught, each one named. */
    @Test
    void aWrapperThatInheritsDefaultHooksIsCaught() {
        final class Forgetful implements AllocationPolicy {
            @Override
            public void hostBoot(HostView host, AllocationControl control) {}

            @Override
            public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {}
        }
        assertThat(notOverridden(Forgetful.class, AllocationPolicy.class))
                .containsExactlyInAnyOrder(
                        "vcpuPut (default)", "guestAccessOutsideShare (default)", "adminWrite (default)");
    }
}
