package dev.pmulab.policy.composite;

import dev.pmulab.api.Errno;
import java.util.Map;

/**
 * The vCPU device attributes (group KVM_ARM_VCPU_PMU_V3_CTRL) these policies set, with what each
 * errno means for that attribute, from kvm-vpmu-uapi.md §1.4, §1.5 and §1.7/§4.4.
 */
public enum KvmPmuAttribute {
    SET_PMU(
            "KVM_ARM_VCPU_PMU_V3_SET_PMU",
            Map.of(
                    Errno.EBUSY,
                            "PMU INIT already done on a vCPU, a vCPU already ran, an event filter is set and this "
                                    + "PMU differs from the VM's, or FIXED_COUNTERS_ONLY is set (§1.4)",
                    Errno.ENXIO, "KVM has no host PMU of that perf type (§1.4)",
                    Errno.ENODEV, "the vCPU has no PMUv3 feature")),
    SET_NR_COUNTERS(
            "KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS",
            Map.of(
                    Errno.EINVAL, "more counters than the VM's PMU has, or no PMU chosen (§1.5)",
                    Errno.EBUSY, "PMU INIT already done on a vCPU (§1.5)",
                    Errno.ENXIO, "the kernel does not know the attribute (it came with ~v6.16)",
                    Errno.ENODEV, "the vCPU has no PMUv3 feature")),
    FIXED_COUNTERS_ONLY(
            "KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY",
            Map.of(
                    Errno.EBUSY,
                            "a vCPU already ran, PMU INIT already done, an event filter is set, or SET_PMU was used: "
                                    + "FIXED_COUNTERS_ONLY excludes FILTER and SET_PMU (Odaki v8, §1.7, §4.4)",
                    Errno.ENXIO, "the kernel does not know attribute 5 (FIXED_COUNTERS_ONLY is an unmerged RFC)",
                    Errno.ENODEV, "the vCPU has no PMUv3 feature"));

    private final String kernelName;
    private final Map<Integer, String> reasons;

    KvmPmuAttribute(String kernelName, Map<Integer, String> reasons) {
        this.kernelName = kernelName;
        this.reasons = reasons;
    }

    /** The uapi name: {@code KVM_ARM_VCPU_PMU_V3_SET_PMU}. */
    public String kernelName() {
        return kernelName;
    }

    /** What a return value means for this attribute, or a plain statement when the reference gives none. */
    public String reason(int ret) {
        String r = reasons.get(-ret);
        return r != null ? r : "not a documented result of this attribute";
    }
}
