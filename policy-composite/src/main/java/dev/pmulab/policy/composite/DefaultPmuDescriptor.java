package dev.pmulab.policy.composite;

import com.google.auto.service.AutoService;
import com.google.inject.Module;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SelectionPolicy;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import java.util.List;

/**
 * {@code default-pmu}: today's upstream default, KVM's PMU of the CPU the vCPU was initialised on
 * (kvm-vpmu-uapi.md §2.6, partitioning-and-policies.md §6.6). docs/policies/default-pmu.md.
 */
@AutoService(PolicyDescriptor.class)
public final class DefaultPmuDescriptor implements PolicyDescriptor {
    public static final String NAME = "default-pmu";
    public static final String NR_COUNTERS = NrCounters.NAME;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PolicyKind kind() {
        return PolicyKind.SELECTION;
    }

    @Override
    public String description() {
        return "KVM's default PMU (that of the CPU where the vCPU is initialised); vCPUs run anywhere and "
                + "their counters stop on CPUs of another type";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(NrCounters.SPEC);
    }

    @Override
    public List<String> validate(Settings settings) {
        return NrCounters.validate(settings);
    }

    @Override
    public Module module(Settings settings) {
        return PolicyDescriptor.bindPolicy(SelectionPolicy.class, DefaultPmuPolicy.class);
    }
}
