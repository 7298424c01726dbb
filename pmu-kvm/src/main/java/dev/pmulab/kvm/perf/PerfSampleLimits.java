package dev.pmulab.kvm.perf;

import static java.util.Objects.requireNonNull;

/**
 * One kernel's sampling limits and their feedback loop (kernel/events/core.c; perf-core-and-costs.md
 * §1.8, §10): {@code sysctl_perf_event_sample_rate}, {@code max_samples_per_tick},
 * {@code perf_sample_period_ns} and {@code perf_sample_allowed_ns} are global to the kernel;
 * {@code running_sample_length} is per CPU ({@link Cpu}).
 *
 * <ul>
 * <li>At boot, and when the sysctls are written, {@code perf_event_max_sample_rate_handler} sets
 * max_samples_per_tick = DIV_ROUND_UP(rate, HZ) and the sample period 10^9 / rate, and
 * {@code update_perf_cpu_limits} allows each PMI period × percent / 100 ns (at least 1);
 * {@code perf_cpu_time_max_percent_handler} turns the feedback off at 0 or 100 %.
 * <li>{@code armpmu_dispatch_irq} times every PMI handler and calls {@code perf_sample_event_took}
 * ({@link Cpu#sampleEventTook}): a running sum decayed by 1/128 per sample; when its average
 * exceeds the allowance, the allowance becomes 1.25 × the average and max_samples_per_tick =
 * (TICK_NSEC / 100 × percent) / allowance (1 if the allowance is not below the budget), and the
 * sample rate becomes max_samples_per_tick × HZ.
 * <li>{@code __perf_event_account_interrupt} throttles an event at its max_samples_per_tick-th
 * interrupt within one tick ({@link #throttles}).
 * </ul>
 *
 * <p>Not thread-safe; nothing here allocates after construction except {@link #newCpu}.
 */
public final class PerfSampleLimits {
    /** NR_ACCUMULATED_SAMPLES: the running average's decay, one part in 128 per sample. */
    static final int NR_ACCUMULATED_SAMPLES = 128;

    private final int hz;
    private final long tickNsec;
    private final int cpuTimeMaxPercent;
    private int maxSampleRate;
    private int maxSamplesPerTick;
    private long samplePeriodNs;
    private long sampleAllowedNs;
    private int lowerings;

    /**
     * The limits of a kernel with CONFIG_HZ {@code hz} booted with {@code sysctls}: the rate's and
     * then the percentage's sysctl handler applied, as writing them does.
     */
    public PerfSampleLimits(PerfSysctls sysctls, int hz) {
        requireNonNull(sysctls, "sysctls is null");
        if (hz <= 0 || hz > 1000) {
            throw new IllegalArgumentException("hz must be 1..1000 (CONFIG_HZ), was " + hz);
        }
        this.hz = hz;
        this.tickNsec = PerfPeriod.tickNsec(hz);
        this.cpuTimeMaxPercent = sysctls.perfCpuTimeMaxPercent();
        // perf_event_max_sample_rate_handler
        this.maxSampleRate = sysctls.perfEventMaxSampleRate();
        // DIV_ROUND_UP in long: the sysctl takes any positive int, and INT_MAX + HZ - 1 does not fit an int.
        this.maxSamplesPerTick = (int) (((long) maxSampleRate + hz - 1) / hz);
        this.samplePeriodNs = PerfPeriod.NSEC_PER_SEC / maxSampleRate;
        // perf_cpu_time_max_percent_handler: 0 and 100 disable the feedback; otherwise update_perf_cpu_limits.
        if (cpuTimeMaxPercent == 0 || cpuTimeMaxPercent == 100) {
            this.sampleAllowedNs = 0;
        } else {
            this.sampleAllowedNs = Math.max(1, samplePeriodNs * cpuTimeMaxPercent / 100);
        }
    }

    /** {@code sysctl_perf_event_sample_rate}: what {@code perf record -F} is clamped to now. */
    public int maxSampleRate() {
        return maxSampleRate;
    }

    /** {@code max_samples_per_tick}. */
    public int maxSamplesPerTick() {
        return maxSamplesPerTick;
    }

    /** {@code perf_sample_allowed_ns}: the PMI handler time allowed on average; 0 when the feedback is off. */
    public long sampleAllowedNs() {
        return sampleAllowedNs;
    }

    /** {@code perf_sample_period_ns}. */
    public long samplePeriodNs() {
        return samplePeriodNs;
    }

    /** How many times a handler's time lowered the rate (the kernel prints "perf: interrupt took too long"). */
    public int lowerings() {
        return lowerings;
    }

    /**
     * {@code __perf_event_account_interrupt}'s test, with {@code interrupts} the event's count in
     * this tick including the current one: the max_samples_per_tick-th interrupt throttles (the
     * comparison is {@code >=} since the 2025 fix that also throttles at a limit of 1).
     */
    public boolean throttles(long interrupts) {
        return interrupts >= maxSamplesPerTick;
    }

    /** One CPU's {@code running_sample_length}, starting at 0. */
    public Cpu newCpu() {
        return new Cpu();
    }

    /** The per-CPU half of {@code perf_sample_event_took}. */
    public final class Cpu {
        private long runningSampleLength;

        private Cpu() {}

        /**
         * {@code perf_sample_event_took(sample_len_ns)}: adds one PMI handler's time to this CPU's
         * running sum (decayed by 1/128) and lowers the kernel's limits when the average exceeds the
         * allowance. The average is biased low until 128 handlers have run, as in the kernel.
         *
         * @return true when the limits were lowered
         */
        public boolean sampleEventTook(long sampleLenNs) {
            long maxLen = sampleAllowedNs;
            if (maxLen == 0) {
                return false;
            }
            runningSampleLength -= runningSampleLength / NR_ACCUMULATED_SAMPLES;
            runningSampleLength += sampleLenNs;
            long avgLen = runningSampleLength / NR_ACCUMULATED_SAMPLES;
            if (avgLen <= maxLen) {
                return false;
            }
            // A threshold 25 % above the average, and as many samples per tick as fit the budget.
            avgLen += avgLen / 4;
            long budget = (tickNsec / 100) * cpuTimeMaxPercent;
            long max = avgLen < budget ? budget / avgLen : 1;
            sampleAllowedNs = avgLen;
            maxSamplesPerTick = (int) max;
            maxSampleRate = maxSamplesPerTick * hz;
            samplePeriodNs = PerfPeriod.NSEC_PER_SEC / maxSampleRate;
            lowerings++;
            return true;
        }

        /** {@code running_sample_length}. */
        public long runningSampleLength() {
            return runningSampleLength;
        }
    }
}
