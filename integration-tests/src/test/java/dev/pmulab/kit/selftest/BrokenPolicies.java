package dev.pmulab.kit.selftest;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.AllocationPolicyDescriptor;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyBehavior;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.SettingsSchema;
import dev.pmulab.api.VcpuView;
import dev.pmulab.sim.plugin.PolicyRegistry;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Allocation policies that each break one rule of the contract on purpose, for the kit's own
 * tests. They are not registered with {@code @AutoService}: a comparison that runs every installed
 * policy must not meet them, so {@link #registry()} adds them to the classpath's policies alone.
 */
final class BrokenPolicies {
    private BrokenPolicies() {}

    /** Every broken descriptor, in the order the registry lists them. */
    static final List<Class<? extends PolicyDescriptor>> ALL = List.of(
            HpmnAboveN.class,
            HpmnZero.class,
            UndeclaredPartition.class,
            ThrowsWhenGuestIsIdle.class,
            InvalidDefault.class,
            LeaksStateAcrossRuns.class,
            SharesCountersWithHost.class,
            VheOnly.class);

    /**
     * The classpath's policies plus the broken ones, through a class loader whose only addition is
     * a service file naming them: the same ServiceLoader path a real plugin takes.
     */
    static PolicyRegistry registry() {
        try {
            Path dir = Files.createTempDirectory("kit-broken-policies");
            Path services = dir.resolve("META-INF/services/" + PolicyDescriptor.class.getName());
            Files.createDirectories(services.getParent());
            Files.writeString(services, ALL.stream().map(Class::getName).collect(Collectors.joining("\n", "", "\n")));
            dir.toFile().deleteOnExit();
            ClassLoader loader = new URLClassLoader(
                    "kit-broken-policies", new URL[] {dir.toUri().toURL()}, BrokenPolicies.class.getClassLoader());
            return PolicyRegistry.discover(loader);
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One allocation policy per descriptor, without settings. */
    abstract static class Broken extends AllocationPolicyDescriptor<Void> {
        Broken(String name, String description, Class<? extends AllocationPolicy> policy) {
            super(name, description, SettingsSchema.none(), policy);
        }
    }

    /** Rule 'HPMN <= N': asks for one guest counter more than CPU 0 has, at boot. */
    public static final class HpmnAboveN extends Broken {
        public HpmnAboveN() {
            super("test-broken-hpmn-above-n", "sets HPMN to N + 1 at boot", Policy.class);
        }

        public static final class Policy implements AllocationPolicy {
            @Inject
            public Policy() {}

            @Override
            public void hostBoot(HostView host, AllocationControl control) {
                control.setHpmn(0, host.cpu(0).counters() + 1);
            }
        }
    }

    /** Rule 'HPMN0': takes every counter from the host at vcpu_load, on CPUs without FEAT_HPMN0. */
    public static final class HpmnZero extends Broken {
        public HpmnZero() {
            super("test-broken-hpmn0", "sets HPMN to 0 at every vcpu_load", Policy.class);
        }

        public static final class Policy implements AllocationPolicy {
            @Inject
            public Policy() {}

            @Override
            public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
                control.setHpmn(cpu.id(), 0);
            }
        }
    }

    /** Rule 'VHE only': partitions at boot on any host, without declaring PARTITIONS_PMU. */
    public static final class UndeclaredPartition extends Broken {
        public UndeclaredPartition() {
            super("test-broken-undeclared-partition", "keeps two counters for the host on every host", Policy.class);
        }

        public static final class Policy implements AllocationPolicy {
            @Inject
            public Policy() {}

            @Override
            public void hostBoot(HostView host, AllocationControl control) {
                for (int cpu = 0; cpu < host.cpuCount(); cpu++) {
                    int n = host.cpu(cpu).counters();
                    if (n > 2) {
                        control.setHpmn(cpu, n - 2);
                    }
                }
            }
        }
    }

    /** Every hook survives: vcpu_put assumes the guest enabled a counter. */
    public static final class ThrowsWhenGuestIsIdle extends Broken {
        public ThrowsWhenGuestIsIdle() {
            super(
                    "test-broken-throws-in-put",
                    "gives back the guest's counters at vcpu_put, assuming it has some",
                    Policy.class);
        }

        public static final class Policy implements AllocationPolicy {
            @Inject
            public Policy() {}

            @Override
            public void vcpuPut(VcpuView vcpu, CpuView cpu, AllocationControl control) {
                // The bug: the highest enabled counter of a guest that enabled none.
                int highest = 63 - Long.numberOfLeadingZeros(vcpu.guestCountersInUse());
                if (highest < 0) {
                    throw new IllegalStateException("vCPU " + vcpu.vcpuId() + " has no counter enabled");
                }
            }
        }
    }

    /** Every setting's default valid: the default fails the policy's own validation. */
    public static final class InvalidDefault extends AllocationPolicyDescriptor<InvalidDefault.Reserved> {
        /** Typed settings whose constructor rejects the declared default. */
        record Reserved(int reservedHostCounters) {
            static final SettingsSchema<Reserved> SCHEMA = SettingsSchema.of(
                    Reserved.class,
                    s -> new Reserved(s.getInt("reserved_host_counters")),
                    SettingSpec.integer("reserved_host_counters", -3, "counters the host keeps"));

            Reserved {
                if (reservedHostCounters < 0) {
                    throw new IllegalArgumentException(
                            "reserved_host_counters must be >= 0, got " + reservedHostCounters);
                }
            }
        }

        public InvalidDefault() {
            super(
                    "test-broken-default-setting",
                    "declares a default its own validation rejects",
                    Reserved.SCHEMA,
                    Policy.class);
        }

        public static final class Policy implements AllocationPolicy {
            @Inject
            public Policy(Reserved settings) {}
        }
    }

    /**
     * Deterministic results: the guest's share comes from a static counter of runs, state that
     * outlives its run as a wall clock or an unseeded Random would, except that two runs in a row
     * certainly differ (the kit's test must not depend on luck).
     */
    public static final class LeaksStateAcrossRuns extends Broken {
        static final AtomicLong RUNS = new AtomicLong();

        public LeaksStateAcrossRuns() {
            super("test-broken-nondeterministic", "partitions by a count of runs kept in a static field", Policy.class);
        }

        public static final class Policy implements AllocationPolicy {
            private final long run = RUNS.getAndIncrement();

            @Inject
            public Policy() {}

            @Override
            public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
                int n = cpu.counters();
                if (n < 2 || !vcpu.pmuEnabled()) {
                    return;
                }
                int hpmn = 1 + (int) (run % (n - 1));
                long hostMask = ((1L << n) - 1) & ~((1L << hpmn) - 1);
                control.reschedHostPerf(cpu.id(), hostMask);
                control.setHpmn(cpu.id(), hpmn);
                control.setGuestAccess(vcpu, GuestAccessMode.DIRECT);
            }

            @Override
            public void vcpuPut(VcpuView vcpu, CpuView cpu, AllocationControl control) {
                if (cpu.counters() >= 2 && vcpu.pmuEnabled()) {
                    control.setHostCounterMask(cpu.id(), (1L << cpu.counters()) - 1);
                }
            }
        }
    }

    /** No isolation breach: gives the guest direct counters but leaves host perf on all of them. */
    public static final class SharesCountersWithHost extends Broken {
        public SharesCountersWithHost() {
            super(
                    "test-broken-shares-counters",
                    "partitions without taking the guest's counters from host perf",
                    Policy.class);
        }

        public static final class Policy implements AllocationPolicy {
            @Inject
            public Policy() {}

            @Override
            public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
                if (cpu.counters() >= 2 && vcpu.pmuEnabled()) {
                    control.setHpmn(cpu.id(), cpu.counters() - 1);
                    control.setGuestAccess(vcpu, GuestAccessMode.DIRECT);
                }
            }
        }
    }

    /** Not broken: a policy that does nothing and does not declare SUPPORTS_NVHE_HOSTS, to be skipped there. */
    public static final class VheOnly extends Broken {
        public VheOnly() {
            super("test-kit-vhe-only", "does nothing, and claims no nVHE support", Policy.class);
        }

        @Override
        public Set<PolicyBehavior> behaviors() {
            return EnumSet.of(PolicyBehavior.SUPPORTS_HETEROGENEOUS_HOSTS);
        }

        public static final class Policy implements AllocationPolicy {
            @Inject
            public Policy() {}
        }
    }

    static Stream<String> names() {
        return Stream.of(
                "test-broken-hpmn-above-n",
                "test-broken-hpmn0",
                "test-broken-undeclared-partition",
                "test-broken-throws-in-put",
                "test-broken-default-setting",
                "test-broken-nondeterministic",
                "test-broken-shares-counters",
                "test-kit-vhe-only");
    }
}
