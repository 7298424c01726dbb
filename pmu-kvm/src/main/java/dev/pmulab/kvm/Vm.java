package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EBUSY;
import static dev.pmulab.api.Errno.EEXIST;
import static dev.pmulab.api.Errno.EINVAL;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A VM: its vCPUs, its optional in-kernel vGIC, and the VM-wide PMU state KVM keeps in
 * {@code kvm->arch} (kvm-vpmu-uapi.md §1.0 "Scope"): the chosen host PMU, nr_pmu_counters,
 * supported_cpus, the event filter, the SET_PMU and FIXED_COUNTERS_ONLY flags, ID_AA64DFR0_EL1
 * (the guest's PMUVer; ID registers are per VM), and whether a vCPU has run. Attributes and ID
 * register writes through any vCPU change this state; {@link #pmu()} reads it.
 */
public final class Vm {
    private final KvmHost host;
    private final List<Vcpu> vcpus = new ArrayList<>();
    private final VmPmuView pmuView;
    private Vgic vgic;

    // kvm->arch, written by KvmArmPmuV3 and Vcpu.
    HostPmuDescriptor armPmu;
    int nrPmuCounters;
    final BitSet supportedCpus;
    PmuFilter pmuFilter;
    boolean pmuV3Explicit;
    boolean pmuV3FixedCountersOnly;
    boolean hasRanOnce;
    long vcpuFeatures;
    boolean vcpuFeaturesConfigured;
    /** kvm->arch.id_regs' ID_AA64DFR0_EL1, set at the first vCPU reset (KVM_ARCH_FLAG_ID_REGS_INITIALIZED). */
    long idAa64dfr0;

    boolean idRegsInitialized;

    Vm(KvmHost host) {
        this.host = requireNonNull(host, "host is null");
        this.supportedCpus = new BitSet(host.nrCpus());
        supportedCpus.set(0, host.nrCpus()); // cpu_possible_mask until SET_PMU narrows it (§1.4)
        this.pmuView = new VmPmuView(this);
    }

    public KvmHost host() {
        return host;
    }

    /** KVM_CREATE_VCPU: a vCPU that KVM_ARM_VCPU_INIT has not initialised yet. */
    public Vcpu createVcpu(int id) {
        if (id < 0) {
            throw new IllegalArgumentException("vCPU id must be >= 0, was " + id);
        }
        for (Vcpu v : vcpus) {
            if (v.id() == id) {
                throw new KvmException("KVM_CREATE_VCPU(" + id + ")", EEXIST);
            }
        }
        // kvm_arch_vcpu_precreate(): no vCPU can join once the vGIC is initialised.
        if (vgic != null && vgic.initialized()) {
            throw new KvmException("KVM_CREATE_VCPU(" + id + ")", EBUSY);
        }
        Vcpu vcpu = new Vcpu(this, id);
        vcpus.add(vcpu);
        return vcpu;
    }

    /**
     * KVM_CREATE_VCPU then KVM_ARM_VCPU_INIT with {@code features} (kvm_vcpu_init.features[0]), as
     * the selftests' vm_vcpu_add() does; the vCPU runs {@code guestCode}. Throws when either fails.
     */
    public Vcpu createVcpu(int id, long features, GuestCode guestCode) {
        Vcpu vcpu = createVcpu(id);
        vcpu.setGuestCode(guestCode);
        int ret = vcpu.armVcpuInit(features);
        if (ret != 0) {
            throw new KvmException("KVM_ARM_VCPU_INIT of vCPU " + id, ret);
        }
        return vcpu;
    }

    /** {@link #createVcpu(int, long, GuestCode)} with a guest that is done at once. */
    public Vcpu createVcpu(int id, long features) {
        return createVcpu(id, features, GuestCode.DONE);
    }

    /**
     * KVM_CREATE_DEVICE(KVM_DEV_TYPE_ARM_VGIC_V3) and KVM_DEV_ARM_VGIC_GRP_NR_IRQS = {@code nrIrqs}:
     * the first half of the selftests' vgic_v3_setup(); {@link Vgic#init()} is the second.
     */
    public Vgic createVgicV3(int nrIrqs) {
        if (vgic != null) {
            throw new KvmException("KVM_CREATE_DEVICE(VGIC_V3)", EEXIST);
        }
        if (hasRanOnce) {
            throw new KvmException("KVM_CREATE_DEVICE(VGIC_V3)", EBUSY);
        }
        // The NR_IRQS attribute takes a multiple of 32 with at least 32 SPIs, below 1024.
        if (nrIrqs < 2 * Vgic.VGIC_NR_PRIVATE_IRQS || nrIrqs > 1023 || (nrIrqs & 31) != 0) {
            throw new KvmException("KVM_DEV_ARM_VGIC_GRP_NR_IRQS(" + nrIrqs + ")", EINVAL);
        }
        vgic = new Vgic(nrIrqs);
        return vgic;
    }

    public Optional<Vgic> vgic() {
        return Optional.ofNullable(vgic);
    }

    public List<Vcpu> vcpus() {
        return Collections.unmodifiableList(vcpus);
    }

    /** The read-only view of the VM-wide PMU decisions, for the emulated vPMU and the simulator. */
    public VmPmuView pmu() {
        return pmuView;
    }

    /** irqchip_in_kernel(). */
    boolean irqchipInKernel() {
        return vgic != null;
    }

    /** kvm_arm_pmu_get_max_counters() (§1.5): the chosen PMU's event counters, 0 in FIXED_COUNTERS_ONLY. */
    int maxCounters() {
        return pmuV3FixedCountersOnly ? 0 : armPmu.hardware().n();
    }

    /** kvm_arm_set_pmu(): the PMU, and as many counters as it has (cancelling SET_NR_COUNTERS). */
    void setArmPmu(HostPmuDescriptor pmu) {
        armPmu = pmu;
        nrPmuCounters = maxCounters();
    }

    void setSupportedCpus(BitSet cpus) {
        supportedCpus.clear();
        supportedCpus.or(cpus);
    }
}
