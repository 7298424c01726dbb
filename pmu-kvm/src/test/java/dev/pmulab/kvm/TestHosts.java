package dev.pmulab.kvm;

import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuConfig;
import dev.pmulab.hw.PmuVersion;

/** Hosts the tests run on, named for what distinguishes them. */
final class TestHosts {
    /** kvm_vcpu_init.features[0] of a vCPU with a PMU. */
    static final long PMU_FEATURES = 1L << KVM_ARM_VCPU_PMU_V3;

    static final int STALL_SLOT_BACKEND = 0x3d;
    static final int STALL_SLOT_FRONTEND = 0x3e;
    static final int STALL_SLOT = 0x3f;
    /** Two events of the extended common space, one for each PMCEID register's upper half. */
    static final int EXT_EVENT_LOW = 0x4004;

    static final int EXT_EVENT_HIGH = 0x4024;

    /**
     * What the filter selftest needs (INST_RETIRED, CPU_CYCLES, CHAIN, BR_RETIRED) plus the three
     * STALL_SLOT events KVM hides and two extended events; no SW_INCR, which KVM adds.
     */
    static final int[] EVENTS = {
        Events.INST_RETIRED,
        Events.CPU_CYCLES,
        Events.CHAIN,
        Events.BR_RETIRED,
        Events.STALL_FRONTEND,
        Events.STALL_BACKEND,
        STALL_SLOT_BACKEND,
        STALL_SLOT_FRONTEND,
        STALL_SLOT,
        EXT_EVENT_LOW,
        EXT_EVENT_HIGH
    };

    static final int N1_TYPE = 8;
    static final int LITTLE_TYPE = 10;
    static final int BIG_TYPE = 11;
    static final int LITTLE_N = 6;
    static final int BIG_N = 20;

    private TestHosts() {}

    static PmuConfig hardware(int n, PmuVersion version, int... events) {
        return PmuConfig.builder().n(n).version(version).events(events).build();
    }

    /** Four Neoverse N1 CPUs, one PMU with 6 counters, a v6.16+ kernel. */
    static KvmHost.Builder homogeneousBuilder() {
        return KvmHost.builder()
                .pmu(new HostPmuDescriptor(
                        "armv8_neoverse_n1", N1_TYPE, new int[] {0, 1, 2, 3}, hardware(6, PmuVersion.P5, EVENTS)));
    }

    static KvmHost homogeneous() {
        return homogeneousBuilder().build();
    }

    static HostPmuDescriptor little() {
        return new HostPmuDescriptor(
                "armv9_cortex_a520",
                LITTLE_TYPE,
                new int[] {0, 1, 2, 3},
                hardware(LITTLE_N, PmuVersion.P7, Events.INST_RETIRED, Events.CPU_CYCLES, Events.BR_RETIRED));
    }

    static HostPmuDescriptor big() {
        return new HostPmuDescriptor(
                "armv9_cortex_a720", BIG_TYPE, new int[] {4, 5, 6, 7}, hardware(BIG_N, PmuVersion.P7, EVENTS));
    }

    /** LITTLE CPUs 0-3 (6 counters), big CPUs 4-7 (20 counters), LITTLE registered first. */
    static KvmHost.Builder bigLittleBuilder() {
        return KvmHost.builder().pmu(little()).pmu(big());
    }

    static KvmHost bigLittle() {
        return bigLittleBuilder().build();
    }
}
