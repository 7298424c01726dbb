package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EBUSY;
import static dev.pmulab.api.Errno.EFAULT;
import static dev.pmulab.api.Errno.EINTR;
import static dev.pmulab.api.Errno.EINVAL;
import static dev.pmulab.api.Errno.ENODEV;
import static dev.pmulab.api.Errno.ENOENT;
import static dev.pmulab.api.Errno.ENOEXEC;
import static dev.pmulab.api.Errno.ENXIO;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_DEV_PMU;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PSCI_0_2;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_FAIL_ENTRY_CPU_UNSUPPORTED;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_INTR;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_MMIO;
import static dev.pmulab.kvm.KvmUapi.KVM_VCPU_MAX_FEATURES;
import static dev.pmulab.kvm.KvmUapi.SYS_ID_AA64DFR0_EL1;
import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.PmuRegister;
import java.util.Optional;

/**
 * A vCPU and the ioctls on its fd that concern the PMU: KVM_ARM_VCPU_INIT, the device attributes
 * of group KVM_ARM_VCPU_PMU_V3_CTRL, KVM_{GET,SET}_ONE_REG of the PMU registers and of
 * ID_AA64DFR0_EL1, and KVM_RUN's entry checks and exits, with the PMU overflow line in kvm_run for
 * a userspace irqchip (kvm-vpmu-uapi.md §1, §2.4). Every call returns 0 or a negative errno as the
 * kernel does.
 */
public final class Vcpu {
    private final Vm kvm;
    private final int id;
    private final VcpuPmuRegs regs;
    private final VcpuPmuView pmuView;
    private final KvmRun kvmRun = new KvmRun();
    private final Guest guest = new GuestAccess();
    private final GuestThread guestThread;
    private GuestCode guestCode = GuestCode.DONE;
    private boolean initialized;
    private long features;
    private boolean ranOnce; // vcpu->pid is set: the first-run work succeeded
    private Ucall ucall = Ucall.NONE;

    // vcpu->arch.pmu, written by KvmArmPmuV3.
    boolean pmuCreated;
    int pmuIrqNum; // below 16 means not set (kvm_arm_pmu_irq_initialized)
    boolean pmuIrqLevel; // the overflow line as kvm_pmu_update_state() last saw it

    Vcpu(Vm kvm, int id) {
        this.kvm = kvm;
        this.id = id;
        this.regs = new VcpuPmuRegs(this);
        this.pmuView = new VcpuPmuView(this);
        this.guestThread = new GuestThread("vcpu" + id + "-guest");
    }

    public int id() {
        return id;
    }

    public Vm vm() {
        return kvm;
    }

    /**
     * Sets the code the guest runs from its next KVM_RUN on; guest code that an exit left in its
     * middle is dropped.
     */
    public void setGuestCode(GuestCode code) {
        this.guestCode = requireNonNull(code, "code is null");
        guestThread.abandon();
    }

    /**
     * KVM_ARM_VCPU_INIT with kvm_vcpu_init.features[0] = {@code features}. The first call
     * initialises the vCPU: every vCPU of a VM must ask for the same features, and a PMU vCPU
     * chooses the VM's default PMU if none is chosen yet: the first PMU covering the CPU this
     * thread runs on, -ENODEV if none does (§2.6). A later call with the same features resets the
     * vCPU; PMU INIT, the IRQ and the VM-wide N survive (§3.1 case 2).
     *
     * <p>Features beyond PSCI_0_2 and PMU_V3 are not modelled and are refused as a host without
     * them refuses them (-EINVAL); unknown bits are -ENOENT.
     */
    public int armVcpuInit(long features) {
        if ((features >>> KVM_VCPU_MAX_FEATURES) != 0) {
            return -ENOENT;
        }
        long supported =
                (1L << KVM_ARM_VCPU_PSCI_0_2) | (kvm.host().supportsGuestPmuV3() ? 1L << KVM_ARM_VCPU_PMU_V3 : 0);
        if ((features & ~supported) != 0) {
            return -EINVAL;
        }
        if (initialized) {
            if (features != this.features) {
                return -EINVAL;
            }
            reset();
            return 0;
        }
        if (kvm.vcpuFeaturesConfigured && features != kvm.vcpuFeatures) {
            return -EINVAL;
        }
        if ((features & (1L << KVM_ARM_VCPU_PMU_V3)) != 0 && kvm.armPmu == null) {
            Optional<HostPmuDescriptor> pmu =
                    kvm.host().firstPmuCovering(kvm.host().currentCpu());
            if (pmu.isEmpty()) {
                return -ENODEV;
            }
            // kvm_arm_set_default_pmu deliberately leaves supported_cpus alone (§2.6).
            kvm.setArmPmu(pmu.get());
        }
        this.features = features;
        kvm.vcpuFeatures = features;
        kvm.vcpuFeaturesConfigured = true;
        initialized = true;
        reset();
        return 0;
    }

    /** Whether KVM_ARM_VCPU_INIT succeeded on this vCPU. */
    public boolean initialized() {
        return initialized;
    }

    /** kvm_vcpu_has_pmu(): initialised with KVM_ARM_VCPU_PMU_V3. */
    public boolean hasPmu() {
        return (features & (1L << KVM_ARM_VCPU_PMU_V3)) != 0;
    }

    /** KVM_SET_DEVICE_ATTR on this vCPU. Only group KVM_ARM_VCPU_PMU_V3_CTRL is modelled. */
    public int setDeviceAttr(int group, long attr, UserPtr addr) {
        requireNonNull(addr, "addr is null (use UserPtr.NULL)");
        return group == KVM_ARM_VCPU_PMU_V3_CTRL ? KvmArmPmuV3.setAttr(this, attr, addr) : -ENXIO;
    }

    /** KVM_SET_DEVICE_ATTR with a null {@code addr}, as for INIT and FIXED_COUNTERS_ONLY. */
    public int setDeviceAttr(int group, long attr) {
        return setDeviceAttr(group, attr, UserPtr.NULL);
    }

    /** KVM_GET_DEVICE_ATTR on this vCPU; the value, if any, is written to {@code addr}. */
    public int getDeviceAttr(int group, long attr, UserPtr addr) {
        requireNonNull(addr, "addr is null (use UserPtr.NULL)");
        return group == KVM_ARM_VCPU_PMU_V3_CTRL ? KvmArmPmuV3.getAttr(this, attr, addr) : -ENXIO;
    }

    /** KVM_GET_DEVICE_ATTR with a null {@code addr}. */
    public int getDeviceAttr(int group, long attr) {
        return getDeviceAttr(group, attr, UserPtr.NULL);
    }

    /** KVM_HAS_DEVICE_ATTR on this vCPU: 0 if the attribute exists for it, else -ENXIO. */
    public int hasDeviceAttr(int group, long attr) {
        return group == KVM_ARM_VCPU_PMU_V3_CTRL ? KvmArmPmuV3.hasAttr(this, attr) : -ENXIO;
    }

    /**
     * KVM_GET_ONE_REG: writes the register's value to {@code addr} (a {@code __u64}). The PMU
     * registers with storage and ID_AA64DFR0_EL1 (the VM's value) are modelled; PMU registers are
     * hidden (-ENOENT) on a vCPU without the PMU feature. The register is looked up before
     * {@code addr} is written.
     */
    public int getOneReg(long regId, UserPtr addr) {
        requireNonNull(addr, "addr is null (use UserPtr.NULL)");
        if (!initialized) {
            return -ENOEXEC;
        }
        long value;
        if (regId == SYS_ID_AA64DFR0_EL1) {
            value = kvm.idAa64dfr0;
        } else {
            PmuRegister.Named reg = visiblePmuRegister(regId);
            if (reg == null) {
                return -ENOENT;
            }
            value = regs.userGet(reg.register(), reg.index());
        }
        if (!addr.accessible(Long.BYTES)) {
            return -EFAULT;
        }
        addr.buffer().putLong(0, value);
        return 0;
    }

    /**
     * KVM_SET_ONE_REG: reads a {@code __u64} from {@code addr} (before the register is looked up,
     * as kvm_sys_reg_set_user does). PMCR_EL0 follows set_pmcr (§1.6): an N above the PMU's
     * counters or after a vCPU ran is silently ignored. ID_AA64DFR0_EL1 follows
     * set_id_aa64dfr0_el1 ({@link IdAa64dfr0#set}): userspace may lower the VM's PMUVer until a
     * vCPU has run.
     */
    public int setOneReg(long regId, UserPtr addr) {
        requireNonNull(addr, "addr is null (use UserPtr.NULL)");
        if (!initialized) {
            return -ENOEXEC;
        }
        if (!addr.accessible(Long.BYTES)) {
            return -EFAULT;
        }
        long value = addr.buffer().getLong(0);
        if (regId == SYS_ID_AA64DFR0_EL1) {
            return IdAa64dfr0.set(this, value);
        }
        PmuRegister.Named reg = visiblePmuRegister(regId);
        if (reg == null) {
            return -ENOENT;
        }
        if (reg.register() == PmuRegister.PMCR_EL0) {
            KvmArmPmuV3.setPmcrN(kvm, value);
        }
        regs.userSet(reg.register(), reg.index(), value);
        return 0;
    }

    /** vcpu_get_reg(): GET_ONE_REG that must succeed. */
    public long getReg(long regId) {
        UserPtr value = UserPtr.alloc(Long.BYTES);
        int ret = getOneReg(regId, value);
        if (ret != 0) {
            throw new KvmException("KVM_GET_ONE_REG(0x" + Long.toHexString(regId) + ")", ret);
        }
        return value.readLong();
    }

    /** vcpu_set_reg(): SET_ONE_REG that must succeed. */
    public void setReg(long regId, long value) {
        int ret = setOneReg(regId, UserPtr.ofLong(value));
        if (ret != 0) {
            throw new KvmException("KVM_SET_ONE_REG(0x" + Long.toHexString(regId) + ")", ret);
        }
    }

    /** KVM_RUN on the CPU the calling thread runs on ({@link KvmHost#currentCpu()}). */
    public int run() {
        return run(kvm.host().currentCpu());
    }

    /**
     * KVM_RUN with the vCPU thread on {@code cpu}. Before the first entry: the vCPU must be
     * initialised (-ENOEXEC), an in-kernel vGICv3 must be initialised (-EBUSY), and a PMU vCPU
     * must have done PMU INIT with a usable IRQ (-EINVAL, §1.1); only then has the VM "run once".
     * At each entry, as kvm_arch_vcpu_ioctl_run() loops: KVM_REQ_RELOAD_PMU, then the overflow line
     * is sampled (kvm_pmu_flush_hwstate); kvm_vcpu_exit_request() then returns -EINTR with
     * KVM_EXIT_INTR if a userspace irqchip has not seen the line's level yet
     * (kvm_pmu_should_notify_user), or 0 with KVM_EXIT_FAIL_ENTRY /
     * KVM_EXIT_FAIL_ENTRY_CPU_UNSUPPORTED and the CPU if the CPU is outside the VM's supported CPUs
     * (§1.4); otherwise the guest code runs. Without an in-kernel irqchip a guest access that changes
     * the line ends KVM_RUN there with -EINTR / KVM_EXIT_INTR, and the next KVM_RUN resumes the guest
     * code after it. The guest code's return is the exit KVM_EXIT_MMIO carrying UCALL_DONE. Every
     * exit through the loop leaves the line in kvm_run's device_irq_level when the irqchip is in
     * userspace (kvm_pmu_update_run).
     */
    public int run(int cpu) {
        kvm.host().checkCpu(cpu);
        if (!initialized) {
            return -ENOEXEC;
        }
        if (!ranOnce) {
            // kvm_arch_vcpu_run_pid_change(): a failure leaves the vCPU "never run", to retry.
            if (kvm.irqchipInKernel() && !kvm.vgic().orElseThrow().initialized()) {
                return -EBUSY; // a vGICv3 is never initialised lazily
            }
            int ret = KvmArmPmuV3.enable(this);
            if (ret != 0) {
                return ret;
            }
            ranOnce = true;
            kvm.hasRanOnce = true;
        }
        ucall = Ucall.NONE;
        if (hasPmu()) {
            regs.reload();
            updatePmuState(); // kvm_pmu_flush_hwstate()
        }
        int ret;
        if (shouldNotifyUser()) {
            kvmRun.exit(KVM_EXIT_INTR); // checked before the CPU (kvm_vcpu_exit_request)
            ret = -EINTR;
        } else if (!kvm.supportedCpus.get(cpu)) {
            kvmRun.failEntry(KVM_EXIT_FAIL_ENTRY_CPU_UNSUPPORTED, cpu);
            ret = 0;
        } else {
            ret = enterGuest();
        }
        if (!kvm.irqchipInKernel()) {
            updateRun();
        }
        return ret;
    }

    /**
     * Runs (or resumes) the guest code. With an in-kernel irqchip it runs to its end; without one
     * it runs on a {@link GuestThread} so that a changed overflow line can end KVM_RUN in its
     * middle.
     */
    private int enterGuest() {
        if (kvm.irqchipInKernel()) {
            guestCode.run(guest);
        } else if (!guestThread.enter(guestCode, guest)) {
            kvmRun.exit(KVM_EXIT_INTR);
            return -EINTR;
        }
        if (hasPmu()) {
            updatePmuState(); // kvm_pmu_sync_hwstate() after the guest's last instruction
        }
        kvmRun.exit(KVM_EXIT_MMIO);
        ucall = Ucall.DONE;
        return 0;
    }

    /**
     * kvm_pmu_update_state(): samples the overflow line. With an in-kernel vGIC a change is
     * injected there (kvm_vgic_inject_irq; the model keeps no vGIC pending state); without one it
     * waits for userspace to be told.
     */
    private void updatePmuState() {
        pmuIrqLevel = regs.overflowStatus() != 0;
    }

    /**
     * kvm_pmu_should_notify_user(): no in-kernel irqchip, and the line differs from the
     * KVM_ARM_DEV_PMU bit userspace last saw (or wrote) in kvm_run.
     */
    private boolean shouldNotifyUser() {
        if (kvm.irqchipInKernel()) {
            return false;
        }
        boolean runLevel = (kvmRun.deviceIrqLevel() & KVM_ARM_DEV_PMU) != 0;
        return pmuIrqLevel != runLevel;
    }

    /** kvm_pmu_update_run(): the line into kvm_run's device_irq_level, other bits untouched. */
    private void updateRun() {
        long level = kvmRun.deviceIrqLevel() & ~KVM_ARM_DEV_PMU;
        kvmRun.setDeviceIrqLevel(pmuIrqLevel ? level | KVM_ARM_DEV_PMU : level);
    }

    /** This vCPU's {@code struct kvm_run}, as the last KVM_RUN left it. */
    public KvmRun kvmRun() {
        return kvmRun;
    }

    /** get_ucall(): what the last exit carried from the guest. */
    public Ucall getUcall() {
        return ucall;
    }

    /** The read-only view of this vCPU's PMU decisions. */
    public VcpuPmuView pmu() {
        return pmuView;
    }

    /** This vCPU's PMU registers (for the emulated vPMU). */
    public VcpuPmuRegs pmuRegs() {
        return regs;
    }

    /** kvm_arm_pmu_irq_initialized(): an IRQ of 16 or more was set. */
    boolean pmuIrqInitialized() {
        return pmuIrqNum >= 16;
    }

    /**
     * kvm_reset_vcpu(): the VM's ID registers once, from the first vCPU initialised
     * (reset_vm_ftr_id_reg), then this vCPU's registers, whose reset values depend on them
     * (reset_pmevtyper masks with the guest's event mask). Guest code an exit left in its middle
     * is dropped: the vCPU starts again.
     */
    private void reset() {
        if (!kvm.idRegsInitialized) {
            kvm.idAa64dfr0 = IdAa64dfr0.sanitised(hasPmu(), kvm.host().pmuVerLimit());
            kvm.idRegsInitialized = true;
        }
        regs.reset();
        guestThread.abandon();
        ucall = Ucall.NONE;
    }

    /** PMU registers are hidden from userspace without the PMU feature (pmu_visibility). */
    private PmuRegister.Named visiblePmuRegister(long regId) {
        PmuRegister.Named reg = KvmUapi.decodePmuRegister(regId);
        return reg != null && hasPmu() && VcpuPmuRegs.userAccessible(reg.register()) ? reg : null;
    }

    /** The guest's PMU register accesses; without the PMU feature every one is UNDEFINED. */
    private final class GuestAccess implements Guest {
        @Override
        public int vcpuId() {
            return id;
        }

        @Override
        public long read(PmuRegister reg, int n) {
            checkEncodable(reg, n);
            if (!hasPmu()) {
                throw GuestSyncException.undefined("MRS " + reg.archName(n) + " on vCPU " + id + " without a PMU");
            }
            return regs.guestRead(reg, n);
        }

        @Override
        public void write(PmuRegister reg, int n, long value) {
            checkEncodable(reg, n);
            if (!hasPmu()) {
                throw GuestSyncException.undefined("MSR " + reg.archName(n) + " on vCPU " + id + " without a PMU");
            }
            regs.guestWrite(reg, n, value);
            if (!kvm.irqchipInKernel()) {
                // The trap is handled and KVM loops back to the entry: flush, then
                // kvm_vcpu_exit_request(), which returns to a userspace irqchip if the line changed.
                updatePmuState();
                if (shouldNotifyUser()) {
                    guestThread.exitToUserspace();
                }
            }
        }

        /** PMEVCNTR<n>_EL0 and PMEVTYPER<n>_EL0 exist for n = 0..30 only: no instruction names others. */
        private void checkEncodable(PmuRegister reg, int n) {
            requireNonNull(reg, "reg is null");
            if (reg.indexed() && (n < 0 || n > 30)) {
                throw new IllegalArgumentException(reg + " has no index " + n + " (0..30)");
            }
        }
    }
}
