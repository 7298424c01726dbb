package dev.pmulab.kvm;

/**
 * A VM's in-kernel vGICv3 (KVM_CREATE_DEVICE of KVM_DEV_TYPE_ARM_VGIC_V3 with
 * KVM_DEV_ARM_VGIC_GRP_NR_IRQS set). Its existence makes the irqchip in-kernel, which the PMU IRQ
 * and INIT attributes depend on; {@link #init()} is KVM_DEV_ARM_VGIC_CTRL_INIT, which PMU INIT
 * requires first (kvm-vpmu-uapi.md §1.1, §1.2).
 */
public final class Vgic {
    /** SGIs and PPIs: INTIDs 0..31 are private to each vCPU. */
    public static final int VGIC_NR_PRIVATE_IRQS = 32;

    private final int nrIrqs;
    private boolean initialized;

    Vgic(int nrIrqs) {
        this.nrIrqs = nrIrqs;
    }

    /** KVM_DEV_ARM_VGIC_CTRL_INIT; initialising again is harmless. */
    public int init() {
        initialized = true;
        return 0;
    }

    /** vgic_initialized(). */
    public boolean initialized() {
        return initialized;
    }

    /** INTIDs the vGIC implements, private ones included. */
    public int nrIrqs() {
        return nrIrqs;
    }

    /** vgic_valid_spi(): an SPI this vGIC implements. */
    public boolean validSpi(int intid) {
        return intid >= VGIC_NR_PRIVATE_IRQS && intid < nrIrqs;
    }

    /** irq_is_ppi(): INTIDs 16..31. */
    static boolean isPpi(int intid) {
        return intid >= 16 && intid < VGIC_NR_PRIVATE_IRQS;
    }

    /** irq_is_spi(): INTIDs 32..1019, whatever this vGIC implements. */
    static boolean isSpi(int intid) {
        return intid >= VGIC_NR_PRIVATE_IRQS && intid < 1020;
    }
}
