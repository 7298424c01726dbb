package dev.pmulab.policy.composite;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.SettingsSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed settings of {@code set-pmu}; its constructor is the one place they are checked.
 *
 * @param pmu a host PMU name, or {@link #LARGEST}
 * @param pinVcpus whether the VMM pins the vCPU threads to the PMU's CPUs
 * @param nrCounters the guest's PMCR_EL0.N through SET_NR_COUNTERS, or -1 to leave it alone
 */
public record SetPmuSettings(String pmu, boolean pinVcpus, int nrCounters) {
    public static final String PMU = "pmu";
    public static final String PIN_VCPUS = "pin_vcpus";

    /** The {@code pmu} value that picks the PMU covering most of the VM's CPUs. */
    public static final String LARGEST = "largest";

    public static final SettingsSchema<SetPmuSettings> SCHEMA = SettingsSchema.of(
            SetPmuSettings.class,
            s -> new SetPmuSettings(s.getString(PMU), s.getBoolean(PIN_VCPUS), s.getInt(NrCounters.NAME)),
            SettingSpec.string(
                    PMU,
                    LARGEST,
                    "a host PMU name (armv8_cortex_a76), or largest: the PMU covering "
                            + "most of the VM's CPUs, then most counters, then the host's first"),
            SettingSpec.bool(
                    PIN_VCPUS,
                    true,
                    "the VMM pins the vCPU threads to the PMU's CPUs; false models an "
                            + "unpinned VMM whose vCPUs may run elsewhere and fail entry (CPU_UNSUPPORTED)"),
            NrCounters.SPEC);

    public SetPmuSettings {
        requireNonNull(pmu, "pmu is null");
        List<String> problems = new ArrayList<>();
        String nr = NrCounters.problem(nrCounters);
        if (nr != null) {
            problems.add(nr);
        }
        if (!pmu.matches("[A-Za-z0-9_.-]+")) {
            problems.add(PMU + " must be a host PMU name or " + LARGEST + ", not '" + pmu + "'");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }
}
