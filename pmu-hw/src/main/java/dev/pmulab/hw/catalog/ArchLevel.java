package dev.pmulab.hw.catalog;

import dev.pmulab.hw.PmuVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * The Arm architecture level a core implements, and what that level makes mandatory or rules out
 * for the PMU (pmuv3-architecture.md §3). An Armv9.x core includes Armv8.(x+5): v9.0 has the v8.5
 * features, v9.2 the v8.7 ones.
 */
public enum ArchLevel {
    V8_0("v8.0", 0, false),
    V8_2("v8.2", 2, false),
    V8_4("v8.4", 4, false),
    V8_6("v8.6", 6, false),
    V9_0("v9.0", 5, true),
    V9_2("v9.2", 7, true);

    private final String shortName;
    private final int v8Minor;
    private final boolean v9;

    ArchLevel(String shortName, int v8Minor, boolean v9) {
        this.shortName = shortName;
        this.v8Minor = v8Minor;
        this.v9 = v9;
    }

    /** {@code v8.0}, {@code v8.2}, ... {@code v9.2}. */
    public String shortName() {
        return shortName;
    }

    /** The lowest PMU version this level allows: PMUv3p1 from v8.1, p4 from v8.4, p5 from v8.5, p7 from v8.7. */
    public PmuVersion mandatoryPmuVersion() {
        if (v8Minor >= 7) {
            return PmuVersion.P7;
        } else if (v8Minor >= 5) {
            return PmuVersion.P5;
        } else if (v8Minor >= 4) {
            return PmuVersion.P4;
        } else if (v8Minor >= 1) {
            return PmuVersion.P1;
        }
        return PmuVersion.V3;
    }

    /** FEAT_FGT and FEAT_HPMN0 are optional from v8.5; before it they cannot be implemented. */
    public boolean fgtAndHpmn0Permitted() {
        return v8Minor >= 5;
    }

    /** FEAT_FGT is mandatory from v8.6 on a PE with EL2 (every PE the model has). */
    public boolean fgtMandatory() {
        return v8Minor >= 6;
    }

    /** FEAT_BRBE is optional from v9.1 (pmuv3-architecture.md §3); no Armv8 core has it. */
    public boolean brbePermitted() {
        return v9 && v8Minor >= 6;
    }

    /**
     * The ways a combination of PMU features contradicts this level. Empty for every catalog entry;
     * an override may produce some, which a scenario can report or reject.
     */
    public List<String> violations(PmuVersion version, boolean fgt, boolean hpmn0, boolean brbe) {
        List<String> v = new ArrayList<>();
        if (!version.atLeast(mandatoryPmuVersion())) {
            v.add(shortName + " requires at least " + CpuModel.pmuVersionName(mandatoryPmuVersion()) + ", not "
                    + CpuModel.pmuVersionName(version));
        }
        if (fgt && !fgtAndHpmn0Permitted()) {
            v.add("FEAT_FGT is optional only from v8.5, not in " + shortName);
        }
        if (!fgt && fgtMandatory()) {
            v.add("FEAT_FGT is mandatory in " + shortName + " with EL2");
        }
        if (hpmn0 && !fgtAndHpmn0Permitted()) {
            v.add("FEAT_HPMN0 is optional only from v8.5, not in " + shortName);
        }
        if (brbe && !brbePermitted()) {
            v.add("FEAT_BRBE is optional only from v9.1, not in " + shortName);
        }
        return v;
    }
}
