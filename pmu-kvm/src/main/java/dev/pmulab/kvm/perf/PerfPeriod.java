package dev.pmulab.kvm.perf;

import java.math.BigInteger;

/**
 * The sampling-period arithmetic of {@code hw_perf_event} (sample_period, period_left,
 * last_period), as kernel/events/core.c and drivers/perf/arm_pmu.c compute it. The host's perf core
 * ({@link PerfCore}, {@code ArmPmuV3}) and the guest's ({@code dev.pmulab.sim.guest.LinuxGuestPerf})
 * both use it, so each rule is written once. Pure functions; nothing allocates except
 * {@link #calculatePeriod}'s fallback when a product passes 63 bits.
 *
 * <p>The rules, in the order a sampling event meets them (perf-core-and-costs.md §1.8, §10):
 * <ul>
 * <li>{@code armpmu_event_set_period} programs the counter from {@code period_left}, whatever
 * stopped it before (a rotation's del/add, a re-tune's stop/start, a throttle): the period
 * continues. Only a period that elapsed is renewed ({@link #periodLeftAfterSetPeriod}), and the
 * counter is preset to at most half its range ({@link #counterLeft}).
 * <li>{@code armpmu_event_update} subtracts what the counter counted from {@code period_left}.
 * <li>{@code perf_adjust_period} moves {@code sample_period} an eighth of the way to the period
 * that would give the event's frequency ({@link #adjustedSamplePeriod}) and resets
 * {@code period_left} only when more than eight new periods are left
 * ({@link #resetsPeriodLeft}).
 * </ul>
 */
public final class PerfPeriod {
    /** NSEC_PER_SEC. */
    public static final long NSEC_PER_SEC = 1_000_000_000L;

    private PerfPeriod() {}

    /**
     * {@code period_left} after {@code armpmu_event_set_period}: a period that elapsed more than
     * once restarts at a full period; one that elapsed carries the events counted past it into the
     * next period (left + period); one still running continues unchanged.
     */
    public static long periodLeftAfterSetPeriod(long periodLeft, long samplePeriod) {
        if (periodLeft <= -samplePeriod) {
            return samplePeriod;
        }
        if (periodLeft <= 0) {
            return periodLeft + samplePeriod;
        }
        return periodLeft;
    }

    /**
     * {@code armpmu_event_set_period}'s return value: a period elapsed (a sample is due) exactly
     * when {@code period_left} had reached 0; the driver's overflow handler calls
     * {@code perf_event_overflow} only then.
     */
    public static boolean periodElapsed(long periodLeft) {
        return periodLeft <= 0;
    }

    /**
     * The events the counter is armed to count before it overflows: {@code period_left}, at most
     * half of {@code max_period} so that a late interrupt cannot let the counter lap the value
     * programmed ({@code armpmu_event_set_period}). The counter is written with {@code -left}.
     */
    public static long counterLeft(long periodLeft, long maxPeriod) {
        long half = maxPeriod >>> 1;
        return periodLeft > half ? half : periodLeft;
    }

    /**
     * {@code perf_adjust_period}'s new {@code sample_period}: an eighth of the way from the current
     * one to {@code period}, the difference rounded away from zero (±7 before dividing by 8, as the
     * kernel's low-pass filter does), never 0.
     */
    public static long adjustedSamplePeriod(long samplePeriod, long period) {
        long delta = period - samplePeriod;
        delta = (delta >= 0 ? delta + 7 : delta - 7) / 8;
        long adjusted = samplePeriod + delta;
        return adjusted == 0 ? 1 : adjusted;
    }

    /**
     * {@code perf_adjust_period}'s reload rule: {@code period_left} is reset (to 0, so the next
     * {@code armpmu_event_set_period} arms one full new period) only when more than eight of the
     * new periods are left. Both sides are {@code s64} in the kernel, so a negative period_left (an
     * overflow not yet handled) is not reset: set_period carries it.
     */
    public static boolean resetsPeriodLeft(long periodLeft, long newSamplePeriod) {
        return periodLeft > 8 * newSamplePeriod;
    }

    /**
     * {@code perf_calculate_period}: count * 10^9 / (nsec * sample_freq), exact. The kernel reduces
     * operands only when a product would exceed 64 bits, so the two agree whenever both fit.
     */
    public static long calculatePeriod(long frequency, long nsec, long count) {
        long dividendHigh = Math.multiplyHigh(count, NSEC_PER_SEC);
        long divisorHigh = Math.multiplyHigh(nsec, frequency);
        long dividend = count * NSEC_PER_SEC;
        long divisor = nsec * frequency;
        if (dividendHigh == 0 && divisorHigh == 0 && dividend >= 0 && divisor >= 0) {
            return divisor == 0 ? dividend : dividend / divisor;
        }
        BigInteger d = BigInteger.valueOf(count).multiply(BigInteger.valueOf(NSEC_PER_SEC));
        BigInteger v = BigInteger.valueOf(nsec).multiply(BigInteger.valueOf(frequency));
        BigInteger q = v.signum() == 0 ? d : d.divide(v);
        return q.bitLength() < 63 ? q.longValue() : Long.MAX_VALUE;
    }

    /** TICK_NSEC: ns per tick at CONFIG_HZ {@code hz}, rounded to nearest as the kernel does. */
    public static long tickNsec(int hz) {
        return (NSEC_PER_SEC + hz / 2) / hz;
    }
}
