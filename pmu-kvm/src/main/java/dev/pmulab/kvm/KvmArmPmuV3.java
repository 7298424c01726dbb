package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EBUSY;
import static dev.pmulab.api.Errno.EFAULT;
import static dev.pmulab.api.Errno.EINVAL;
import static dev.pmulab.api.Errno.ENODEV;
import static dev.pmulab.api.Errno.ENXIO;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_FILTER;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_IRQ;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_PMU;
import static dev.pmulab.kvm.KvmUapi.KVM_PMU_EVENT_ALLOW;
import static dev.pmulab.kvm.KvmUapi.KVM_PMU_EVENT_DENY;

import dev.pmulab.hw.regs.PmcrEl0;
import java.util.BitSet;
import java.util.Optional;

/**
 * The attributes of group KVM_ARM_VCPU_PMU_V3_CTRL and the PMU's first-run check, each step in the
 * order kvm-vpmu-uapi.md §1 gives; the functions are named after the kernel's.
 */
final class KvmArmPmuV3 {
    private KvmArmPmuV3() {}

    /** kvm_arm_pmu_v3_set_attr(): the three top-level checks of §1.0, then the attribute. */
    static int setAttr(Vcpu vcpu, long attr, UserPtr uaddr) {
        Vm kvm = vcpu.vm();
        if (!vcpu.hasPmu()) {
            return -ENODEV;
        }
        if (vcpu.pmuCreated) {
            return -EBUSY; // every attribute, INIT and unknown ones included (§1.2)
        }
        if (attr == KVM_ARM_VCPU_PMU_V3_IRQ) {
            return setIrq(vcpu, uaddr);
        } else if (attr == KVM_ARM_VCPU_PMU_V3_INIT) {
            return init(vcpu);
        } else if (attr == KVM_ARM_VCPU_PMU_V3_FILTER) {
            return setFilter(kvm, uaddr);
        } else if (attr == KVM_ARM_VCPU_PMU_V3_SET_PMU) {
            return setPmu(kvm, uaddr);
        } else if (attr == KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS && kvm.host().setNrCountersSupported()) {
            return setNrCounters(kvm, uaddr);
        } else if (attr == KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY && kvm.host().fixedCountersOnlyAvailable()) {
            return setFixedCountersOnly(kvm);
        }
        return -ENXIO;
    }

    /** kvm_arm_pmu_v3_get_attr(): IRQ, and the RFC's FIXED_COUNTERS_ONLY (0 when set, §1.0). */
    static int getAttr(Vcpu vcpu, long attr, UserPtr uaddr) {
        Vm kvm = vcpu.vm();
        if (attr == KVM_ARM_VCPU_PMU_V3_IRQ) {
            // The irqchip is checked before the feature (§1.0 get_attr).
            if (!kvm.irqchipInKernel()) {
                return -EINVAL;
            }
            if (!vcpu.hasPmu()) {
                return -ENODEV;
            }
            if (!vcpu.pmuIrqInitialized()) {
                return -ENXIO;
            }
            if (!uaddr.accessible(Integer.BYTES)) {
                return -EFAULT;
            }
            uaddr.buffer().putInt(0, vcpu.pmuIrqNum);
            return 0;
        }
        if (attr == KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY
                && kvm.host().fixedCountersOnlyAvailable()
                && kvm.pmuV3FixedCountersOnly) {
            return 0;
        }
        return -ENXIO;
    }

    /** kvm_arm_pmu_v3_has_attr(): 0 for an attribute this kernel has, on a vCPU with the PMU feature. */
    static int hasAttr(Vcpu vcpu, long attr) {
        KvmHost host = vcpu.vm().host();
        boolean known = attr == KVM_ARM_VCPU_PMU_V3_IRQ
                || attr == KVM_ARM_VCPU_PMU_V3_INIT
                || attr == KVM_ARM_VCPU_PMU_V3_FILTER
                || attr == KVM_ARM_VCPU_PMU_V3_SET_PMU
                || (attr == KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS && host.setNrCountersSupported())
                || (attr == KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY && host.fixedCountersOnlyAvailable());
        return known && vcpu.hasPmu() ? 0 : -ENXIO;
    }

    /** §1.1: irqchip, pointer, PPI/SPI range, agreement with the other vCPUs, then already set. */
    private static int setIrq(Vcpu vcpu, UserPtr uaddr) {
        Vm kvm = vcpu.vm();
        if (!kvm.irqchipInKernel()) {
            return -EINVAL; // before the pointer is read
        }
        if (!uaddr.accessible(Integer.BYTES)) {
            return -EFAULT;
        }
        int irq = uaddr.buffer().getInt(0);
        if (!(Vgic.isPpi(irq) || Vgic.isSpi(irq))) {
            return -EINVAL;
        }
        if (!pmuIrqIsValid(kvm, irq)) {
            return -EINVAL;
        }
        if (vcpu.pmuIrqInitialized()) {
            return -EBUSY; // after the validity check: re-setting a different PPI is -EINVAL
        }
        vcpu.pmuIrqNum = irq;
        return 0;
    }

    /**
     * pmu_irq_is_valid(): against every vCPU whose IRQ is set, this one included, a PPI must equal
     * theirs and an SPI must differ from theirs. An SPI is only compared with SPIs and PPIs by
     * inequality, so vCPU0 on a PPI and vCPU1 on an SPI passes (the quirk of §1.1).
     */
    private static boolean pmuIrqIsValid(Vm kvm, int irq) {
        for (Vcpu other : kvm.vcpus()) {
            if (!other.pmuIrqInitialized()) {
                continue;
            }
            if (Vgic.isPpi(irq) ? other.pmuIrqNum != irq : other.pmuIrqNum == irq) {
                return false;
            }
        }
        return true;
    }

    /**
     * §1.2. With an in-kernel irqchip the vGIC must be initialised and the IRQ set, and the vGIC
     * must accept the INTID as a PPI or one of its SPIs (kvm_vgic_set_owner). Its -EEXIST needs
     * another in-kernel device owning the INTID; the model has none.
     */
    private static int init(Vcpu vcpu) {
        Vm kvm = vcpu.vm();
        if (kvm.irqchipInKernel()) {
            Vgic vgic = kvm.vgic().orElseThrow();
            if (!vgic.initialized()) {
                return -ENODEV;
            }
            if (!vcpu.pmuIrqInitialized()) {
                return -ENXIO;
            }
            if (!Vgic.isPpi(vcpu.pmuIrqNum) && !vgic.validSpi(vcpu.pmuIrqNum)) {
                return -EINVAL;
            }
        }
        vcpu.pmuCreated = true;
        return 0;
    }

    /**
     * §1.3: pointer, range and action, then "too late" (a vCPU ran, or FIXED_COUNTERS_ONLY in RFC
     * v8), then the first filter allocates the bitmap with its default, then the range is applied.
     */
    private static int setFilter(Vm kvm, UserPtr uaddr) {
        if (!uaddr.accessible(KvmPmuEventFilter.SIZE)) {
            return -EFAULT;
        }
        KvmPmuEventFilter filter = KvmPmuEventFilter.readFrom(uaddr.buffer());
        int nrEvents = kvm.host().filterEventSpace();
        // base and nevents are u16, so the sum cannot wrap (§1.3).
        if (filter.baseEvent() + filter.nevents() > nrEvents
                || (filter.action() != KVM_PMU_EVENT_ALLOW && filter.action() != KVM_PMU_EVENT_DENY)) {
            return -EINVAL;
        }
        if (kvm.hasRanOnce || kvm.pmuV3FixedCountersOnly) {
            return -EBUSY;
        }
        if (kvm.pmuFilter == null) {
            kvm.pmuFilter = new PmuFilter(nrEvents, filter.action());
        }
        kvm.pmuFilter.apply(filter);
        return 0;
    }

    /**
     * §1.4 kvm_arm_pmu_v3_set_pmu(): pointer, then the search; a PMU that is not registered is
     * -ENXIO whatever else holds. A found PMU is refused once a vCPU ran, in FIXED_COUNTERS_ONLY
     * (RFC v8), or when a filter exists and the PMU would change: re-selecting the same PMU after a
     * filter is allowed.
     */
    private static int setPmu(Vm kvm, UserPtr uaddr) {
        if (!uaddr.accessible(Integer.BYTES)) {
            return -EFAULT;
        }
        int pmuId = uaddr.buffer().getInt(0);
        Optional<HostPmuDescriptor> found = kvm.host().pmuOfType(pmuId);
        if (found.isEmpty()) {
            return -ENXIO;
        }
        HostPmuDescriptor pmu = found.get();
        if (kvm.hasRanOnce || kvm.pmuV3FixedCountersOnly || (kvm.pmuFilter != null && !pmu.equals(kvm.armPmu))) {
            return -EBUSY;
        }
        kvm.setArmPmu(pmu);
        kvm.setSupportedCpus(cpuMask(kvm.host(), pmu));
        kvm.pmuV3Explicit = true;
        return 0;
    }

    /**
     * §1.5 as the code does it: pointer, then N against the PMU's counters (unsigned). The
     * "no PMU selected" -EINVAL cannot happen here: KVM_ARM_VCPU_INIT already chose the default
     * PMU. There is no "vCPU ran" or "filter set" check (§1.5 gap b).
     */
    private static int setNrCounters(Vm kvm, UserPtr uaddr) {
        if (!uaddr.accessible(Integer.BYTES)) {
            return -EFAULT;
        }
        int n = uaddr.buffer().getInt(0);
        if (Integer.compareUnsigned(n, kvm.maxCounters()) > 0) {
            return -EINVAL;
        }
        kvm.nrPmuCounters = n;
        return 0;
    }

    /**
     * §4.4 (RFC v8): refused once a vCPU ran, after a filter, or after SET_PMU; otherwise no event
     * counters. The VM's host PMU is left as the default one; with no event counters only the
     * cycle counter uses it. The vCPUs may enter on any CPU a host PMU covers, which is every CPU,
     * since the attribute only exists when the PMUs cover them all: supported_cpus stays as it is.
     */
    private static int setFixedCountersOnly(Vm kvm) {
        if (kvm.hasRanOnce || kvm.pmuFilter != null || kvm.pmuV3Explicit) {
            return -EBUSY;
        }
        kvm.pmuV3FixedCountersOnly = true;
        kvm.nrPmuCounters = 0;
        return 0;
    }

    /**
     * kvm_arm_pmu_v3_enable() at the first KVM_RUN (§1.1): a PMU vCPU must have done INIT, and with
     * an in-kernel vGIC its IRQ must be a PPI or one of the vGIC's SPIs (the vGIC may have been
     * created after INIT). Without an irqchip no IRQ can have been set, since setting one needs it.
     */
    static int enable(Vcpu vcpu) {
        if (!vcpu.hasPmu()) {
            return 0;
        }
        if (!vcpu.pmuCreated) {
            return -EINVAL;
        }
        Optional<Vgic> vgic = vcpu.vm().vgic();
        if (vgic.isPresent() && !Vgic.isPpi(vcpu.pmuIrqNum) && !vgic.get().validSpi(vcpu.pmuIrqNum)) {
            return -EINVAL;
        }
        return 0;
    }

    /**
     * set_pmcr()'s N part (§1.6): N changes only if no vCPU has run and N is within the PMU's
     * counters; otherwise it is silently ignored and the write still succeeds (ABI compatibility).
     * The model has no nested virtualisation, so the NV condition never applies.
     */
    static void setPmcrN(Vm kvm, long pmcr) {
        int newN = PmcrEl0.n(pmcr);
        if (!kvm.hasRanOnce && newN <= kvm.maxCounters()) {
            kvm.nrPmuCounters = newN;
        }
    }

    /**
     * __kvm_pmu_event_mask(): the event-number mask of a PMUVer: 10 bits for PMUv3 (IMP), 16 bits
     * for V3P1, V3P4, V3P5 and V3P7; 0 for anything else (the kernel WARNs: 0, the reserved 2 and
     * 3, which a userspace write of ID_AA64DFR0_EL1 can leave). The guest's mask is that of the VM's
     * ID_AA64DFR0_EL1.PMUVer (kvm_pmu_event_mask); the filter's that of the host limit.
     */
    static int eventMask(int pmuVer) {
        return switch (pmuVer) {
            case 0b0001 -> 0x3ff;
            case 0b0100, 0b0101, 0b0110, 0b0111 -> 0xffff;
            default -> 0;
        };
    }

    private static BitSet cpuMask(KvmHost host, HostPmuDescriptor pmu) {
        BitSet cpus = new BitSet(host.nrCpus());
        for (int cpu : pmu.cpus()) {
            cpus.set(cpu);
        }
        return cpus;
    }
}
