package dev.pmulab.kvm.perf;

/**
 * A kernel's perf sysctls that bound sampling (kernel/events/core.c, {@code events_core_sysctl_table};
 * perf-core-and-costs.md §1.8, §10). The defaults are the kernel's compiled-in values.
 *
 * @param perfEventMaxSampleRate {@code kernel.perf_event_max_sample_rate}: the highest
 *     {@code sample_freq} perf_event_open accepts, and {@code perf record -F}'s ceiling; the kernel
 *     lowers it at run time when PMI handlers take too long ({@code perf_sample_event_took}). At
 *     least 1 ({@code SYSCTL_ONE}).
 * @param perfCpuTimeMaxPercent {@code kernel.perf_cpu_time_max_percent}: the share of CPU time PMI
 *     handlers may take before the rate is lowered; 0 or 100 turns that feedback off
 *     ({@code perf_cpu_time_max_percent_handler}). 0..100.
 */
public record PerfSysctls(int perfEventMaxSampleRate, int perfCpuTimeMaxPercent) {
    /** DEFAULT_MAX_SAMPLE_RATE. */
    public static final int DEFAULT_MAX_SAMPLE_RATE = 100_000;
    /** DEFAULT_CPU_TIME_MAX_PERCENT. */
    public static final int DEFAULT_CPU_TIME_MAX_PERCENT = 25;
    /** A kernel booted with its defaults. */
    public static final PerfSysctls DEFAULTS = new PerfSysctls(DEFAULT_MAX_SAMPLE_RATE, DEFAULT_CPU_TIME_MAX_PERCENT);

    public PerfSysctls {
        if (perfEventMaxSampleRate < 1) {
            throw new IllegalArgumentException(
                    "perf_event_max_sample_rate must be at least 1, was " + perfEventMaxSampleRate);
        }
        if (perfCpuTimeMaxPercent < 0 || perfCpuTimeMaxPercent > 100) {
            throw new IllegalArgumentException(
                    "perf_cpu_time_max_percent must be 0..100, was " + perfCpuTimeMaxPercent);
        }
    }
}
