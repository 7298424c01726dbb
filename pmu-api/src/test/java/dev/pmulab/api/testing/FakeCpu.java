package dev.pmulab.api.testing;

import dev.pmulab.api.CommonEvents;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.PmuVer;
import dev.pmulab.api.VcpuView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A CPU's PMU as the host sees it, with host perf events placed on counters. */
public final class FakeCpu implements CpuView {
    public static final long CYCLE_COUNTER = 1L << 31;

    /** A host perf event: pinned or flexible, a cycles event (which prefers PMCCNTR) or not. */
    public static final class HostEvent {
        public final boolean pinned;
        public final boolean cycles;
        /** The counter it occupies (31 for PMCCNTR), or -1 when it has none (flexible: waiting; pinned: ERROR). */
        public int counter;

        public HostEvent(boolean pinned, boolean cycles, int counter) {
            this.pinned = pinned;
            this.cycles = cycles;
            this.counter = counter;
        }
    }

    private final int id;
    private final String coreType;
    private final int counters;
    private final boolean hpmn0;
    private final boolean fgt;
    public int hpmn;
    public long hostCounterMask;
    public final List<HostEvent> events = new ArrayList<>();
    public VcpuView loaded;
    /** PMUv3p5 unless a test says otherwise. */
    public PmuVer pmuVersion = PmuVer.V3P5;
    /** SW_INCR, CPU_CYCLES, INST_RETIRED and the two stall events unless a test says otherwise. */
    public CommonEvents commonEvents =
            new CommonEvents((1L << 0x00) | (1L << 0x08) | (1L << 0x11), (1L << (0x23 - 0x20)) | (1L << (0x24 - 0x20)));

    public FakeCpu(int id, String coreType, int counters, boolean hpmn0) {
        this.id = id;
        this.coreType = coreType;
        this.counters = counters;
        this.hpmn0 = hpmn0;
        this.fgt = hpmn0; // FEAT_HPMN0 requires FEAT_FGT; a CPU without HPMN0 here is an older one without FGT
        this.hpmn = counters;
        this.hostCounterMask = eventCounters(counters) | CYCLE_COUNTER;
    }

    public static long eventCounters(int count) {
        return count <= 0 ? 0 : (1L << count) - 1;
    }

    /** Puts a host event on {@code counter} (test set-up: where perf placed it earlier). */
    public FakeCpu hostEvent(boolean pinned, int counter) {
        for (HostEvent e : events) {
            if (e.counter == counter) {
                throw new IllegalArgumentException("counter " + counter + " already holds a host event");
            }
        }
        events.add(new HostEvent(pinned, counter == 31, counter));
        return this;
    }

    public FakeCpu pinnedOn(int... counters) {
        for (int c : counters) {
            hostEvent(true, c);
        }
        return this;
    }

    public FakeCpu flexibleOn(int... counters) {
        for (int c : counters) {
            hostEvent(false, c);
        }
        return this;
    }

    /** Pinned host events that lost their counter: perf's ERROR state. */
    public long pinnedInError() {
        return events.stream().filter(e -> e.pinned && e.counter < 0).count();
    }

    /** Flexible host events without a counter. */
    public long flexibleWaiting() {
        return events.stream().filter(e -> !e.pinned && e.counter < 0).count();
    }

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
        return "armv8_" + coreType.replace('-', '_');
    }

    @Override
    public int counters() {
        return counters;
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
        return hostCounterMask;
    }

    @Override
    public long hostCountersInUse() {
        long m = 0;
        for (HostEvent e : events) {
            if (e.counter >= 0) {
                m |= 1L << e.counter;
            }
        }
        return m;
    }

    @Override
    public long hostPinnedCounters() {
        long m = 0;
        for (HostEvent e : events) {
            if (e.pinned && e.counter >= 0) {
                m |= 1L << e.counter;
            }
        }
        return m;
    }

    @Override
    public Optional<VcpuView> loadedVcpu() {
        return Optional.ofNullable(loaded);
    }
}
