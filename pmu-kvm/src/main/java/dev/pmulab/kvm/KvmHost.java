package dev.pmulab.kvm;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.PmuVersion;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The host as KVM sees it: its possible CPUs, the perf PMUs registered for KVM (in registration
 * order, each covering some CPUs), the kernel features the PMU attributes depend on, and the CPU the
 * calling userspace thread runs on. It is the {@code /dev/kvm} of the model: {@link #createVm()} is
 * KVM_CREATE_VM.
 *
 * <p>The model is single-threaded: one userspace thread makes every call, and
 * {@link #pinSelfToCpu} moves it, as the selftests' pin_self_to_cpu() does. That CPU decides the
 * default PMU at KVM_ARM_VCPU_INIT (kvm-vpmu-uapi.md §2.6) and where {@link Vcpu#run()} runs.
 */
public final class KvmHost {
    private final int nrCpus;
    private final List<HostPmuDescriptor> pmus;
    private final boolean vhe;
    private final boolean setNrCountersSupported;
    private final boolean fixedCountersOnlySupported;
    private final boolean aarch32El0Supported;
    private final PmuVersion pmuVerLimit;
    private int currentCpu;

    private KvmHost(Builder b) {
        this.pmus = List.copyOf(b.pmus);
        int maxCpu = -1;
        Set<Integer> types = new HashSet<>();
        for (HostPmuDescriptor pmu : pmus) {
            if (!types.add(pmu.type())) {
                throw new IllegalArgumentException("two host PMUs have perf type " + pmu.type());
            }
            int[] cpus = pmu.cpus();
            maxCpu = Math.max(maxCpu, cpus[cpus.length - 1]);
            if (cpus[0] < 0) {
                throw new IllegalArgumentException("PMU " + pmu.name() + " covers a negative CPU");
            }
        }
        this.nrCpus = b.nrCpus > 0 ? b.nrCpus : maxCpu + 1;
        if (nrCpus <= 0) {
            throw new IllegalArgumentException("a host needs at least one CPU (give nrCpus or a PMU)");
        }
        if (maxCpu >= nrCpus) {
            throw new IllegalArgumentException("a PMU covers CPU " + maxCpu + " but the host has " + nrCpus + " CPUs");
        }
        this.vhe = b.vhe;
        this.setNrCountersSupported = b.setNrCountersSupported;
        this.fixedCountersOnlySupported = b.fixedCountersOnlySupported;
        this.aarch32El0Supported = b.aarch32El0Supported;
        this.pmuVerLimit = computePmuVerLimit(pmus);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** KVM_CREATE_VM. */
    public Vm createVm() {
        return new Vm(this);
    }

    /**
     * KVM_CHECK_EXTENSION: KVM_CAP_ARM_PMU_V3 is 1 when guests can have a PMU; KVM_CAP_ARM_USER_IRQ
     * is always 1 on arm64 (the timers' and the PMU's lines in kvm_run's device_irq_level); 0 for
     * any other capability.
     */
    public int checkExtension(int cap) {
        if (cap == KvmUapi.KVM_CAP_ARM_USER_IRQ) {
            return 1;
        }
        return cap == KvmUapi.KVM_CAP_ARM_PMU_V3 && supportsGuestPmuV3() ? 1 : 0;
    }

    /** kvm_supports_guest_pmuv3(): some PMU is registered for KVM (§2.6). */
    public boolean supportsGuestPmuV3() {
        return !pmus.isEmpty();
    }

    /** Moves the calling userspace thread to {@code cpu} (sched_setaffinity to one CPU). */
    public void pinSelfToCpu(int cpu) {
        checkCpu(cpu);
        this.currentCpu = cpu;
    }

    /** The CPU the calling userspace thread runs on (raw_smp_processor_id() in its ioctls); 0 at start. */
    public int currentCpu() {
        return currentCpu;
    }

    /** The possible CPUs are 0 .. nrCpus-1. */
    public int nrCpus() {
        return nrCpus;
    }

    /** The host PMUs registered for KVM, in registration order. */
    public List<HostPmuDescriptor> pmus() {
        return pmus;
    }

    /** Whether the host kernel runs at EL2 (VHE) rather than split (nVHE); no attribute depends on it. */
    public boolean vhe() {
        return vhe;
    }

    /** Whether this kernel has KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS (~v6.16, §1.5). */
    public boolean setNrCountersSupported() {
        return setNrCountersSupported;
    }

    /** Whether this kernel carries the FIXED_COUNTERS_ONLY RFC (§1.7, §4.4); see {@link #fixedCountersOnlyAvailable()}. */
    public boolean fixedCountersOnlySupported() {
        return fixedCountersOnlySupported;
    }

    /**
     * Whether attribute 5 exists: the kernel carries the RFC and the host PMUs cover every CPU (v8
     * disallows the mode otherwise, §4.4).
     */
    public boolean fixedCountersOnlyAvailable() {
        return fixedCountersOnlySupported && supportsGuestPmuV3() && pmuCpus().cardinality() == nrCpus;
    }

    /** Whether the host runs AArch32 at EL0; without it PMCR_EL0.LC is RES1 for guests (§1.6). */
    public boolean aarch32El0Supported() {
        return aarch32El0Supported;
    }

    /**
     * kvm_arm_pmu_get_pmuver_limit(): the sanitised (lowest) host PMU version, capped at PMUv3p5
     * (§1.3); null with no PMU.
     */
    public PmuVersion pmuVerLimit() {
        return pmuVerLimit;
    }

    /**
     * nr_events of the event filter: the event space of {@link #pmuVerLimit()} (1024 or 65536, §1.3),
     * whatever PMUVer userspace gives the guest in ID_AA64DFR0_EL1, for backward compatibility.
     */
    public int filterEventSpace() {
        return pmuVerLimit == null ? 0 : KvmArmPmuV3.eventMask(pmuVerLimit.idAa64dfr0PmuVer()) + 1;
    }

    /** The first registered PMU whose CPUs include {@code cpu} (kvm_arm_set_default_pmu's search). */
    public Optional<HostPmuDescriptor> firstPmuCovering(int cpu) {
        for (HostPmuDescriptor pmu : pmus) {
            if (pmu.covers(cpu)) {
                return Optional.of(pmu);
            }
        }
        return Optional.empty();
    }

    /** The PMU whose perf type is {@code type} (SET_PMU's search of arm_pmus). */
    public Optional<HostPmuDescriptor> pmuOfType(int type) {
        for (HostPmuDescriptor pmu : pmus) {
            if (pmu.type() == type) {
                return Optional.of(pmu);
            }
        }
        return Optional.empty();
    }

    /** The union of the PMUs' CPUs. */
    BitSet pmuCpus() {
        BitSet cpus = new BitSet(nrCpus);
        for (HostPmuDescriptor pmu : pmus) {
            for (int cpu : pmu.cpus()) {
                cpus.set(cpu);
            }
        }
        return cpus;
    }

    void checkCpu(int cpu) {
        if (cpu < 0 || cpu >= nrCpus) {
            throw new IllegalArgumentException("no CPU " + cpu + " (the host has CPUs 0.." + (nrCpus - 1) + ")");
        }
    }

    private static PmuVersion computePmuVerLimit(List<HostPmuDescriptor> pmus) {
        PmuVersion lowest = null;
        for (HostPmuDescriptor pmu : pmus) {
            PmuVersion v = pmu.hardware().version();
            if (lowest == null || v.compareTo(lowest) < 0) {
                lowest = v;
            }
        }
        if (lowest != null && lowest.atLeast(PmuVersion.P5)) {
            return PmuVersion.P5;
        }
        return lowest;
    }

    public static final class Builder {
        private final List<HostPmuDescriptor> pmus = new ArrayList<>();
        private int nrCpus;
        private boolean vhe = true;
        private boolean setNrCountersSupported = true;
        private boolean fixedCountersOnlySupported;
        private boolean aarch32El0Supported = true;

        private Builder() {}

        /** Registers a host PMU; registration order is the order of kvm_arm_set_default_pmu's search. */
        public Builder pmu(HostPmuDescriptor pmu) {
            pmus.add(requireNonNull(pmu, "pmu is null"));
            return this;
        }

        public Builder pmus(List<HostPmuDescriptor> list) {
            requireNonNull(list, "list is null").forEach(this::pmu);
            return this;
        }

        /** Possible CPUs; by default one past the highest CPU a PMU covers. */
        public Builder nrCpus(int nrCpus) {
            this.nrCpus = nrCpus;
            return this;
        }

        /** VHE (default) or nVHE. */
        public Builder vhe(boolean vhe) {
            this.vhe = vhe;
            return this;
        }

        /** Whether the kernel has SET_NR_COUNTERS (default true: a v6.16+ kernel). */
        public Builder setNrCountersSupported(boolean supported) {
            this.setNrCountersSupported = supported;
            return this;
        }

        /** Whether the kernel carries the FIXED_COUNTERS_ONLY RFC (default false: it is not merged). */
        public Builder fixedCountersOnlySupported(boolean supported) {
            this.fixedCountersOnlySupported = supported;
            return this;
        }

        /** Whether the host runs AArch32 at EL0 (default true). */
        public Builder aarch32El0Supported(boolean supported) {
            this.aarch32El0Supported = supported;
            return this;
        }

        public KvmHost build() {
            return new KvmHost(this);
        }
    }
}
