package dev.pmulab.sim.engine;

import java.util.Arrays;

/**
 * Where the run's CPU time went: the one place the engine adds time to a bucket, with one method
 * per kind of time charged. The engine decides what a span of time was (guest user, a trapped
 * access, kernel work...) and how long it took; this type says which buckets that span counts in.
 * The metrics ({@link RunMetrics}) read the buckets at the end; docs/metrics.md defines them.
 * Kernel work a CPU owes but has not run yet is the cost sink's ({@link EngineCostSink}); it
 * becomes host kernel time here when {@link HostKernelWork} spends it on the CPU.
 *
 * <p>The buckets, each in ns:
 * <ul>
 *   <li>per CPU ({@link OfCpu}), what mpstat would call the CPU's guest and system time, kept only
 *       for the CPUs that ran a vCPU at least once, since guest.run_pct and host.kernel_pct are
 *       shares of those CPUs' time:
 *       <ul>
 *         <li>{@code ranVcpu}: the CPU entered a vCPU at least once ({@link #vcpuEntered});</li>
 *         <li>{@code guestNs}: the CPU ran guest code: guest user spans less their exits
 *             ({@link #guestUser}), untrapped guest PMU accesses ({@link #guestPmuAccess}), the
 *             guest's PMU interrupt EOIs ({@link #guestPmuEoi});</li>
 *         <li>{@code hostKernelNs}: the CPU ran the host kernel: the kernel work charged to it and
 *             spent there ({@link #hostKernel}: vcpu_load/vcpu_put, ticks, interrupts, perf
 *             reschedules), the exits of guest user spans ({@link #exitHandling}), trapped guest
 *             PMU accesses ({@link #trappedPmuAccess}).</li>
 *       </ul></li>
 *   <li>per thread ({@link OfThread}), a host task's or a vCPU's:
 *       <ul>
 *         <li>{@code waitingSince} and {@code waitNs}: runnable but not running, as the kernel's
 *             sched_info keeps last_queued and run_delay ({@link #waiting}, {@link #stopsWaiting},
 *             {@link #sleepsWhileWaiting});</li>
 *         <li>for a vCPU thread (0 for a host task): {@code loadedAt} and {@code runNs}, the
 *             time between vcpu_load and vcpu_put ({@link #vcpuLoaded}, {@link #vcpuPut});
 *             {@code trapNs}, the host time of its trapped PMU accesses; {@code guestSysNs}, the
 *             guest kernel time of its PMU accesses, trapped or not, and EOIs (guest.sys_ns);
 *             {@code brbeAtLoad} and {@code brbeBlackoutNs}, the time BRBE was paused while it
 *             was loaded.</li>
 *       </ul></li>
 *   <li>per run, one sample per vcpu_load and per vcpu_put of the PMU work it did
 *       ({@link #vcpuLoadPmuWork}, {@link #vcpuPutPmuWork}), for the host.vcpu_load/put_ns
 *       metrics; the same time is also host kernel time.</li>
 * </ul>
 * Host task time and idle time have no bucket: no metric reads them. A new kind of time is a new
 * method here, named for what was charged, plus the bucket it adds to; nothing allocates per charge.
 */
final class CpuTimeAccounts {
    /** One CPU's buckets; only {@link CpuTimeAccounts} reads or writes them. */
    static final class OfCpu {
        private boolean ranVcpu;
        private long guestNs;
        private long hostKernelNs;
    }

    /** One thread's buckets; only {@link CpuTimeAccounts} reads or writes them. */
    static final class OfThread {
        private long waitingSince = -1;
        private long waitNs;
        private long loadedAt;
        private long runNs;
        private long trapNs;
        private long guestSysNs;
        private long brbeAtLoad;
        private long brbeBlackoutNs;
    }

    // vcpu_load and vcpu_put PMU work, one sample each, in growable arrays (no boxing per switch).
    private long[] loadSamples = new long[1024];
    private int loads;
    private long[] putSamples = new long[1024];
    private int puts;

    // ---------------------------------------------------------------------------------------------
    // CPU time

    /** {@code c} enters a vCPU: from now on its guest and host kernel time count. */
    void vcpuEntered(SimCpu c) {
        c.time.ranVcpu = true;
    }

    /**
     * Kernel work charged to {@code c} (through the cost sink) and spent there at EL2: host kernel
     * time, on a CPU that ran a vCPU.
     */
    void hostKernel(SimCpu c, long ns) {
        if (c.time.ranVcpu) {
            c.time.hostKernelNs += ns;
        }
    }

    /** The guest ran its workload at EL0 for {@code ns} on {@code c}. */
    void guestUser(SimCpu c, long ns) {
        c.time.guestNs += ns;
    }

    /**
     * The host handled the workload's own exits (HVC, MMIO...) for {@code ns} within a guest user
     * span on {@code c}: host kernel time, aggregated over the span.
     */
    void exitHandling(SimCpu c, long ns) {
        c.time.hostKernelNs += ns;
    }

    /**
     * A PMU register access of {@code v}'s guest kernel trapped and KVM handled it for {@code ns}
     * on {@code c}: host kernel time on the CPU, guest kernel time and trap time of the vCPU.
     */
    void trappedPmuAccess(SimCpu c, SimVcpu v, long ns) {
        v.time.trapNs += ns;
        v.time.guestSysNs += ns;
        c.time.hostKernelNs += ns;
    }

    /** A PMU register access of {@code v}'s guest kernel ran natively for {@code ns} on {@code c}. */
    void guestPmuAccess(SimCpu c, SimVcpu v, long ns) {
        v.time.guestSysNs += ns;
        c.time.guestNs += ns;
    }

    /** {@code v}'s guest kernel wrote the EOI of its PMU interrupt, {@code ns} on {@code c}. */
    void guestPmuEoi(SimCpu c, SimVcpu v, long ns) {
        v.time.guestSysNs += ns;
        c.time.guestNs += ns;
    }

    // ---------------------------------------------------------------------------------------------
    // Waiting (the kernel's sched_info: last_queued and run_delay)

    /** {@code t} is runnable from {@code now} (queued, preempted, or its vCPU entry failed). */
    void waiting(SimThread t, long now) {
        t.time.waitingSince = now;
    }

    /** {@code t} runs (or the run ends) at {@code now}: the time it waited since it was runnable. */
    void stopsWaiting(SimThread t, long now) {
        if (t.time.waitingSince >= 0) {
            t.time.waitNs += now - t.time.waitingSince;
            t.time.waitingSince = -1;
        }
    }

    /** {@code t} is picked to run at once on an idle CPU: no wait. */
    void runsAtOnce(SimThread t) {
        t.time.waitingSince = -1;
    }

    /**
     * {@code t}, not running, goes to sleep at {@code now}: the time it waited. A thread that was
     * not runnable (a crashed vCPU) counts from the start of the run.
     */
    void sleepsWhileWaiting(SimThread t, long now) {
        t.time.waitNs += now - Math.max(0, t.time.waitingSince);
        t.time.waitingSince = -1;
    }

    // ---------------------------------------------------------------------------------------------
    // A vCPU's loaded time

    /** vcpu_load of {@code v} on {@code c} completed at {@code now}. */
    void vcpuLoaded(SimCpu c, SimVcpu v, long now) {
        v.time.loadedAt = now;
        v.time.brbeAtLoad = c.pe.brbeBlackoutNs();
    }

    /** vcpu_put of {@code v} on {@code c} starts at {@code now} (or the run ends with it loaded). */
    void vcpuPut(SimCpu c, SimVcpu v, long now) {
        v.time.runNs += now - v.time.loadedAt;
        v.time.brbeBlackoutNs += c.pe.brbeBlackoutNs() - v.time.brbeAtLoad;
    }

    /** The PMU work of one vcpu_load, {@code ns} (also spent as host kernel time). */
    void vcpuLoadPmuWork(long ns) {
        loadSamples = append(loadSamples, loads++, ns);
    }

    /** The PMU work of one vcpu_put, {@code ns} (also spent as host kernel time). */
    void vcpuPutPmuWork(long ns) {
        putSamples = append(putSamples, puts++, ns);
    }

    private static long[] append(long[] samples, int at, long value) {
        long[] a = at < samples.length ? samples : Arrays.copyOf(samples, samples.length * 2);
        a[at] = value;
        return a;
    }

    // ---------------------------------------------------------------------------------------------
    // Reading the buckets (for the metrics)

    boolean ranVcpu(SimCpu c) {
        return c.time.ranVcpu;
    }

    long guestNs(SimCpu c) {
        return c.time.guestNs;
    }

    long hostKernelNs(SimCpu c) {
        return c.time.hostKernelNs;
    }

    long waitNs(SimThread t) {
        return t.time.waitNs;
    }

    long runNs(SimVcpu v) {
        return v.time.runNs;
    }

    long trapNs(SimVcpu v) {
        return v.time.trapNs;
    }

    long guestSysNs(SimVcpu v) {
        return v.time.guestSysNs;
    }

    long brbeBlackoutNs(SimVcpu v) {
        return v.time.brbeBlackoutNs;
    }

    /** One sample per vcpu_load, in order. */
    long[] vcpuLoadPmuWork() {
        return Arrays.copyOf(loadSamples, loads);
    }

    /** One sample per vcpu_put, in order. */
    long[] vcpuPutPmuWork() {
        return Arrays.copyOf(putSamples, puts);
    }
}
