package dev.pmulab.policy.composite;

import com.google.auto.service.AutoService;
import com.google.inject.Module;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SelectionPolicy;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code set-pmu}: the VMM chooses the VM's PMU with KVM_ARM_VCPU_PMU_V3_SET_PMU, which confines
 * the VM to that PMU's CPUs (kvm-vpmu-uapi.md §1.4, partitioning-and-policies.md §6.6).
 * docs/policies/set-pmu.md.
 */
@AutoService(PolicyDescriptor.class)
public final class SetPmuDescriptor implements PolicyDescriptor {
    public static final String NAME = "set-pmu";

    public static final String PMU = "pmu";
    public static final String PIN_VCPUS = "pin_vcpus";
    public static final String NR_COUNTERS = NrCounters.NAME;

    /** The {@code pmu} value that picks the PMU covering most of the VM's CPUs. */
    public static final String LARGEST = "largest";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PolicyKind kind() {
        return PolicyKind.SELECTION;
    }

    @Override
    public String description() {
        return "the VMM sets the VM's PMU (SET_PMU) and pins its vCPUs to that PMU's CPUs; a vCPU elsewhere "
                + "fails entry";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.string(PMU, LARGEST, "a host PMU name (armv8_cortex_a76), or largest: the PMU covering "
                        + "most of the VM's CPUs, then most counters, then the host's first"),
                SettingSpec.bool(PIN_VCPUS, true, "the VMM pins the vCPU threads to the PMU's CPUs; false models an "
                        + "unpinned VMM whose vCPUs may run elsewhere and fail entry (CPU_UNSUPPORTED)"),
                NrCounters.SPEC);
    }

    @Override
    public List<String> validate(Settings settings) {
        List<String> problems = new ArrayList<>(NrCounters.validate(settings));
        String pmu = settings.getString(PMU);
        if (!pmu.matches("[A-Za-z0-9_.-]+")) {
            problems.add(PMU + " must be a host PMU name or " + LARGEST + ", not '" + pmu + "'");
        }
        return problems;
    }

    @Override
    public Module module(Settings settings) {
        return PolicyDescriptor.bindPolicy(SelectionPolicy.class, SetPmuPolicy.class);
    }
}
