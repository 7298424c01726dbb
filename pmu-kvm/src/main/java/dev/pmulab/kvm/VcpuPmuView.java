package dev.pmulab.kvm;

import java.util.OptionalInt;

/**
 * What KVM decided for one vCPU's PMU, read-only and live: whether it has the PMUv3 feature,
 * whether INIT was done ({@code vcpu->arch.pmu.created}), its overflow interrupt, and the VM-wide
 * decisions it shares (kvm-vpmu-uapi.md §1.0 "Scope").
 */
public final class VcpuPmuView {
    private final Vcpu vcpu;

    VcpuPmuView(Vcpu vcpu) {
        this.vcpu = vcpu;
    }

    public int vcpuId() {
        return vcpu.id();
    }

    /** kvm_vcpu_has_pmu(): the vCPU was initialised with KVM_ARM_VCPU_PMU_V3. */
    public boolean hasPmu() {
        return vcpu.hasPmu();
    }

    /** {@code vcpu->arch.pmu.created}: KVM_ARM_VCPU_PMU_V3_INIT succeeded on this vCPU. */
    public boolean initialized() {
        return vcpu.pmuCreated;
    }

    /** The overflow interrupt's INTID, if KVM_ARM_VCPU_PMU_V3_IRQ set one. */
    public OptionalInt irq() {
        return vcpu.pmuIrqInitialized() ? OptionalInt.of(vcpu.pmuIrqNum) : OptionalInt.empty();
    }

    /**
     * The overflow line as KVM last sampled it ({@code vcpu->arch.pmu.irq_level}, updated at each
     * KVM_RUN's entry and exit): what a userspace irqchip gets in kvm_run's device_irq_level.
     */
    public boolean irqLevel() {
        return vcpu.pmuIrqLevel;
    }

    /** PMCR_EL0 as the guest reads it (N included). */
    public long pmcr() {
        return vcpu.pmuRegs().pmcr();
    }

    /** The vCPU's PMU registers. */
    public VcpuPmuRegs regs() {
        return vcpu.pmuRegs();
    }

    /** The VM-wide part: backing PMU, N, supported CPUs, filter, PMCEID. */
    public VmPmuView vm() {
        return vcpu.vm().pmu();
    }
}
