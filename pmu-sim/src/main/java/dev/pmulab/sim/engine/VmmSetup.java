package dev.pmulab.sim.engine;

import dev.pmulab.api.EventFilter;
import dev.pmulab.api.HostView;
import dev.pmulab.api.VmView;
import dev.pmulab.api.VmmPmuControl;
import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.KvmPmuEventFilter;
import dev.pmulab.kvm.KvmUapi;
import dev.pmulab.kvm.UserPtr;
import dev.pmulab.kvm.Vcpu;
import dev.pmulab.kvm.Vm;
import dev.pmulab.kvm.perf.PerfSampleLimits;
import dev.pmulab.kvm.perf.PerfTask;
import dev.pmulab.sim.cost.CostModel;
import dev.pmulab.sim.guest.GuestPmuModels;
import dev.pmulab.sim.plugin.RunPolicies;
import dev.pmulab.sim.scenario.VmSpec;
import dev.pmulab.sim.scenario.Workload;
import dev.pmulab.sim.scenario.WorkloadProfile;
import dev.pmulab.sim.scenario.WorkloadRates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a VMM does through KVM's uAPI to start each VM, in the order KVM requires
 * (kvm-vpmu-uapi.md §1.2): create the vCPUs with the PMUv3 feature and the vGIC; the selection
 * and filter policies' {@code configureVm} through the VMM's {@link VmmPmuControl} (SET_PMU,
 * SET_NR_COUNTERS, FIXED_COUNTERS_ONLY, FILTER, pinning); the PMU interrupt (IRQ); vGIC init; INIT. Then one vCPU thread per vCPU with its workload, its guest model
 * ({@link GuestPmuModels}) and its vPMU ({@code KvmPmu.attach}).
 */
final class VmmSetup {
    /** PPI 23, the recommended PMU interrupt (pmuv3-architecture.md §2.8). */
    private static final int PMU_PPI = 23;
    /** SPIs the VMM gives the vGIC. */
    private static final int VGIC_NR_IRQS = 64;

    private final Host host;
    private final RunPolicies policies;
    private final CostModel costs;

    VmmSetup(Host host, RunPolicies policies, CostModel costs) {
        this.host = host;
        this.policies = policies;
        this.costs = costs;
    }

    /**
     * Sets up every VM of {@code specs} and adds its vCPU threads to {@code threads} (a thread's id
     * is its index there) and to {@code vcpus}.
     */
    void startVms(List<VmSpec> specs, List<SimThread> threads, List<SimVcpu> vcpus) {
        int vmId = 0;
        for (VmSpec spec : specs) {
            Vm vm = host.kvm.createVm();
            List<Vcpu> vmVcpus = new ArrayList<>();
            long features = spec.pmu() ? 1L << KvmUapi.KVM_ARM_VCPU_PMU_V3 : 0;
            host.kvm.pinSelfToCpu(spec.placement().initCpu());
            for (int i = 0; i < spec.vcpus(); i++) {
                vmVcpus.add(vm.createVcpu(i, features));
            }
            vm.createVgicV3(VGIC_NR_IRQS);
            SimVmView view = new SimVmView(spec, vmId, spec.placement().cpus());
            SimVmm vmm = new SimVmm(vmVcpus, view);
            if (spec.pmu()) {
                configurePmu(spec, vmVcpus, view, vmm);
            }
            // The VMM initialises the in-kernel vGIC before PMU INIT, which needs it (kvm-vpmu-uapi.md §1.2).
            vm.vgic().orElseThrow().init();
            if (spec.pmu()) {
                for (Vcpu v : vmVcpus) {
                    expectOk(
                            v.setDeviceAttr(KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL, KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT),
                            spec,
                            "INIT");
                }
            }
            addVcpuThreads(spec, vmId, vmVcpus, vmm.pinned != null ? vmm.pinned : view.allowedList, threads, vcpus);
            vmId++;
        }
    }

    /** The PMU attributes before INIT: the policies' choices, the filter, the interrupt. */
    private void configurePmu(VmSpec spec, List<Vcpu> vmVcpus, SimVmView view, SimVmm vmm) {
        spec.nrCounters().ifPresent(nr -> expectOk(vmm.setNrCounters(nr), spec, "SET_NR_COUNTERS"));
        HostView hostView = host.kvmPmu.hostView();
        policies.selection().ifPresent(p -> p.configureVm(view, hostView, vmm));
        policies.filter().ifPresent(p -> p.configureVm(view, hostView, vmm));
        for (Vcpu v : vmVcpus) {
            expectOk(
                    v.setDeviceAttr(
                            KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL, KvmUapi.KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(PMU_PPI)),
                    spec,
                    "IRQ");
        }
    }

    /** One thread per vCPU, on {@code allowed} unless the scenario pins each vCPU. */
    private void addVcpuThreads(
            VmSpec spec,
            int vmId,
            List<Vcpu> vmVcpus,
            List<Integer> allowed,
            List<SimThread> threads,
            List<SimVcpu> vcpus) {
        Workload w = spec.workload();
        Map<Integer, Long> userPerSecond = WorkloadRates.perSecond(w);
        EventRates userRates = WorkloadRates.toRates(userPerSecond);
        EventRates kernelRates =
                WorkloadRates.toRates(WorkloadRates.kernelPerSecond(userPerSecond.get(Events.CPU_CYCLES)));
        long instructionsPerSecond = userPerSecond.get(Events.INST_RETIRED);
        double exitShare = exitShare(w);
        // Each of the workload's exits costs one round trip (C2); the shares below scale it.
        long hvc = Math.max(1, costs.priceNs(KernelCost.HVC_ROUND_TRIP, 0));
        // After each of its exits the guest refills (C23): no progress for that long.
        double refillShare = Math.min(
                WorkloadRates.MAX_EXIT_AND_REFILL_SHARE - exitShare,
                exitShare * costs.priceNs(KernelCost.EXIT_INDIRECT, 0) / hvc);
        // Of each exit's round trip, its world switch is %guest for the host (C24).
        double exitGuestTimedShare =
                exitShare * Math.min(hvc, costs.priceNs(KernelCost.EXIT_GUEST_TIMED, 0)) / (double) hvc;
        EventRates refillRates =
                WorkloadRates.toRates(WorkloadRates.refillPerSecond(userPerSecond.get(Events.CPU_CYCLES)));
        GuestKernelActivity activity =
                GuestKernelActivity.of(w.profile()).withSwitchesPerSecond(w.contextSwitchesPerSecond());
        CpuTimeAccounts.GuestMode irqMode = CpuTimeAccounts.GuestMode.interrupt(spec.cputimeAccounting());
        // The guest kernel's perf sampling limits, one set for all its vCPUs, from its sysctls as the run
        // starts (vms[].sysctl; the kernel's defaults unless the scenario sets them).
        PerfSampleLimits guestPerfLimits = new PerfSampleLimits(spec.perfSysctls(), spec.guestHz());
        // The guest's event counters are 64-bit from PMUv3p5 (its driver then sets PMCR_EL0.LP).
        boolean longCounters =
                spec.pmu() && vmVcpus.get(0).vm().pmu().pmuVersion().atLeast(PmuVersion.P5);
        for (int i = 0; i < spec.vcpus(); i++) {
            Vcpu v = vmVcpus.get(i);
            PerfTask task = new PerfTask(Host.FIRST_PID + threads.size(), spec.name() + "/vcpu" + i);
            List<Integer> on =
                    spec.placement().pinned() ? List.of(spec.placement().pinnedCpu(i)) : allowed;
            SimVcpu sv = new SimVcpu(threads.size(), spec.name() + "/vcpu" + i, task, on, spec, v);
            boolean busy = w.profile() != WorkloadProfile.IDLE && i < w.threads();
            sv.load = busy ? w.load() : 0;
            sv.userRates = userRates;
            sv.kernelRates = kernelRates;
            sv.instructionsPerNs = instructionsPerSecond / 1e9;
            sv.exitShare = exitShare;
            sv.refillShare = refillShare;
            sv.exitGuestTimedShare = exitGuestTimedShare;
            sv.refillRates = refillRates;
            sv.irqMode = irqMode;
            if (busy) {
                sv.activity = activity;
                sv.switchesPerTick =
                        (activity.switchesPerSecond() + activity.forksPerSecond()) * w.load() / spec.guestHz();
            }
            sv.model = GuestPmuModels.forVcpu(spec, i, longCounters, guestPerfLimits);
            sv.measured = busy;
            if (spec.pmu()) {
                sv.pmu = host.kvmPmu.attach(v, task, spec.name(), vmId, spec.partition());
            }
            threads.add(sv);
            vcpus.add(sv);
        }
    }

    /**
     * The share of a vCPU's guest time its exits take in the host, at C2 per exit; the scenario
     * reader refused a workload whose share would pass {@link WorkloadRates#MAX_EXIT_SHARE}.
     */
    private double exitShare(Workload w) {
        double exitNs = costs.priceNs(KernelCost.HVC_ROUND_TRIP, 0);
        return Math.min(WorkloadRates.MAX_EXIT_SHARE, WorkloadRates.exitsPerSecond(w) * exitNs / 1e9);
    }

    private static void expectOk(int ret, VmSpec spec, String what) {
        if (ret != 0) {
            throw new IllegalStateException("VM " + spec.name() + ": KVM_ARM_VCPU_PMU_V3_" + what + " returned " + ret);
        }
    }

    /** The VMM's side of the selection policy: KVM's vCPU attributes on every vCPU, and pinning. */
    private final class SimVmm implements VmmPmuControl {
        private final List<Vcpu> vcpus;
        private final SimVmView view;
        List<Integer> pinned;

        SimVmm(List<Vcpu> vcpus, SimVmView view) {
            this.vcpus = vcpus;
            this.view = view;
        }

        private int onEvery(long attr, UserPtr arg) {
            for (Vcpu v : vcpus) {
                int r = arg == null
                        ? v.setDeviceAttr(KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL, attr)
                        : v.setDeviceAttr(KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL, attr, arg);
                if (r != 0) {
                    return r;
                }
            }
            return 0;
        }

        @Override
        public int setPmu(String pmuName) {
            int type = host.perf.pmu(pmuName).type();
            return onEvery(KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_PMU, UserPtr.ofInt(type));
        }

        @Override
        public int setNrCounters(int counters) {
            return onEvery(KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS, UserPtr.ofInt(counters));
        }

        @Override
        public int setEventFilter(EventFilter filter) {
            return onEvery(KvmUapi.KVM_ARM_VCPU_PMU_V3_FILTER, UserPtr.of(KvmPmuEventFilter.of(filter)));
        }

        @Override
        public int setFixedCountersOnly() {
            return onEvery(KvmUapi.KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY, null);
        }

        @Override
        public void pinVcpus(int[] cpuList) {
            List<Integer> l = new ArrayList<>();
            for (int c : cpuList) {
                if (view.allowedList.contains(c)) {
                    l.add(c);
                }
            }
            if (l.isEmpty()) {
                throw new IllegalArgumentException("VM " + view.vmName() + ": the selection policy pins its vCPUs to "
                        + Arrays.toString(cpuList) + ", none of which the scenario allows " + view.allowedList);
            }
            pinned = List.copyOf(l);
        }
    }

    /** The VM as policies see it during setup. */
    private static final class SimVmView implements VmView {
        private final VmSpec spec;
        private final int vmId;
        final List<Integer> allowedList;

        SimVmView(VmSpec spec, int vmId, List<Integer> allowed) {
            this.spec = spec;
            this.vmId = vmId;
            this.allowedList = List.copyOf(allowed);
        }

        @Override
        public String vmName() {
            return spec.name();
        }

        @Override
        public int vmId() {
            return vmId;
        }

        @Override
        public int vcpuCount() {
            return spec.vcpus();
        }

        @Override
        public String guestOs() {
            return spec.guestOs().configName();
        }

        @Override
        public int initCpu() {
            return spec.placement().initCpu();
        }

        @Override
        public int[] allowedCpus() {
            return allowedList.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
