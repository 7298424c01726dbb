package dev.pmulab.api.testing;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.Settings;
import dev.pmulab.api.SettingsSchema;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * An allocation policy built as the core binds it (its typed settings read through its schema, a
 * {@link PolicyContext} with its name) and booted on a {@link FakeHost} with a {@link RecordingControl}:
 * the set-up every policy's unit test needs.
 *
 * @param <S> the policy's typed settings
 * @param <P> the policy
 */
public final class PolicyFixture<S, P extends AllocationPolicy> {
    /** The PolicyContext the core binds, for tests that build a policy themselves. */
    public record Context(String policyName, long seed) implements PolicyContext {}

    private final String policyName;
    private final SettingsSchema<S> schema;
    private final BiFunction<S, PolicyContext, P> constructor;

    /** For the policy named {@code policyName}, built by {@code constructor} (its {@code @Inject} one). */
    public PolicyFixture(String policyName, SettingsSchema<S> schema, BiFunction<S, PolicyContext, P> constructor) {
        this.policyName = requireNonNull(policyName, "policyName is null");
        this.schema = requireNonNull(schema, "schema is null");
        this.constructor = requireNonNull(constructor, "constructor is null");
    }

    /** The typed settings the core would bind for these values, the rest at their defaults. */
    public static <S> S typed(SettingsSchema<S> schema, Map<String, ?> given) {
        return schema.read(Settings.of(schema.specs(), given));
    }

    /** A new policy with these settings (the rest at their defaults) and seed 1. */
    public P policy(Map<String, ?> settings) {
        return constructor.apply(typed(schema, settings), new Context(policyName, 1));
    }

    /** A new policy with one integer setting (such as {@code reserved_host_counters}) and the rest at their defaults. */
    public P policy(String setting, long value) {
        return policy(Map.of(setting, value));
    }

    /** Runs {@code policy}'s host_boot on {@code host}; the control that recorded it. */
    public RecordingControl boot(P policy, FakeHost host) {
        RecordingControl control = new RecordingControl(host, policyName);
        policy.hostBoot(host, control);
        return control;
    }

    /**
     * A policy set to partition nothing behaves as upstream KVM: on a one-CPU nVHE host (where any
     * partition would be refused, §3.8) it boots, a vCPU loads and is put, no control is called and
     * the vCPU stays emulated.
     */
    public void assertUpstreamEvenOnNvhe(P policy) {
        FakeHost nvhe = new FakeHost(false, new FakeCpu(0, "cortex-a76", 6, false));
        RecordingControl control = boot(policy, nvhe);
        FakeVcpu vcpu = new FakeVcpu(0, 0, 6);
        policy.vcpuLoad(vcpu, nvhe.fakeCpu(0), control);
        policy.vcpuPut(vcpu, nvhe.fakeCpu(0), control);
        assertThat(control.actions).isEmpty();
        assertThat(vcpu.accessMode()).isEqualTo(GuestAccessMode.EMULATED);
    }
}
