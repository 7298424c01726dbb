package dev.pmulab.kvm.vpmu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.kvm.CostSink;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The brief's rule: guest accesses, vcpu_load and vcpu_put allocate nothing but the returned GuestAccess. */
final class VpmuHotPathAllocationTest {
    /** A GuestAccess with compressed oops: a 12-byte header, a long and two booleans, 8-byte aligned. */
    private static final long GUEST_ACCESS_BYTES = 24;

    private static final int ACCESSES_PER_ROUND = 4;
    /** Fewer measured rounds than warm-up ones, so the load/put sample arrays do not grow while measured. */
    private static final int WARMUP = 20_000;

    private static final int MEASURED = 10_000;
    /**
     * One-off allocations of the JVM while measuring (a few hundred bytes seen); one extra object of
     * 16 bytes per round would add 160 KB, far beyond it.
     */
    private static final long JVM_SLACK = 4_096;

    private static long allocatedBy(Runnable round) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        for (int i = 0; i < WARMUP; i++) {
            round.run();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < MEASURED; i++) {
            round.run();
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static VpmuTestbed host(VpmuTestbed.Builder b, long[] charged) {
        CostSink sink = (cpu, cost, units) -> charged[0] += cost.defaultBaseNs();
        return b.costs(sink).build();
    }

    @Test
    void directLoadAccessesAndPutAllocateOnlyTheirResults() {
        long[] charged = new long[1];
        VpmuTestbed t =
                host(VpmuTestbed.builder().policy(new TestPartitionPolicy(2), TestPartitionPolicy.NAME), charged);
        t.enter(0, 0);
        t.guestPmuReset(0);
        t.wr(PmuRegister.PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);
        t.wr(PmuRegister.PMCNTENSET_EL0, 1, 0);
        t.wr(PmuRegister.PMCR_EL0, 1, 0);
        t.exit(100);
        long[] now = {1_000};
        long allocated = allocatedBy(() -> {
            long base = now[0];
            t.enter(0, base); // counting: restored eagerly, C7 per register
            t.rd(PmuRegister.PMEVCNTR_EL0, 0, base + 10); // untrapped
            t.wr(PmuRegister.PMEVTYPER_EL0, 0, Events.INST_RETIRED, base + 20); // trapped, filtered write-through
            t.rd(PmuRegister.PMOVSSET_EL0, base + 30); // trapped, folds the flags
            t.wr(PmuRegister.PMCNTENSET_EL0, 1, base + 40); // untrapped
            t.exit(base + 100);
            now[0] = base + 1_000;
        });
        assertThat(allocated).isLessThanOrEqualTo(MEASURED * ACCESSES_PER_ROUND * GUEST_ACCESS_BYTES + JVM_SLACK);
        assertThat(t.vp.stats().lazyRestores()).isEqualTo(1);
        assertThat(charged[0]).isPositive();
    }

    @Test
    void emulatedLoadTrappedAccessesAndPutAllocateOnlyTheirResults() {
        long[] charged = new long[1];
        VpmuTestbed t = host(VpmuTestbed.builder(), charged);
        t.enter(0, 0);
        t.guestPmuReset(0);
        t.wr(PmuRegister.PMEVTYPER_EL0, 0, Events.INST_RETIRED, 0);
        t.wr(PmuRegister.PMCNTENSET_EL0, 1, 0);
        t.wr(PmuRegister.PMCR_EL0, 1, 0);
        t.exit(100);
        long[] now = {1_000};
        long allocated = allocatedBy(() -> {
            long base = now[0];
            t.enter(0, base); // perf sched-in, then vcpu_load's EL0 flip
            t.rd(PmuRegister.PMEVCNTR_EL0, 0, base + 10); // shadow + perf_event_read_value
            t.rd(PmuRegister.PMCNTENSET_EL0, base + 20);
            t.wr(PmuRegister.PMINTENSET_EL1, 0, base + 30);
            t.wr(PmuRegister.PMSWINC_EL0, 0, base + 40);
            t.exit(base + 100);
            now[0] = base + 1_000;
        });
        assertThat(allocated).isLessThanOrEqualTo(MEASURED * ACCESSES_PER_ROUND * GUEST_ACCESS_BYTES + JVM_SLACK);
        // The guest's PMU reset's events, and counter 0's for INST_RETIRED; none in the loop.
        assertThat(t.vp.stats().perfEventsCreated()).isEqualTo(t.perfEventsAtReset() + 1);
    }
}
