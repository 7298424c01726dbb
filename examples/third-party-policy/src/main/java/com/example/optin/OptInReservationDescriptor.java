package com.example.optin;

import com.google.auto.service.AutoService;
import dev.pmulab.api.AllocationPolicyDescriptor;
import dev.pmulab.api.PolicyBehavior;
import dev.pmulab.api.PolicyDescriptor;
import java.util.Set;

/**
 * Reserves guest counters only for VMs that asked for a partitioned PMU; every other VM keeps
 * KVM's emulated PMU and the host keeps all its counters while they run.
 */
@AutoService(PolicyDescriptor.class)
public final class OptInReservationDescriptor extends AllocationPolicyDescriptor<OptInReservationSettings> {
    public static final String NAME = "opt-in-reservation";

    public OptInReservationDescriptor() {
        super(NAME, "gives guest counters only to VMs that opted in, for as long as one of their vCPUs is loaded",
                OptInReservationSettings.SCHEMA, OptInReservationPolicy.class);
    }

    /** It partitions on a VHE host; on an nVHE host it keeps every VM emulated instead of being refused. */
    @Override
    public Set<PolicyBehavior> behaviors() {
        return PolicyBehavior.defaultsAnd(PolicyBehavior.PARTITIONS_PMU);
    }
}
