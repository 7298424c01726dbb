package dev.pmulab.policy.composite;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.Settings;
import dev.pmulab.api.VcpuView;
import dev.pmulab.api.VmView;
import dev.pmulab.api.VmmPmuControl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
        return new CoreType(coreType, pmuName, counters, IntStream.range(firstCpu, firstCpu + count).toArray());
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
            return types.stream().filter(t -> t.pmuName().equals(pmuName)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no PMU " + pmuName)).cpus().clone();
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

    record FakeVm(String vmName, int vmId, int vcpuCount, String guestOs, int initCpu, int[] allowedCpus)
            implements VmView {
        @Override
        public int[] allowedCpus() {
            return allowedCpus.clone();
        }
    }

    static FakeVm vm(int initCpu, int... allowedCpus) {
        return new FakeVm("vm0", 1, 2, "linux", initCpu, allowedCpus);
    }

    /**
     * Records each call as text ({@code setPmu(armv8_cortex_a55)}, {@code pinVcpus([0, 1])}) and
     * answers with scripted return values, 0 when none is scripted.
     */
    static final class RecordingVmm implements VmmPmuControl {
        final List<String> calls = new ArrayList<>();
        private final Map<String, Deque<Integer>> script = new LinkedHashMap<>();

        /** The next {@code call} returns {@code ret}. */
        RecordingVmm answer(String call, int ret) {
            script.computeIfAbsent(call, k -> new ArrayDeque<>()).add(ret);
            return this;
        }

        private int record(String call) {
            calls.add(call);
            Deque<Integer> q = script.get(call);
            return q == null || q.isEmpty() ? 0 : q.poll();
        }

        @Override
        public int setPmu(String pmuName) {
            return record("setPmu(" + pmuName + ")");
        }

        @Override
        public int setNrCounters(int counters) {
            return record("setNrCounters(" + counters + ")");
        }

        @Override
        public int setFixedCountersOnly() {
            return record("setFixedCountersOnly()");
        }

        @Override
        public void pinVcpus(int[] cpus) {
            record("pinVcpus(" + Arrays.toString(cpus) + ")");
        }
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
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                binder().requireAtInjectOnConstructors();
                binder().disableCircularProxies();
                bind(Settings.class).toInstance(settings);
                bind(PolicyContext.class).toInstance(new Context(d.name(), 1));
            }
        }, d.module(settings));
        return injector.getInstance(d.kind().policyInterface());
    }
}
