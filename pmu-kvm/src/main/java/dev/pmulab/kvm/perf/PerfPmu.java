package dev.pmulab.kvm.perf;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.Pe;
import dev.pmulab.kvm.HostPmuDescriptor;

/**
 * One host perf PMU: the {@code struct pmu} + {@code struct arm_pmu} that Linux registers per core
 * type ({@code armv8_cortex_a76}, ...), with its cpumask ({@code supported_cpus}), its probe-time
 * {@code cntr_mask}, its multiplexing interval and the counter allocation order of its driver.
 * Created by {@link PerfCore}; per-CPU state lives there.
 */
public final class PerfPmu {
    private final HostPmuDescriptor descriptor;
    private final int index;
    private final long implementedMask;
    private long cntrMask;
    private long muxIntervalMs;
    private CounterAllocationOrder allocationOrder = CounterAllocationOrder.LOW_TO_HIGH;

    PerfPmu(HostPmuDescriptor descriptor, int index, long muxIntervalMs) {
        this.descriptor = requireNonNull(descriptor, "descriptor is null");
        this.index = index;
        this.implementedMask = probeCntrMask(descriptor.hardware().n());
        this.cntrMask = implementedMask;
        this.muxIntervalMs = muxIntervalMs;
    }

    /**
     * The {@code cntr_mask} {@code __armv8pmu_probe_pmu} gives a PMU with {@code n} event counters,
     * in the 6.11+ layout: event counters at bits 0..n-1, PMCCNTR at bit 31 (§2).
     */
    public static long probeCntrMask(int n) {
        return ((1L << n) - 1) | (1L << Pe.CYCLE_COUNTER);
    }

    public String name() {
        return descriptor.name();
    }

    /** The perf type number that {@link PerfEventAttr#type()} names. */
    public int type() {
        return descriptor.type();
    }

    public HostPmuDescriptor descriptor() {
        return descriptor;
    }

    /** Whether {@code cpu} is in {@code supported_cpus}. */
    public boolean covers(int cpu) {
        return descriptor.covers(cpu);
    }

    /** PMCR_EL0.N: the implemented event counters, without the cycle counter. */
    public int numEventCounters() {
        return descriptor.hardware().n();
    }

    /** Every counter the hardware has: bits 0..N-1 and 31 (PMCCNTR). */
    public long implementedMask() {
        return implementedMask;
    }

    /**
     * {@code arm_pmu->cntr_mask}: the counters the driver may use, as set at probe (a static
     * partition removes the guest's counters here, partitioning-and-policies.md §6.2). Groups are
     * validated against it at open; each CPU starts from it (see {@link PerfCore#setCntrMask}).
     */
    public long cntrMask() {
        return cntrMask;
    }

    void setCntrMask(long mask) {
        this.cntrMask = mask;
    }

    /** {@code perf_event_mux_interval_ms}: the rotation period of this PMU on every CPU. */
    public long perfEventMuxIntervalMs() {
        return muxIntervalMs;
    }

    /**
     * Writes sysfs {@code perf_event_mux_interval_ms}. A timer already armed keeps its expiry; the
     * new interval applies from its next forward, as in the kernel.
     *
     * @throws IllegalArgumentException for a value below 1 (the kernel returns -EINVAL)
     */
    public void setPerfEventMuxIntervalMs(long ms) {
        if (ms < 1) {
            throw new IllegalArgumentException("perf_event_mux_interval_ms must be >= 1, was " + ms);
        }
        this.muxIntervalMs = ms;
    }

    long muxIntervalNs() {
        return muxIntervalMs * 1_000_000L;
    }

    public CounterAllocationOrder allocationOrder() {
        return allocationOrder;
    }

    /** Chooses bottom-up (upstream) or top-down (partitioning v8) allocation; applies to the next allocation. */
    public void setAllocationOrder(CounterAllocationOrder order) {
        this.allocationOrder = requireNonNull(order, "order is null");
    }

    int index() {
        return index;
    }

    @Override
    public String toString() {
        return name() + "(type=" + type() + ")";
    }
}
