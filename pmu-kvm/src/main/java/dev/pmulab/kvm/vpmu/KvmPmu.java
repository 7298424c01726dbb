package dev.pmulab.kvm.vpmu;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.ControlRule;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.HostView;
import dev.pmulab.kvm.CostSink;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.KvmHost;
import dev.pmulab.kvm.Vcpu;
import dev.pmulab.kvm.perf.PerfCore;
import dev.pmulab.kvm.perf.PerfPmu;
import dev.pmulab.kvm.perf.PerfTask;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * KVM's PMU side of one host: the vCPUs' PMUs ({@link VcpuPmu}), the host PMU interrupt's KVM part,
 * and the allocation policy's view of the host and its control surface, checked against the
 * hardware and charged (partitioning-and-policies.md §3.3–§3.10, §6). With no policy every vCPU is
 * emulated and HPMN stays N: upstream KVM, as the {@code emulated} plugin also gives.
 */
public final class KvmPmu {
    final KvmHost kvmHost;
    final PerfCore perf;
    final PmuWorkMeter meter;
    final AllocationPolicy policy;
    final String policyName;
    /** The fine-grained traps a partitioned guest keeps (the series' version being modelled). */
    final PartitionFgtSet partitionFgt;

    private final KvmCpu[] cpus;
    private final List<VcpuPmu> vcpus = new ArrayList<>();
    private final KvmPmuControl control;
    private final HostView hostView;
    private final List<String> pmuNames;
    /** The time of the operation in progress (the policy's {@link HostView#now()}). */
    long now;

    // Counts for KvmPmuStats.
    long hostIsolationBreaches;
    long guestVisibleNNotes;
    long guestShareCuts;
    long refusedControls;
    final Map<ControlRule, Long> refusalsByRule = new EnumMap<>(ControlRule.class);
    long hpmnChanges;
    long hostCounterMaskChanges;
    long hostReschedules;
    long accessModeChanges;
    long guestIrqForwards;

    /**
     * @param kvm the host as KVM sees it (its CPUs and PMUs must be the perf core's)
     * @param perf the host perf core over the CPUs' PEs
     * @param costs where kernel time is charged; a {@link PmuWorkMeter} shared with {@code perf}
     *     lets the vcpu_load/put samples include the perf work KVM causes
     * @param policy the allocation policy, or null for upstream KVM (every vCPU emulated)
     * @param policyName the policy's name, as refusals and errors name it
     */
    public KvmPmu(KvmHost kvm, PerfCore perf, CostSink costs, AllocationPolicy policy, String policyName) {
        this(kvm, perf, costs, policy, policyName, PartitionFgtSet.V8);
    }

    /**
     * As {@link #KvmPmu(KvmHost, PerfCore, CostSink, AllocationPolicy, String)}, with the trap set of
     * a given version of the partitioning series.
     *
     * @param partitionFgt the HDFGRTR_EL2/HDFGWTR_EL2 bits a partitioned guest keeps trapped
     */
    public KvmPmu(
            KvmHost kvm,
            PerfCore perf,
            CostSink costs,
            AllocationPolicy policy,
            String policyName,
            PartitionFgtSet partitionFgt) {
        this.partitionFgt = requireNonNull(partitionFgt, "partitionFgt is null");
        this.kvmHost = requireNonNull(kvm, "kvm is null");
        this.perf = requireNonNull(perf, "perf is null");
        requireNonNull(costs, "costs is null");
        this.meter = costs instanceof PmuWorkMeter m ? m : new PmuWorkMeter(costs, PmuWorkMeter.Prices.DEFAULTS);
        this.policy = policy;
        this.policyName = requireNonNull(policyName, "policyName is null");
        if (kvm.nrCpus() != perf.cpuCount()) {
            throw new IllegalArgumentException("KVM sees " + kvm.nrCpus() + " CPUs but perf has " + perf.cpuCount());
        }
        if (kvm.vhe() != perf.config().vhe()) {
            throw new IllegalArgumentException("KVM and perf disagree on VHE (" + kvm.vhe() + ", "
                    + perf.config().vhe() + ")");
        }
        this.cpus = new KvmCpu[perf.cpuCount()];
        for (int i = 0; i < cpus.length; i++) {
            cpus[i] = new KvmCpu(i, perf.pe(i), perf);
        }
        List<String> names = new ArrayList<>();
        for (PerfPmu p : perf.pmus()) {
            names.add(p.name());
        }
        this.pmuNames = List.copyOf(names);
        this.control = new KvmPmuControl(this);
        this.hostView = new Host();
    }

    /** Host boot: the policy's hostBoot hook (the driver's probe, boot parameters). */
    public void hostBoot(long now) {
        this.now = now;
        if (policy != null) {
            policy.hostBoot(hostView, control);
        }
    }

    /**
     * Gives a vCPU whose PMU INIT succeeded its KVM PMU. It starts emulated; the policy may make it
     * direct at its first vcpu_load.
     *
     * @param vcpuThread the vCPU thread, which its emulated counters' perf events are bound to
     * @param partitionRequested the VM asked for a partitioned PMU (the series' per-VM opt-in)
     */
    public VcpuPmu attach(Vcpu vcpu, PerfTask vcpuThread, String vmName, int vmId, boolean partitionRequested) {
        requireNonNull(vcpu, "vcpu is null");
        requireNonNull(vcpuThread, "vcpuThread is null");
        requireNonNull(vmName, "vmName is null");
        if (vcpu.vm().host() != kvmHost) {
            throw new IllegalArgumentException("vCPU " + vcpu.id() + " of " + vmName + " belongs to another host");
        }
        if (!vcpu.pmu().hasPmu() || !vcpu.pmu().initialized()) {
            throw new IllegalStateException(
                    "vCPU " + vcpu.id() + " of " + vmName + " has no initialised PMU (KVM_ARM_VCPU_PMU_V3_INIT first)");
        }
        for (VcpuPmu v : vcpus) {
            if (v.vcpu == vcpu) {
                throw new IllegalStateException(v + " is already attached");
            }
        }
        VcpuPmu v = new VcpuPmu(this, vcpu, vcpuThread, vmName, vmId, partitionRequested);
        vcpus.add(v);
        return v;
    }

    public HostView hostView() {
        return hostView;
    }

    public CpuView cpuView(int cpu) {
        return cpu(cpu);
    }

    /** The allocation policy's control surface: checked against the hardware, charged, refusals named. */
    public AllocationControl control() {
        return control;
    }

    /** An administrator wrote {@code knob} (a sysfs file): the policy's adminWrite hook. */
    public void adminWrite(String knob, long value, long now) {
        requireNonNull(knob, "knob is null");
        this.now = now;
        if (policy == null) {
            throw new IllegalArgumentException(policyName + " has no knob '" + knob + "'; it has no knobs");
        }
        policy.adminWrite(knob, value, hostView, control);
    }

    /**
     * The host PMU interrupt on {@code cpu}: perf handles the host's and the emulated guests'
     * events (their overflow handlers raise the guest interrupt, C18), then for a direct vCPU loaded
     * there kvm_pmu_handle_guest_irq moves the guest range's flags into its virtual PMOVSSET and
     * injects if its interrupt is now pending (C18). When only guest counters had overflowed, perf
     * found nothing and the interrupt's entry and exit (C16) are charged here.
     */
    public void handlePmuIrq(int cpu, long now) {
        KvmCpu c = cpu(cpu);
        this.now = now;
        boolean host = perf.handleIrq(cpu, now);
        if (host) {
            // The driver re-armed events with their host filter bits; armv8pmu_start requested a
            // resync, which KVM performs before re-entering the guest.
            resyncEl0(cpu, now);
        }
        VcpuPmu v = c.loaded;
        if (v != null && v.loaded() && v.mode == GuestAccessMode.DIRECT && v.direct.kvmPmuHandleGuestIrq(now)) {
            guestIrqForwards++;
            if (!host) {
                meter.charge(cpu, KernelCost.PMU_IRQ_HANDLING, 0);
            }
            v.injectIfPending(cpu);
        }
    }

    /**
     * {@code kvm_vcpu_pmu_resync_el0}: the host perf core reprogrammed counters on {@code cpu}
     * (an interrupt, a rotation, a frequency re-tune) while a vCPU is loaded there, and each
     * reprogrammed event got its host filter bits back (exclude_host drops EL0 on VHE). KVM re-applies
     * the EL0 flip (kvm_vcpu_pmu_restore_guest, C7 per EVTYPER) before the guest runs again.
     */
    public void resyncEl0(int cpu, long now) {
        VcpuPmu v = cpu(cpu).loaded;
        if (v != null && v.loaded()) {
            v.kvmVcpuPmuRestoreGuest(now);
        }
    }

    /** Host-side counts; the per-vCPU ones are in each {@link VcpuPmu#stats()}. */
    public KvmPmuStats stats() {
        long guestBreaches = 0;
        for (VcpuPmu v : vcpus) {
            guestBreaches += v.isolationBreaches;
        }
        return new KvmPmuStats(
                hostIsolationBreaches,
                guestBreaches,
                guestVisibleNNotes,
                guestShareCuts,
                refusedControls,
                Map.copyOf(refusalsByRule),
                hpmnChanges,
                hostCounterMaskChanges,
                hostReschedules,
                accessModeChanges,
                guestIrqForwards);
    }

    /** The attached vCPUs, in attach order. */
    public List<VcpuPmu> vcpus() {
        return List.copyOf(vcpus);
    }

    public String policyName() {
        return policyName;
    }

    KvmCpu cpu(int cpu) {
        if (cpu < 0 || cpu >= cpus.length) {
            throw new IllegalArgumentException("no CPU " + cpu + " (0.." + (cpus.length - 1) + ")");
        }
        return cpus[cpu];
    }

    /**
     * The time of a control action on {@code c}: the operation in progress, or the CPU's PE time if
     * that is later (an action outside a hook, after the PE ran on).
     */
    long nowOn(KvmCpu c) {
        return Math.max(now, c.pe.now());
    }

    int cpuCount() {
        return cpus.length;
    }

    boolean vhe() {
        return kvmHost.vhe();
    }

    /** The host as the policy sees it. */
    private final class Host implements HostView {
        @Override
        public long now() {
            return now;
        }

        @Override
        public int cpuCount() {
            return cpus.length;
        }

        @Override
        public CpuView cpu(int cpu) {
            return KvmPmu.this.cpu(cpu);
        }

        @Override
        public boolean vhe() {
            return kvmHost.vhe();
        }

        @Override
        public List<String> pmuNames() {
            return pmuNames;
        }

        @Override
        public int[] pmuCpus(String pmuName) {
            return perf.pmu(requireNonNull(pmuName, "pmuName is null"))
                    .descriptor()
                    .cpus();
        }
    }
}
