package dev.pmulab.sim.plugin;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.EventFilter;
import dev.pmulab.api.FilterPolicy;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SelectionPolicy;
import dev.pmulab.api.Settings;
import dev.pmulab.api.TrappedAccessResolution;
import dev.pmulab.api.VcpuView;
import dev.pmulab.api.VmView;
import dev.pmulab.api.VmmPmuControl;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The policies of one run, built by Guice: a root injector from the core's module, and one child
 * injector per chosen policy (Trino's one injector per configured instance) holding that policy's
 * module, its {@link Settings} and its {@link PolicyContext}. Constructor injection only. Each
 * policy instance comes back wrapped so that every hook is guarded: a throwing policy becomes a
 * {@link PolicyFailure} naming it and the hook.
 */
public final class RunPolicies {
    private final Map<PolicyKind, SelectedPolicy> selected;
    private final AllocationPolicy allocation;
    private final SelectionPolicy selection;
    private final FilterPolicy filter;

    private RunPolicies(
            Map<PolicyKind, SelectedPolicy> selected,
            AllocationPolicy allocation,
            SelectionPolicy selection,
            FilterPolicy filter) {
        this.selected = selected;
        this.allocation = allocation;
        this.selection = selection;
        this.filter = filter;
    }

    /**
     * Builds the run's policies. At most one policy of each kind.
     *
     * @throws PolicyFailure when a policy's module cannot be built or does not bind its interface
     */
    public static RunPolicies create(Module coreModule, List<SelectedPolicy> policies, long seed) {
        requireNonNull(coreModule, "coreModule is null");
        requireNonNull(policies, "policies is null");
        Map<PolicyKind, SelectedPolicy> byKind = new EnumMap<>(PolicyKind.class);
        for (SelectedPolicy p : policies) {
            SelectedPolicy previous = byKind.putIfAbsent(p.kind(), p);
            if (previous != null) {
                throw new IllegalArgumentException("two " + p.kind().configName() + " policies in one run: "
                        + previous.name() + " and " + p.name());
            }
        }
        Injector root = Guice.createInjector(new StrictModule(), coreModule);
        AllocationPolicy a = null;
        SelectionPolicy s = null;
        FilterPolicy f = null;
        for (SelectedPolicy p : byKind.values()) {
            Object instance = instantiate(root, p, seed);
            switch (p.kind()) {
                case ALLOCATION -> a = new GuardedAllocation(p.policy(), (AllocationPolicy) instance);
                case SELECTION -> s = new GuardedSelection(p.policy(), (SelectionPolicy) instance);
                case FILTER -> f = new GuardedFilter(p.policy(), (FilterPolicy) instance);
            }
        }
        return new RunPolicies(byKind, a, s, f);
    }

    private static Object instantiate(Injector root, SelectedPolicy p, long seed) {
        LoadedPolicy lp = p.policy();
        Module policyModule =
                PluginCalls.call(lp, "module", () -> lp.descriptor().module(p.settings()));
        if (policyModule == null) {
            throw new PolicyFailure(lp.name(), "module", new NullPointerException("module(settings) returned null"));
        }
        PolicyContext context = new RunPolicyContext(lp.name(), seed);
        return PluginCalls.call(lp, "injection", () -> {
            Injector child = root.createChildInjector(
                    new StrictModule(),
                    new AbstractModule() {
                        @Override
                        protected void configure() {
                            bind(Settings.class).toInstance(p.settings());
                            bind(PolicyContext.class).toInstance(context);
                        }
                    },
                    policyModule);
            Class<?> iface = lp.kind().policyInterface();
            Object instance = child.getInstance(iface);
            if (!iface.isInstance(instance)) {
                throw new IllegalStateException("its module binds " + iface.getSimpleName() + " to "
                        + instance.getClass().getName() + ", which does not implement it");
            }
            return instance;
        });
    }

    /** The chosen policy of a kind, if any. */
    public Optional<SelectedPolicy> selected(PolicyKind kind) {
        return Optional.ofNullable(selected.get(kind));
    }

    /** The allocation policy, guarded; empty if the run has none. */
    public Optional<AllocationPolicy> allocation() {
        return Optional.ofNullable(allocation);
    }

    public Optional<SelectionPolicy> selection() {
        return Optional.ofNullable(selection);
    }

    public Optional<FilterPolicy> filter() {
        return Optional.ofNullable(filter);
    }

    /** Constructor injection only, and no circular proxies: failures must be plain. */
    private static final class StrictModule extends AbstractModule {
        @Override
        protected void configure() {
            binder().requireAtInjectOnConstructors();
            binder().disableCircularProxies();
        }
    }

    private record RunPolicyContext(String policyName, long seed) implements PolicyContext {}

    /** Hook names are the kernel's, so a failure reads "failed in vcpu_load". */
    private static final class GuardedAllocation implements AllocationPolicy {
        private final LoadedPolicy policy;
        private final AllocationPolicy delegate;

        GuardedAllocation(LoadedPolicy policy, AllocationPolicy delegate) {
            this.policy = policy;
            this.delegate = delegate;
        }

        @Override
        public void hostBoot(HostView host, AllocationControl control) {
            PluginCalls.run(policy, "host_boot", () -> delegate.hostBoot(host, control));
        }

        /** vcpu_load or vcpu_put, given as an unbound method reference: nothing captured, nothing allocated. */
        private interface VcpuHook {
            void call(AllocationPolicy policy, VcpuView vcpu, CpuView cpu, AllocationControl control);
        }

        // vcpu_load, vcpu_put and the outside-share trap run at every switch or trap: no lambda per call.
        @Override
        public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
            vcpuHook("vcpu_load", AllocationPolicy::vcpuLoad, vcpu, cpu, control);
        }

        @Override
        public void vcpuPut(VcpuView vcpu, CpuView cpu, AllocationControl control) {
            vcpuHook("vcpu_put", AllocationPolicy::vcpuPut, vcpu, cpu, control);
        }

        private void vcpuHook(String hook, VcpuHook h, VcpuView vcpu, CpuView cpu, AllocationControl control) {
            ClassLoader previous = PluginCalls.enter(policy, hook);
            try {
                h.call(delegate, vcpu, cpu, control);
            } catch (RuntimeException | Error e) {
                throw PluginCalls.blame(policy, hook, e);
            } finally {
                PluginCalls.exit(previous);
            }
        }

        @Override
        public TrappedAccessResolution guestAccessOutsideShare(
                VcpuView vcpu, CpuView cpu, int counter, AllocationControl control) {
            TrappedAccessResolution r;
            ClassLoader previous = PluginCalls.enter(policy, "guest_access_outside_share");
            try {
                r = delegate.guestAccessOutsideShare(vcpu, cpu, counter, control);
            } catch (RuntimeException | Error e) {
                throw PluginCalls.blame(policy, "guest_access_outside_share", e);
            } finally {
                PluginCalls.exit(previous);
            }
            if (r == null) {
                throw new PolicyFailure(
                        policy.name(),
                        "guest_access_outside_share",
                        new NullPointerException("returned no resolution"));
            }
            return r;
        }

        @Override
        public void adminWrite(String knob, long value, HostView host, AllocationControl control) {
            PluginCalls.run(policy, "admin_write", () -> delegate.adminWrite(knob, value, host, control));
        }
    }

    private static final class GuardedSelection implements SelectionPolicy {
        private final LoadedPolicy policy;
        private final SelectionPolicy delegate;

        GuardedSelection(LoadedPolicy policy, SelectionPolicy delegate) {
            this.policy = policy;
            this.delegate = delegate;
        }

        @Override
        public void configureVm(VmView vm, HostView host, VmmPmuControl vmm) {
            PluginCalls.run(policy, "configure_vm", () -> delegate.configureVm(vm, host, vmm));
        }
    }

    private static final class GuardedFilter implements FilterPolicy {
        private final LoadedPolicy policy;
        private final FilterPolicy delegate;

        GuardedFilter(LoadedPolicy policy, FilterPolicy delegate) {
            this.policy = policy;
            this.delegate = delegate;
        }

        @Override
        public void configureVm(VmView vm, HostView host, VmmPmuControl vmm) {
            PluginCalls.run(policy, "configure_vm", () -> delegate.configureVm(vm, host, vmm));
        }

        @Override
        public List<EventFilter> eventFilters(VmView vm, HostView host) {
            List<EventFilter> filters =
                    PluginCalls.call(policy, "event_filters", () -> delegate.eventFilters(vm, host));
            if (filters == null) {
                throw new PolicyFailure(policy.name(), "event_filters", new NullPointerException("returned null"));
            }
            return List.copyOf(filters);
        }
    }
}
