package dev.pmulab.policy.statichpmn;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import com.google.inject.Module;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.PolicyBehavior;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import java.util.List;
import java.util.Set;

/**
 * {@code static-hpmn}: the partitioning series' boot-time split (RFC v1 to v6,
 * partitioning-and-policies.md §3.2–3.4 and §6.2). Documented in docs/policies/static-hpmn.md.
 */
@AutoService(PolicyDescriptor.class)
public final class StaticHpmnDescriptor implements PolicyDescriptor {
    public static final String NAME = "static-hpmn";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PolicyKind kind() {
        return PolicyKind.ALLOCATION;
    }

    @Override
    public String description() {
        return "boot-time MDCR_EL2.HPMN split: the host keeps reserved_host_counters on every CPU for good,"
                + " guests get the counters below HPMN and PMCCNTR with direct access";
    }

    @Override
    public List<SettingSpec> settings() {
        return StaticHpmnSettings.SPECS;
    }

    @Override
    public List<String> validate(Settings settings) {
        return StaticHpmnSettings.validate(settings);
    }

    /** It partitions the PMU, so an nVHE host refuses it with the rule 'VHE only'. */
    @Override
    public Set<PolicyBehavior> behaviors() {
        return PolicyBehavior.defaultsAnd(PolicyBehavior.PARTITIONS_PMU);
    }

    @Override
    public Module module(Settings settings) {
        requireNonNull(settings, "settings is null");
        return PolicyDescriptor.bindPolicy(AllocationPolicy.class, StaticHpmnPolicy.class);
    }
}
