package dev.pmulab.kvm.perf;

/**
 * Host-wide settings of the perf core.
 *
 * @param vhe whether the host kernel runs at EL2 (VHE) or EL1 (nVHE); it changes how
 *     exclude_host/exclude_guest become PMEVTYPER filter bits and which counters KVM switches
 *     (perf-core-and-costs.md §2, §3.2)
 * @param hz the kernel tick rate CONFIG_HZ: the default multiplexing interval is 1000/HZ ms and
 *     frequency-mode periods are re-tuned once per tick (§1.5, §1.8)
 * @param maxSampleRate kernel.perf_event_max_sample_rate: a larger {@code sample_freq} is refused at open
 */
public record PerfCoreConfig(boolean vhe, int hz, long maxSampleRate) {
    /** DEFAULT_MAX_SAMPLE_RATE (perf-core-and-costs.md §1.8). */
    public static final long DEFAULT_MAX_SAMPLE_RATE = PerfSysctls.DEFAULT_MAX_SAMPLE_RATE;

    public PerfCoreConfig {
        if (hz <= 0 || hz > 1000) {
            throw new IllegalArgumentException("hz must be 1..1000 (CONFIG_HZ), was " + hz);
        }
        if (maxSampleRate <= 0) {
            throw new IllegalArgumentException("maxSampleRate must be positive, was " + maxSampleRate);
        }
    }

    /** A VHE host at HZ=250 with the default maximum sample rate: the baseline host of the cost table. */
    public static PerfCoreConfig defaults() {
        return new PerfCoreConfig(true, 250, DEFAULT_MAX_SAMPLE_RATE);
    }

    /** PERF_CPU_HRTIMER: the default multiplexing interval, 1000/HZ ms (integer division, as the kernel). */
    public long defaultMuxIntervalMs() {
        return Math.max(1, 1000 / hz);
    }

    /** TICK_NSEC: ns per scheduler tick, rounded to nearest as the kernel does. */
    public long tickNsec() {
        return PerfPeriod.tickNsec(hz);
    }
}
