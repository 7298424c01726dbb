package dev.pmulab.kvm.vpmu;

import dev.pmulab.api.CommonEvents;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.PmuVer;
import dev.pmulab.api.VcpuView;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuConfig;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.kvm.perf.PerfCore;
import dev.pmulab.kvm.perf.PerfEvent;
import dev.pmulab.kvm.perf.PerfPmu;
import java.util.Optional;

/**
 * KVM's per-CPU PMU state: the HPMN the allocation policy chose for guests on this CPU, the vCPU
 * loaded here, the host's MDCR_EL2 and fine-grained trap registers while a vCPU has replaced them,
 * and the bracket through which KVM touches PMU registers at EL2. It is also the policy's
 * {@link CpuView} of the CPU.
 */
final class KvmCpu implements CpuView {
    static final long CYCLE_BIT = 1L << Pe.CYCLE_COUNTER;

    final int id;
    final Pe pe;
    final PerfCore perf;
    final PerfPmu hostPmu;
    final int n;
    final boolean fgt;
    final boolean hpmn0;
    /** FEAT_BRBE: perf reads an emulated guest's counter at every time_running query (GuestPmuAccounting never defers it). */
    final boolean brbe;

    private final String coreType;
    /** The PE's PMU version and common events, as the policy's view reports them. */
    private final PmuVer pmuVersion;

    private final CommonEvents commonEvents;
    /**
     * An event number this PE does not implement (none of SW_INCR and CHAIN): a partitioned guest's
     * PMEVTYPER gets it when the VM's filter denies the guest's event, so the counter counts nothing
     * while the virtual copy keeps the guest's value (partitioning v5, §3.4).
     */
    final int unimplementedEvent;

    /** MDCR_EL2.HPMN for guests on this CPU, as the policy set it (N: nothing partitioned). */
    int hpmn;
    /** The vCPU loaded (or being loaded or put) here. */
    VcpuPmu loaded;

    // The host's trap configuration while a vCPU's replaces it.
    long hostMdcr;
    long hostHdfgrtr;
    long hostHdfgwtr;

    // The EL2 bracket: KVM's register accesses happen at EL2 whatever the PE was running.

    KvmCpu(int id, Pe pe, PerfCore perf) {
        this.id = id;
        this.pe = pe;
        this.perf = perf;
        this.hostPmu = perf.pmuOfCpu(id);
        PmuConfig config = pe.config();
        this.n = config.n();
        this.fgt = config.fgt();
        this.hpmn0 = config.hpmn0();
        this.brbe = config.brbe();
        this.hpmn = n;
        this.coreType = coreTypeOf(hostPmu.name());
        // The SPI's version is read from the ID register field, the encoding both sides share.
        this.pmuVersion = PmuVer.ofFieldValue(config.version().idAa64dfr0PmuVer());
        this.commonEvents = new CommonEvents(config.pmceid0(), config.pmceid1());
        this.unimplementedEvent = unimplementedEvent(config);
    }

    /** {@code armv8_cortex_a76} → {@code cortex-a76}. */
    private static String coreTypeOf(String pmuName) {
        String s = pmuName;
        if (s.startsWith("armv8_") || s.startsWith("armv9_")) {
            s = s.substring(6);
        }
        return s.replace('_', '-');
    }

    private static int unimplementedEvent(PmuConfig config) {
        int mask = config.version().eventNumberMask();
        for (int e = 1; e <= mask; e++) {
            if (e != Events.CHAIN && !config.implementsEvent(e)) {
                return e;
            }
        }
        throw new IllegalArgumentException("the PE implements every event number; none can stand for a denied event");
    }

    /** Event counters 0..count-1 and PMCCNTR: a guest's range under HPMN = count (§6.2). */
    static long guestRange(int count) {
        return (count <= 0 ? 0 : (1L << count) - 1) | CYCLE_BIT;
    }

    /**
     * Enters EL2 for KVM's zero-length register accesses: counters are brought up to {@code now}
     * and nothing counts in between. Nests; {@link #hypExit} restores the level and rates.
     */
    void hypEnter(long now) {
        pe.enterEl2(now);
    }

    void hypExit() {
        pe.exitEl2();
    }

    /** Saves the host's MDCR_EL2 and FGT registers before a vCPU's replace them (inside the bracket). */
    void saveHostTraps() {
        hostMdcr = pe.readChecked(PmuRegister.MDCR_EL2, 0);
        if (fgt) {
            hostHdfgrtr = pe.readChecked(PmuRegister.HDFGRTR_EL2, 0);
            hostHdfgwtr = pe.readChecked(PmuRegister.HDFGWTR_EL2, 0);
        }
    }

    /** Puts the host's MDCR_EL2 and FGT registers back (inside the bracket). */
    void restoreHostTraps() {
        pe.writeChecked(PmuRegister.MDCR_EL2, 0, hostMdcr);
        if (fgt) {
            pe.writeChecked(PmuRegister.HDFGRTR_EL2, 0, hostHdfgrtr);
            pe.writeChecked(PmuRegister.HDFGWTR_EL2, 0, hostHdfgwtr);
        }
    }

    /**
     * The counters the loaded vCPU's own emulated perf events occupy: KVM's, not the host's, when a
     * policy weighs host events against the guest share of that same vCPU.
     */
    private long loadedVcpuEventCounters() {
        VcpuPmu v = loaded;
        if (v == null) {
            return 0;
        }
        long mask = 0;
        PmuEmul emul = v.emul;
        for (int i = 0; i < PmuEmul.NR_PMCS; i++) {
            PerfEvent e = emul.event(i);
            if (e != null && e.oncpu() == id && e.hwIdx() >= 0) {
                int idx = e.hwIdx();
                mask |= e.isChained() ? 3L << (idx - 1) : 1L << idx;
            }
        }
        return mask;
    }

    // ---- CpuView ----

    @Override
    public int id() {
        return id;
    }

    @Override
    public String coreType() {
        return coreType;
    }

    @Override
    public String pmuName() {
        return hostPmu.name();
    }

    @Override
    public int counters() {
        return n;
    }

    @Override
    public PmuVer pmuVersion() {
        return pmuVersion;
    }

    @Override
    public CommonEvents commonEvents() {
        return commonEvents;
    }

    @Override
    public boolean fgt() {
        return fgt;
    }

    @Override
    public boolean hpmn0() {
        return hpmn0;
    }

    @Override
    public int hpmn() {
        return hpmn;
    }

    @Override
    public long hostCounterMask() {
        return perf.cntrMask(id);
    }

    @Override
    public long hostCountersInUse() {
        return perf.usedMask(id) & ~loadedVcpuEventCounters();
    }

    @Override
    public long hostPinnedCounters() {
        return perf.pinnedCounterMask(id) & ~loadedVcpuEventCounters();
    }

    @Override
    public Optional<VcpuView> loadedVcpu() {
        return loaded == null ? Optional.empty() : Optional.of(loaded.view());
    }

    @Override
    public String toString() {
        return "cpu" + id + "(" + hostPmu.name() + ", N=" + n + ", HPMN=" + hpmn + ")";
    }
}
