package dev.pmulab.kvm.vpmu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.kvm.KvmPmuEventFilter;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GuestPmuAccounting}'s deferred settle (a direct vCPU with no denied counter settles only
 * when a refresh changes its masks, at a put, a mode or HPMN change) against settling at every
 * guest access, as {@link VcpuPmu#settleAccountsEveryAccess} makes it. Two identical partitioned
 * testbeds run the same seeded random guest accesses (enables, PMCR_EL0.E, event types, some denied
 * by the VM's filter, counter reads, counters above HPMN that make the policy grow it), time
 * passing, and loads and puts; after every step both must report the same counter accounts.
 * {@value #CASES} seeds; a failure names its seed and step.
 */
final class GuestPmuAccountingProperties {
    private static final int CASES = 300;
    private static final int[] EVENTS = {
        Events.INST_RETIRED, Events.CPU_CYCLES, Events.L1D_CACHE, Events.BR_RETIRED, Events.SW_INCR, Events.CHAIN
    };

    static LongStream seeds() {
        return LongStream.rangeClosed(1, CASES);
    }

    private static VpmuTestbed testbed(int hpmn, boolean filtered) {
        VpmuTestbed.Builder b = VpmuTestbed.builder()
                .policy(new TestPartitionPolicy(hpmn), TestPartitionPolicy.NAME)
                .partition(true);
        if (filtered) {
            b.filter(KvmPmuEventFilter.deny(Events.L1D_CACHE, 1));
        }
        return b.build();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void deferredSettleEqualsSettlingAtEveryAccess(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int hpmn = r.nextInt(1, 6);
        boolean filtered = r.nextBoolean();
        VpmuTestbed deferred = testbed(hpmn, filtered);
        VpmuTestbed eager = testbed(hpmn, filtered);
        eager.vp.settleAccountsEveryAccess();
        long t = 0;
        boolean loaded = true;
        for (VpmuTestbed tb : new VpmuTestbed[] {deferred, eager}) {
            tb.enter(0, t);
            tb.wr(PmuRegister.PMCR_EL0, PmcrEl0.E, t);
        }
        int steps = r.nextInt(1, 150);
        for (int step = 0; step < steps; step++) {
            t += r.nextInt(0, 5000);
            int kind = r.nextInt(0, 16);
            String what;
            if (kind == 0) {
                what = loaded ? "put" : "load";
                for (VpmuTestbed tb : new VpmuTestbed[] {deferred, eager}) {
                    if (loaded) {
                        tb.exit(t);
                    } else {
                        tb.enter(0, t);
                    }
                }
                loaded = !loaded;
            } else if (!loaded) {
                what = "time passes off the CPU";
            } else {
                PmuRegister reg;
                int index = r.nextInt(0, 6);
                long value;
                boolean write = true;
                switch (kind % 8) {
                    case 1 -> {
                        reg = PmuRegister.PMCNTENSET_EL0;
                        value = r.nextLong(0, 64) | (r.nextBoolean() ? 1L << Pe.CYCLE_COUNTER : 0);
                    }
                    case 2 -> {
                        reg = PmuRegister.PMCNTENCLR_EL0;
                        value = r.nextLong(0, 64) | (r.nextBoolean() ? 1L << Pe.CYCLE_COUNTER : 0);
                    }
                    case 3 -> {
                        reg = PmuRegister.PMCR_EL0;
                        value = r.nextInt(0, 5) == 0 ? 0 : PmcrEl0.E;
                    }
                    case 4 -> {
                        reg = PmuRegister.PMEVTYPER_EL0;
                        value = EVENTS[r.nextInt(EVENTS.length)];
                    }
                    case 5 -> {
                        reg = PmuRegister.PMCCNTR_EL0;
                        value = 0;
                        write = false;
                    }
                    default -> {
                        reg = PmuRegister.PMEVCNTR_EL0;
                        value = r.nextLong(0, 1L << 32);
                        write = r.nextBoolean();
                    }
                }
                what = (write ? "write " : "read ") + reg + "[" + index + "] = " + Long.toHexString(value);
                for (VpmuTestbed tb : new VpmuTestbed[] {deferred, eager}) {
                    if (write) {
                        tb.wr(reg, index, value, t);
                    } else {
                        tb.rd(reg, index, t);
                    }
                }
            }
            assertThat(deferred.vp.stats().counters())
                    .as("seed %d, step %d at %d: %s", seed, step, t, what)
                    .isEqualTo(eager.vp.stats().counters());
        }
        if (loaded) {
            t += r.nextInt(0, 5000);
            deferred.vp.settleAtEndOfWindow(t);
            eager.vp.settleAtEndOfWindow(t);
        }
        assertThat(deferred.vp.stats().counters())
                .as("seed %d, end of window at %d", seed, t)
                .isEqualTo(eager.vp.stats().counters());
    }
}
