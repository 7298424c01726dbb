package dev.pmulab.kvm;

import static dev.pmulab.kvm.KvmUapi.ARMV8_PMU_CYCLE_IDX;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import java.util.List;
import java.util.Optional;

/**
 * What KVM decided for a VM's virtual PMU, read-only and live: the backing host PMU (or, in
 * FIXED_COUNTERS_ONLY, every host PMU), the guest's PMCR_EL0.N, the CPUs its vCPUs may enter on,
 * the event filter and the guest's PMCEID0/1. The emulated vPMU reads it to create and place perf
 * events; the simulator reads it for reports. Reads do not allocate except where a method returns
 * a collection or an Optional.
 */
public final class VmPmuView {
    /** {@link #perfEventConfig}'s answer when a counter gets no perf event. */
    public static final int NO_PERF_EVENT = -1;

    // PMCEID bits KVM forces (§2.5): SW_INCR and CHAIN on in PMCEID0; STALL_SLOT_* off in PMCEID1.
    private static final long PMCEID0_FORCED_ON = (1L << Events.SW_INCR) | (1L << Events.CHAIN);
    private static final long PMCEID1_FORCED_OFF = 0x7L << (0x3d - 0x20);
    private static final PmuVersion[] VERSIONS = PmuVersion.values();

    private final Vm kvm;

    VmPmuView(Vm kvm) {
        this.kvm = kvm;
    }

    /** kvm->arch.arm_pmu: the default PMU chosen at the first KVM_ARM_VCPU_INIT, or SET_PMU's. */
    public Optional<HostPmuDescriptor> armPmu() {
        return Optional.ofNullable(kvm.armPmu);
    }

    /** Whether userspace chose the PMU with SET_PMU (KVM_ARCH_FLAG_PMU_V3_EXPLICIT). */
    public boolean pmuExplicit() {
        return kvm.pmuV3Explicit;
    }

    /** Whether FIXED_COUNTERS_ONLY is set (§4.4): no event counters, the cycle counter on any PMU. */
    public boolean fixedCountersOnly() {
        return kvm.pmuV3FixedCountersOnly;
    }

    /**
     * The host PMUs guest counters can count on: every host PMU in FIXED_COUNTERS_ONLY (the
     * composite set), otherwise the chosen PMU alone (empty before any vCPU is initialised).
     */
    public List<HostPmuDescriptor> backingPmus() {
        if (kvm.pmuV3FixedCountersOnly) {
            return kvm.host().pmus();
        }
        return kvm.armPmu == null ? List.of() : List.of(kvm.armPmu);
    }

    /**
     * The host PMU whose perf event counts for a vCPU while it runs on {@code cpu}: in
     * FIXED_COUNTERS_ONLY the PMU of that CPU (the event follows the vCPU, §4.4); otherwise the
     * chosen PMU if it covers the CPU. Empty means guest counters silently stop there (the default
     * PMU's ABI, §2.6); with SET_PMU the vCPU cannot enter there at all.
     */
    public Optional<HostPmuDescriptor> pmuForCpu(int cpu) {
        if (kvm.pmuV3FixedCountersOnly) {
            return kvm.host().firstPmuCovering(cpu);
        }
        return kvm.armPmu != null && kvm.armPmu.covers(cpu) ? Optional.of(kvm.armPmu) : Optional.empty();
    }

    /** kvm->arch.nr_pmu_counters: the guest's PMCR_EL0.N. */
    public int nrCounters() {
        return kvm.nrPmuCounters;
    }

    /** kvm_arm_pmu_get_max_counters(): the most SET_NR_COUNTERS or PMCR_EL0.N accepts (0 before a PMU is chosen). */
    public int maxCounters() {
        return kvm.armPmu == null ? 0 : kvm.maxCounters();
    }

    /** Whether a vCPU may enter the guest on {@code cpu} (kvm->arch.supported_cpus). */
    public boolean supportsCpu(int cpu) {
        return kvm.supportedCpus.get(cpu);
    }

    /** kvm->arch.supported_cpus, ascending. */
    public int[] supportedCpus() {
        return kvm.supportedCpus.stream().toArray();
    }

    /** The event filter, if userspace set one. */
    public Optional<PmuFilter> filter() {
        return Optional.ofNullable(kvm.pmuFilter);
    }

    /** Whether the filter lets {@code event} count: true without a filter, else its bit (§1.3). */
    public boolean eventAllowed(int event) {
        return kvm.pmuFilter == null || kvm.pmuFilter.allows(event);
    }

    /**
     * The guest's ID_AA64DFR0_EL1.PMUVer, VM-wide: the host's limit (kvm_arm_pmu_get_pmuver_limit,
     * §1.3) from the first KVM_ARM_VCPU_INIT, or the lower value userspace wrote before the VM
     * first ran; 0 without a PMU (and before any vCPU is initialised).
     */
    public int pmuVer() {
        return IdAa64dfr0.pmuVer(kvm.idAa64dfr0);
    }

    /**
     * The guest's PMU version, {@link #pmuVer()} as a {@link PmuVersion}; null when PMUVer is 0 (no
     * PMU) or one of the reserved values 2 and 3, which a userspace write may leave.
     */
    public PmuVersion pmuVersion() {
        int pmuVer = pmuVer();
        for (PmuVersion v : VERSIONS) {
            if (v.idAa64dfr0PmuVer() == pmuVer) {
                return v;
            }
        }
        return null;
    }

    /**
     * kvm_pmu_event_mask(): the guest's event-number mask from its PMUVer, 0x3ff (PMUv3) or 0xffff
     * (PMUv3p1 to p7); 0 for PMUVer 0 or a reserved value (where the kernel WARNs).
     */
    public int eventMask() {
        return KvmArmPmuV3.eventMask(pmuVer());
    }

    /**
     * The perf config of the event backing guest counter {@code idx} with PMEVTYPER (or PMCCFILTR)
     * value {@code evtyper}, or {@link #NO_PERF_EVENT} (kvm_pmu_create_perf_event steps 2-4, §2.2):
     * the cycle counter counts CPU_CYCLES and is filtered as such; SW_INCR and CHAIN are counted
     * in software; a filtered event does not count.
     */
    public int perfEventConfig(int idx, long evtyper) {
        if (idx < 0 || idx > ARMV8_PMU_CYCLE_IDX) {
            throw new IllegalArgumentException("counter index must be 0..31, was " + idx);
        }
        int eventsel = idx == ARMV8_PMU_CYCLE_IDX ? Events.CPU_CYCLES : (int) (evtyper & eventMask());
        if (eventsel == Events.SW_INCR || eventsel == Events.CHAIN || !eventAllowed(eventsel)) {
            return NO_PERF_EVENT;
        }
        return eventsel;
    }

    /** The guest's PMCEID0_EL0 (kvm_pmu_get_pmceid, §2.5). */
    public long pmceid0() {
        return pmceid(false);
    }

    /** The guest's PMCEID1_EL0 (kvm_pmu_get_pmceid, §2.5). */
    public long pmceid1() {
        return pmceid(true);
    }

    /** kvm_vm_has_ran_once(). */
    public boolean hasRanOnce() {
        return kvm.hasRanOnce;
    }

    /**
     * The chosen PMU's common events, with SW_INCR and CHAIN forced on and STALL_SLOT* forced off,
     * ANDed with the filter if there is one: the low half from events [base, base+32), the high
     * half from [0x4000+base, +32) only when the guest's event space reaches that far. Zero without
     * a PMU and in FIXED_COUNTERS_ONLY.
     */
    private long pmceid(boolean pmceid1) {
        if (kvm.armPmu == null || kvm.pmuV3FixedCountersOnly) {
            return 0;
        }
        long val = pmceid1
                ? kvm.armPmu.hardware().pmceid1() & ~PMCEID1_FORCED_OFF
                : kvm.armPmu.hardware().pmceid0() | PMCEID0_FORCED_ON;
        PmuFilter filter = kvm.pmuFilter;
        if (filter == null) {
            return val;
        }
        int base = pmceid1 ? 32 : 0;
        long mask = filter.bits32(base);
        // The upper half comes from the bitmap (sized by the host's limit) only if the guest's event
        // space, from the VM's PMUVer, reaches 0x4000 + base + 32: with a 10-bit guest it reads 0.
        // Without a filter nothing is masked, whatever the guest's PMUVer.
        if (eventMask() + 1 >= 0x4000 + base + 32) {
            mask |= filter.bits32(0x4000 + base) << 32;
        }
        return val & mask;
    }
}
