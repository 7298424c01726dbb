package dev.pmulab.sim.plugin;

import com.google.auto.service.AutoService;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.EventFilter;
import dev.pmulab.api.FilterPolicy;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import dev.pmulab.api.VcpuView;
import dev.pmulab.api.VmView;
import jakarta.inject.Inject;
import java.util.List;

/** Policies on the test classpath, registered with @AutoService exactly as built-in ones are. */
final class TestPolicies {
    private TestPolicies() {}

    @AutoService(PolicyDescriptor.class)
    public static final class ReservingDescriptor implements PolicyDescriptor {
        @Override
        public String name() {
            return "test-reserving";
        }

        @Override
        public PolicyKind kind() {
            return PolicyKind.ALLOCATION;
        }

        @Override
        public String description() {
            return "sets HPMN to N minus reserved at vcpu_load";
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                    SettingSpec.integer("reserved", 2, "counters kept for the host"),
                    SettingSpec.bool("top_down", false, "host allocates from the top"),
                    SettingSpec.choice("mode", "strict", List.of("strict", "loose"), "how strict"),
                    SettingSpec.integerList("cpus", List.of(), "CPUs it applies to; empty for all"));
        }

        @Override
        public List<String> validate(Settings settings) {
            return settings.getLong("reserved") < 0 ? List.of("reserved must be >= 0") : List.of();
        }

        @Override
        public Module module(Settings settings) {
            return new AbstractModule() {
                @Override
                protected void configure() {
                    bind(AllocationPolicy.class).to(ReservingPolicy.class);
                }
            };
        }
    }

    public static final class ReservingPolicy implements AllocationPolicy {
        private final int reserved;
        private final String name;

        @Inject
        public ReservingPolicy(Settings settings, PolicyContext context) {
            this.reserved = settings.getInt("reserved");
            this.name = context.policyName();
        }

        @Override
        public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
            if (!name.equals("test-reserving")) {
                throw new IllegalStateException("context names " + name);
            }
            control.setHpmn(cpu.id(), cpu.counters() - reserved);
        }
    }

    @AutoService(PolicyDescriptor.class)
    public static final class ThrowingDescriptor implements PolicyDescriptor {
        @Override
        public String name() {
            return "test-throwing";
        }

        @Override
        public PolicyKind kind() {
            return PolicyKind.ALLOCATION;
        }

        @Override
        public String description() {
            return "throws at vcpu_load";
        }

        @Override
        public Module module(Settings settings) {
            return new AbstractModule() {
                @Override
                protected void configure() {
                    bind(AllocationPolicy.class).to(ThrowingPolicy.class);
                }
            };
        }
    }

    public static final class ThrowingPolicy implements AllocationPolicy {
        @Inject
        public ThrowingPolicy() {}

        @Override
        public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
            throw new ArithmeticException("/ by zero");
        }
    }

    @AutoService(PolicyDescriptor.class)
    public static final class FieldInjectedDescriptor implements PolicyDescriptor {
        @Override
        public String name() {
            return "test-no-inject-constructor";
        }

        @Override
        public PolicyKind kind() {
            return PolicyKind.FILTER;
        }

        @Override
        public String description() {
            return "binds a class without an @Inject constructor";
        }

        @Override
        public Module module(Settings settings) {
            return new AbstractModule() {
                @Override
                protected void configure() {
                    bind(FilterPolicy.class).to(NoInjectConstructor.class);
                }
            };
        }
    }

    public static final class NoInjectConstructor implements FilterPolicy {
        @Override
        public List<EventFilter> eventFilters(VmView vm, HostView host) {
            return List.of();
        }
    }
}
