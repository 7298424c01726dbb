package dev.pmulab.policy.filter;

import java.util.Arrays;
import java.util.List;

/**
 * The host's PMU version as the {@code host_pmuver} setting names it (the short names pmuscript
 * and scenarios use), with its ID_AA64DFR0_EL1.PMUVer encoding. The SPI's HostView does not carry
 * it, and it decides KVM's filter event space (kvm-vpmu-uapi.md §1.3).
 */
enum HostPmuVersion {
    V3("v3", 0b0001),
    P1("p1", 0b0100),
    P4("p4", 0b0101),
    P5("p5", 0b0110),
    P7("p7", 0b0111),
    P8("p8", 0b1000),
    P9("p9", 0b1001);

    private final String shortName;
    private final int pmuVer;

    HostPmuVersion(String shortName, int pmuVer) {
        this.shortName = shortName;
        this.pmuVer = pmuVer;
    }

    String shortName() {
        return shortName;
    }

    /** ID_AA64DFR0_EL1.PMUVer. */
    int pmuVer() {
        return pmuVer;
    }

    /** KVM's filter event space on such a host: 1024 or 65536 events. */
    int nrEvents() {
        return KvmPmuEventFilterModel.nrEvents(pmuVer);
    }

    static List<String> shortNames() {
        return Arrays.stream(values()).map(HostPmuVersion::shortName).toList();
    }

    static HostPmuVersion fromShortName(String name) {
        for (HostPmuVersion v : values()) {
            if (v.shortName.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown PMU version '" + name + "'; known: " + shortNames());
    }
}
