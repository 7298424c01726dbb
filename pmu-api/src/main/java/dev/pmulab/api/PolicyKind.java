package dev.pmulab.api;

import java.util.Locale;

/** The three extension points. Each policy is of exactly one kind. */
@Stable(since = "0.1")
public enum PolicyKind {
    /** Who owns which hardware counter, when: {@link AllocationPolicy}. */
    ALLOCATION(AllocationPolicy.class),
    /** Which host PMU backs a VM's virtual PMU on a heterogeneous host: {@link SelectionPolicy}. */
    SELECTION(SelectionPolicy.class),
    /** Which guest event numbers may count: {@link FilterPolicy}. */
    FILTER(FilterPolicy.class);

    private final Class<?> policyInterface;

    PolicyKind(Class<?> policyInterface) {
        this.policyInterface = policyInterface;
    }

    /** The interface a policy of this kind binds in its Guice module. */
    public Class<?> policyInterface() {
        return policyInterface;
    }

    /** The name scenario files use: {@code allocation}, {@code selection}, {@code filter}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PolicyKind fromConfigName(String name) {
        for (PolicyKind k : values()) {
            if (k.configName().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown policy kind '" + name + "'; known: allocation, selection, filter");
    }
}
