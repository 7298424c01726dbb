package dev.pmulab.policy.composite;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.pmulab.api.CommonEvents;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PmuVer;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.Settings;
import dev.pmulab.api.VcpuView;
import dev.pmulab.api.testing.FakeVm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/** Small hand-written fakes of the views the engine passes, and a VMM that records what a policy does. */
final class Fakes {
    private Fakes() {}

    /** One core type of a fake host: its PMU, counters and CPUs. */
    record CoreType(String coreType, String pmuName, int counters, int[] cpus) {}

    /** {@code count} CPUs from {@code firstCpu} with PMU {@code pmuName} ({@code armv8_cortex_a55}). */
    static CoreType cores(String pmuName, int counters, int firstCpu, int count) {
        String coreType = pmuName.substring(pmuName.indexOf('_') + 1).replace('_', '-');
        return new CoreType(
                coreType,
                pmuName,
                counters,
                IntStream.range(firstCpu, firstCpu + count).toArray());
    }

    /** A host whose PMUs are listed in the order given (KVM's registration order). */
    static final class FakeHost implements HostView {
        private final List<CoreType> types;
        private final Map<Integer, CoreType> byCpu = new HashMap<>();

        FakeHost(CoreType... types) {
            this.types = List.of(types);
            for (CoreType t : types) {
                for (int c : t.cpus()) {
                    byCpu.put(c, t);
                }
            }
        }

        @Override
        public long now() {
            return 0;
        }

        @Override
        public int cpuCount() {
            return byCpu.size();
        }

        @Override
        public CpuView cpu(int cpu) {
            CoreType t = byCpu.get(cpu);
            if (t == null) {
                throw new IllegalArgumentException("no CPU " + cpu);
            }
            return new FakeCpu(cpu, t);
        }

        @Override
        public boolean vhe() {
            return true;
        }

        @Override
        public List<String> pmuNames() {
            return types.stream().map(CoreType::pmuName).toList();
        }

        @Override
        public int[] pmuCpus(String pmuName) {
            return types.stream()
                    .filter(t -> t.pmuName().equals(pmuName))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no PMU " + pmuName))
                    .cpus()
                    .clone();
        }
    }

    record FakeCpu(int id, CoreType type) implements CpuView {
        @Override
        public String coreType() {
            return type.coreType();
        }

        @Override
        public String pmuName() {
            return type.pmuName();
        }

        @Override
        public int counters() {
            return type.counters();
        }

        @Override
        public PmuVer pmuVersion() {
            return PmuVer.V3P5;
        }

        @Override
        public CommonEvents commonEvents() {
            return new CommonEvents(1L << 0x11, 0);
        }

        @Override
        public boolean fgt() {
            return false;
        }

        @Override
        public boolean hpmn0() {
            return false;
        }

        @Override
        public int hpmn() {
            return type.counters();
        }

        @Override
        public long hostCounterMask() {
            return (1L << 31) | ((1L << type.counters()) - 1);
        }

        @Override
        public long hostCountersInUse() {
            return 0;
        }

        @Override
        public long hostPinnedCounters() {
            return 0;
        }

        @Override
        public Optional<VcpuView> loadedVcpu() {
            return Optional.empty();
        }
    }

    static FakeVm vm(int initCpu, int... allowedCpus) {
        return FakeVm.linux(initCpu, allowedCpus);
    }

    record Context(String policyName, long seed) implements PolicyContext {}

    static Settings settings(PolicyDescriptor d, Map<String, ?> given) {
        return Settings.of(d.settings(), given);
    }

    /**
     * The policy as the engine builds it: an injector binding Settings and PolicyContext, the
     * descriptor's module, constructor injection only.
     */
    static Object instantiate(PolicyDescriptor d, Settings settings) {
        Injector injector = Guice.createInjector(
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        binder().requireAtInjectOnConstructors();
                        binder().disableCircularProxies();
                        bind(Settings.class).toInstance(settings);
                        bind(PolicyContext.class).toInstance(new Context(d.name(), 1));
                    }
                },
                d.module(settings));
        return injector.getInstance(d.kind().policyInterface());
    }
}
