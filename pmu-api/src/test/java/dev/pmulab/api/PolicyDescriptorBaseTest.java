package dev.pmulab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.pmulab.api.testing.FakeHost;
import dev.pmulab.api.testing.FakeVm;
import dev.pmulab.api.testing.RecordingVmm;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-kind descriptor bases: a schema's typed settings reach the policy by injection. */
final class PolicyDescriptorBaseTest {
    /** Typed settings whose constructor is the one check: {@code share} 0..N, at most {@code cap}. */
    record ShareSettings(int share, int cap) {
        static final SettingsSchema<ShareSettings> SCHEMA = SettingsSchema.of(
                ShareSettings.class,
                s -> new ShareSettings(s.getInt("share"), s.getInt("cap")),
                SettingSpec.integer("share", 2, "event counters a guest gets"),
                SettingSpec.integer("cap", 31, "the most it may grow to"));

        ShareSettings {
            if (share < 0 || share > cap) {
                throw new IllegalArgumentException("share must be 0.." + cap + ", not " + share);
            }
        }
    }

    static final class SharePolicy implements AllocationPolicy {
        final ShareSettings settings;
        final String name;

        @Inject
        SharePolicy(ShareSettings settings, PolicyContext context) {
            this.settings = settings;
            this.name = context.policyName();
        }
    }

    static final class ShareDescriptor extends AllocationPolicyDescriptor<ShareSettings> {
        ShareDescriptor() {
            super("share", "gives guests a share", ShareSettings.SCHEMA, SharePolicy.class);
        }
    }

    static final class NothingPolicy implements FilterPolicy {
        @Inject
        NothingPolicy() {}
    }

    static final class NothingDescriptor extends FilterPolicyDescriptor<Void> {
        NothingDescriptor() {
            super("nothing", "sets no filter", SettingsSchema.none(), NothingPolicy.class);
        }
    }

    private record Context(String policyName, long seed) implements PolicyContext {}

    /** As the core builds a run's policy: its Settings and context bound, then the descriptor's module. */
    private static Object build(PolicyDescriptor d, Map<String, ?> given) {
        Settings s = Settings.of(d.settings(), given);
        Injector injector = Guice.createInjector(
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        binder().requireAtInjectOnConstructors();
                        bind(Settings.class).toInstance(s);
                        bind(PolicyContext.class).toInstance(new Context(d.name(), 1));
                    }
                },
                d.module(s));
        return injector.getInstance(d.kind().policyInterface());
    }

    @Test
    void theDescriptorIsItsConstructorsArguments() {
        ShareDescriptor d = new ShareDescriptor();
        assertThat(d.name()).isEqualTo("share");
        assertThat(d.kind()).isEqualTo(PolicyKind.ALLOCATION);
        assertThat(d.description()).isEqualTo("gives guests a share");
        assertThat(d.settings()).extracting(SettingSpec::name).containsExactly("share", "cap");
        assertThat(d.behaviors()).isEqualTo(PolicyBehavior.defaults());
        assertThat(new NothingDescriptor().kind()).isEqualTo(PolicyKind.FILTER);
        assertThat(new NothingDescriptor().settings()).isEmpty();
    }

    @Test
    void thePolicyInjectsItsTypedSettings() {
        Object policy = build(new ShareDescriptor(), Map.of("share", 4L));
        assertThat(policy).isInstanceOf(SharePolicy.class);
        assertThat(((SharePolicy) policy).settings).isEqualTo(new ShareSettings(4, 31));
        assertThat(((SharePolicy) policy).name).isEqualTo("share");
    }

    @Test
    void aPolicyWithoutSettingsInjectsNone() {
        assertThat(build(new NothingDescriptor(), Map.of())).isInstanceOf(NothingPolicy.class);
    }

    @Test
    void validateReportsWhatTheTypedSettingsReject() {
        ShareDescriptor d = new ShareDescriptor();
        assertThat(d.validate(Settings.of(d.settings(), Map.of()))).isEmpty();
        assertThat(d.validate(Settings.of(d.settings(), Map.of("share", 5L, "cap", 4L))))
                .containsExactly("share must be 0..4, not 5");
        // 2^31 does not fit the record's int: named, not an ArithmeticException.
        assertThat(d.validate(Settings.of(d.settings(), Map.of("cap", 1L << 31))))
                .containsExactly("cap must fit an int, not 2147483648");
    }

    @Test
    void aSchemaRefusesVoidAndAReaderThatReturnsNull() {
        assertThatThrownBy(() -> SettingsSchema.of(Void.class, s -> null))
                .hasMessageContaining("SettingsSchema.none()");
        SettingsSchema<String> broken = SettingsSchema.of(String.class, s -> null);
        assertThatThrownBy(() -> broken.read(Settings.defaults(broken.specs())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned null");
    }

    @Test
    void theDefaultFilterHookSetsEveryFilterInOrderAndStopsAtAnErrno() {
        FilterPolicy twoFilters = new FilterPolicy() {
            @Override
            public List<EventFilter> eventFilters(VmView vm, HostView host) {
                return List.of(EventFilter.deny(0x10, 16), EventFilter.allow(0x4005, 1));
            }
        };
        // KVM on a 1024-event host refuses a range past it with -EINVAL (kvm-vpmu-uapi.md §1.3).
        RecordingVmm vmm = new RecordingVmm().answer("setEventFilter(allow:0x4005)", -Errno.EINVAL);
        FakeVm vm = FakeVm.linux(0, 0);
        assertThatThrownBy(() -> twoFilters.configureVm(vm, FakeHost.vhe(1, 6, true), vmm))
                .hasMessage("VM vm0: KVM_ARM_VCPU_PMU_V3_FILTER(allow:0x4005) returned -EINVAL");
        assertThat(vmm.calls).containsExactly("setEventFilter(deny:0x0010-0x001f)", "setEventFilter(allow:0x4005)");
        RecordingVmm untouched = new RecordingVmm();
        new FilterPolicy() {}.configureVm(vm, FakeHost.vhe(1, 6, true), untouched);
        assertThat(untouched.calls).as("no filter at all by default").isEmpty();
    }
}
