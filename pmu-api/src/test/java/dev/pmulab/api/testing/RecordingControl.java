package dev.pmulab.api.testing;

import static dev.pmulab.api.ControlRule.HPMN0;
import static dev.pmulab.api.ControlRule.HPMN_LE_N;
import static dev.pmulab.api.ControlRule.IMPLEMENTED_COUNTERS;
import static dev.pmulab.api.ControlRule.PINNED_HOST_EVENT;
import static dev.pmulab.api.ControlRule.VHE_ONLY;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationOrder;
import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.api.ControlRule;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.VcpuView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Records every control action and, like the core, refuses what the hardware forbids (HPMN &gt; N,
 * HPMN = 0 without FEAT_HPMN0, a partition on an nVHE host, a guest share over a pinned host event).
 * It is stricter than the core in two ways, so that a test fails (an AssertionError) when a policy
 * is careless: HPMN may not hand the guest a counter any host event still sits on or that cntr_mask
 * still offers the host, and setHostCounterMask may not strand a host event outside the mask (that needs a
 * reschedule). reschedHostPerf models perf: every host event out, pinned ones back in first, each
 * on a free counter of the new mask in the host's allocation order (a cycles event on PMCCNTR when
 * it may); what does not fit has no counter (pinned ones are in ERROR).
 */
public final class RecordingControl implements AllocationControl {
    private final FakeHost host;
    private final String policy;
    public final List<String> actions = new ArrayList<>();
    public AllocationOrder order = AllocationOrder.BOTTOM_UP;

    public RecordingControl(FakeHost host, String policy) {
        this.host = host;
        this.policy = policy;
    }

    public long count(String action) {
        return actions.stream().filter(a -> a.startsWith(action + "(")).count();
    }

    public List<String> only(String action) {
        return actions.stream().filter(a -> a.startsWith(action + "(")).toList();
    }

    private ControlRefusedException refuse(ControlRule rule, String detail) {
        return new ControlRefusedException(policy, rule, detail);
    }

    /** A check stricter than the core's: the policy was careless, so the test fails. */
    private AssertionError careless(String what, String detail) {
        return new AssertionError("policy " + policy + " " + what + ": " + detail);
    }

    private FakeCpu cpu(int cpu) {
        return host.fakeCpu(cpu);
    }

    private void checkImplemented(FakeCpu c, long mask) {
        long implemented = FakeCpu.eventCounters(c.counters()) | FakeCpu.CYCLE_COUNTER;
        if ((mask & ~implemented) != 0) {
            throw refuse(
                    IMPLEMENTED_COUNTERS,
                    String.format("cntr_mask 0x%x on cpu %d with N=%d", mask, c.id(), c.counters()));
        }
    }

    @Override
    public void setHpmn(int cpu, int hpmn) {
        FakeCpu c = cpu(cpu);
        if (!host.vhe()) {
            throw refuse(VHE_ONLY, "HPMN on an nVHE host");
        }
        if (hpmn < 0 || hpmn > c.counters()) {
            throw refuse(HPMN_LE_N, "HPMN " + hpmn + " on cpu " + cpu + " with N=" + c.counters());
        }
        if (hpmn == 0 && !c.hpmn0()) {
            throw refuse(HPMN0, "HPMN 0 on cpu " + cpu + " without FEAT_HPMN0");
        }
        long guest = FakeCpu.eventCounters(hpmn) | FakeCpu.CYCLE_COUNTER;
        if ((c.hostPinnedCounters() & guest) != 0) {
            throw refuse(
                    PINNED_HOST_EVENT,
                    String.format(
                            "HPMN %d on cpu %d crosses pinned host counters 0x%x", hpmn, cpu, c.hostPinnedCounters()));
        }
        if ((c.hostCountersInUse() & guest) != 0) {
            throw careless(
                    "breaks isolation",
                    String.format(
                            "HPMN %d on cpu %d hands over host counters 0x%x",
                            hpmn, cpu, c.hostCountersInUse() & guest));
        }
        if ((c.hostCounterMask & guest) != 0) {
            throw careless(
                    "breaks isolation",
                    String.format(
                            "HPMN %d on cpu %d while cntr_mask 0x%x still offers them", hpmn, cpu, c.hostCounterMask));
        }
        c.hpmn = hpmn;
        actions.add("setHpmn(" + cpu + ", " + hpmn + ")");
    }

    @Override
    public void setHostCounterMask(int cpu, long counterMask) {
        FakeCpu c = cpu(cpu);
        checkImplemented(c, counterMask);
        if ((c.hostCountersInUse() & ~counterMask) != 0) {
            throw careless(
                    "needs a reschedule",
                    String.format(
                            "cntr_mask 0x%x on cpu %d strands host events on 0x%x",
                            counterMask, cpu, c.hostCountersInUse() & ~counterMask));
        }
        c.hostCounterMask = counterMask;
        actions.add(String.format("setHostCounterMask(%d, 0x%x)", cpu, counterMask));
    }

    @Override
    public void reschedHostPerf(int cpu, long counterMask) {
        FakeCpu c = cpu(cpu);
        checkImplemented(c, counterMask);
        c.hostCounterMask = counterMask;
        List<FakeCpu.HostEvent> byPriority = new ArrayList<>(c.events);
        byPriority.sort(Comparator.comparing(e -> !e.pinned)); // stable: pinned first, then in creation order
        long used = 0;
        for (FakeCpu.HostEvent e : byPriority) {
            e.counter = -1;
        }
        for (FakeCpu.HostEvent e : byPriority) {
            long free = counterMask & ~used;
            if (e.cycles && (free & FakeCpu.CYCLE_COUNTER) != 0) {
                e.counter = 31;
            } else {
                long general = free & FakeCpu.eventCounters(c.counters());
                if (general != 0) {
                    e.counter = order == AllocationOrder.TOP_DOWN
                            ? 63 - Long.numberOfLeadingZeros(general)
                            : Long.numberOfTrailingZeros(general);
                }
            }
            if (e.counter >= 0) {
                used |= 1L << e.counter;
            }
        }
        actions.add(String.format("reschedHostPerf(%d, 0x%x)", cpu, counterMask));
    }

    @Override
    public void setHostAllocationOrder(AllocationOrder order) {
        this.order = order;
        actions.add("setHostAllocationOrder(" + order + ")");
    }

    @Override
    public void setGuestAccess(VcpuView vcpu, GuestAccessMode mode) {
        if (mode == GuestAccessMode.DIRECT && !host.vhe()) {
            throw refuse(VHE_ONLY, "direct guest counters on an nVHE host");
        }
        ((FakeVcpu) vcpu).accessMode = mode;
        actions.add("setGuestAccess(" + vcpu + ", " + mode + ")");
    }

    @Override
    public void noteGuestVisibleN(VcpuView vcpu, int newN) {
        ((FakeVcpu) vcpu).guestVisibleN = newN;
        actions.add("noteGuestVisibleN(" + vcpu + ", " + newN + ")");
    }

    @Override
    public void noteGuestShareCut(VcpuView vcpu, int cpu, int wanted, int granted) {
        actions.add("noteGuestShareCut(" + vcpu + ", " + cpu + ", " + wanted + ", " + granted + ")");
    }
}
