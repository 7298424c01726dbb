package dev.pmulab.api;

/** {@code KVM_PMU_EVENT_ALLOW} (0) or {@code KVM_PMU_EVENT_DENY} (1). */
@Stable(since = "0.1")
public enum FilterAction {
    ALLOW,
    DENY
}
