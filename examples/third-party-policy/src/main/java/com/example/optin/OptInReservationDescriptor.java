package com.example.optin;

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
 * Reserves guest counters only for VMs that asked for a partitioned PMU; every other VM keeps
 * KVM's emulated PMU and the host keeps all its counters while they run.
 */
@AutoService(PolicyDescriptor.class)
public final class OptInReservationDescriptor implements PolicyDescriptor {
    public static final String NAME = "opt-in-reservation";

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
        return "gives guest counters only to VMs that opted in, for as long as one of their vCPUs is loaded";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(SettingSpec.integer("guest_counters", 4, "event counters an opted-in guest gets, at most N"));
    }

    @Override
    public List<String> validate(Settings settings) {
        long n = settings.getLong("guest_counters");
        return n < 0 || n > 31 ? List.of("guest_counters must be 0..31, got " + n) : List.of();
    }

    /** It partitions on a VHE host; on an nVHE host it keeps every VM emulated instead of being refused. */
    @Override
    public Set<PolicyBehavior> behaviors() {
        return PolicyBehavior.defaultsAnd(PolicyBehavior.PARTITIONS_PMU);
    }

    @Override
    public Module module(Settings settings) {
        return PolicyDescriptor.bindPolicy(AllocationPolicy.class, OptInReservationPolicy.class);
    }
}
