package dev.pmulab.sim.engine;

import dev.pmulab.hw.PmuRegister;
import dev.pmulab.kvm.perf.PerfCore;
import dev.pmulab.kvm.perf.PerfEvent;
import dev.pmulab.kvm.perf.PerfEventState;
import dev.pmulab.kvm.vpmu.GuestCounterStats;
import dev.pmulab.kvm.vpmu.KvmPmu;
import dev.pmulab.kvm.vpmu.VcpuPmuStats;
import dev.pmulab.sim.guest.GuestPmuModel;
import dev.pmulab.sim.metrics.Breakdown;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.metrics.Percentiles;
import dev.pmulab.sim.metrics.SampleCounts;
import dev.pmulab.sim.scenario.EventGroup;
import dev.pmulab.sim.scenario.EventRef;
import dev.pmulab.sim.scenario.PerfSession;
import dev.pmulab.sim.scenario.PmuUsage;
import dev.pmulab.sim.scenario.VmSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The run's metrics, as docs/metrics.md defines each, from what the run kept: the CPU-time
 * accounts, each vCPU's PMU statistics and guest model, KVM's statistics, and the host perf
 * events' times. Created when the host and its VMs are set up, so that counts the setup made
 * (perf reschedules) are left out; read once at the end. A new metric is a {@link Metric} constant
 * and one {@code put} (or {@code notApplicable}) here, from an input this type already has or one
 * added to its constructor.
 */
final class RunMetrics {
    private final CpuTimeAccounts accounts;
    private final SimCpu[] cpus;
    private final List<SimVcpu> vcpus;
    private final PerfCore perf;
    private final KvmPmu kvmPmu;
    private final Host.HostPerfEvents hostPerf;
    private final List<PerfSession> hostSessions;
    private final long reschedsAtStart;

    RunMetrics(
            CpuTimeAccounts accounts,
            Host host,
            List<SimVcpu> vcpus,
            Host.HostPerfEvents hostPerf,
            List<PerfSession> hostSessions) {
        this.accounts = accounts;
        this.hostSessions = List.copyOf(hostSessions);
        this.cpus = host.cpus;
        this.vcpus = vcpus;
        this.perf = host.perf;
        this.kvmPmu = host.kvmPmu;
        this.hostPerf = hostPerf;
        this.reschedsAtStart = perf.reschedCount();
    }

    /** Every guest PMU access, trapped or not, summed over vCPUs ({@code null} for a vCPU without a PMU). */
    static long guestPmuAccesses(List<VcpuPmuStats> stats) {
        long sum = 0;
        for (VcpuPmuStats s : stats) {
            if (s != null) {
                sum += s.accesses();
            }
        }
        return sum;
    }

    /** Every guest's trapped PMU accesses per register, summed over vCPUs. */
    static Map<PmuRegister, Long> guestTrapsByRegister(List<VcpuPmuStats> stats) {
        EnumMap<PmuRegister, Long> sum = new EnumMap<>(PmuRegister.class);
        for (VcpuPmuStats s : stats) {
            if (s != null) {
                s.trapsByRegister().forEach((reg, n) -> sum.merge(reg, n, Long::sum));
            }
        }
        return sum;
    }

    /**
     * The run's metrics.
     *
     * @param stats each vCPU's PMU stats, in {@code vcpus} order ({@code null} for a vCPU without a PMU)
     * @param endNs when the run ended
     * @param workDoneNs when the measured VM retired its work, or -1
     */
    MetricValues values(List<VcpuPmuStats> stats, long endNs, long workDoneNs) {
        MetricValues.Builder m = MetricValues.builder();
        guestMetrics(m, stats, endNs, workDoneNs, null);
        guestPerfRunning(m, endNs, null, -1, List.of());
        cpuTimeMetrics(m, endNs);
        putMeanAndP99(m, accounts.vcpuLoadPmuWork(), Metric.HOST_VCPU_LOAD_NS_MEAN, Metric.HOST_VCPU_LOAD_NS_P99);
        putMeanAndP99(m, accounts.vcpuPutPmuWork(), Metric.HOST_VCPU_PUT_NS_MEAN, Metric.HOST_VCPU_PUT_NS_P99);
        m.put(Metric.HOST_PERF_RESCHEDS, perf.reschedCount() - reschedsAtStart);
        hostEventMetrics(m, endNs);
        return m.build();
    }

    /**
     * Who paid: the guest metrics per VM (over its vCPUs; isolation.breaches, KVM-wide, and
     * guest.workload_ns, the measured VM's, left out), each host perf session's event coverage, and
     * each guest perf session's own multiplexing, samples and throttles, summed over the VM's vCPUs.
     * Read once at the end.
     */
    Breakdown breakdown(List<VcpuPmuStats> stats, long endNs, long workDoneNs) {
        List<Breakdown.Part> parts = new ArrayList<>();
        Map<String, VmSpec> vms = new LinkedHashMap<>();
        for (SimVcpu v : vcpus) {
            vms.putIfAbsent(v.spec.name(), v.spec);
        }
        for (String vm : vms.keySet()) {
            MetricValues.Builder m = MetricValues.builder();
            guestMetrics(m, stats, endNs, workDoneNs, vm);
            m.notApplicable(Metric.GUEST_WORKLOAD_NS);
            m.notApplicable(Metric.ISOLATION_BREACHES);
            guestPerfRunning(m, endNs, vm, -1, List.of());
            parts.add(new Breakdown.Part(Breakdown.By.VM, vm, m.build(), ""));
        }
        long readAt = hostReadAt(endNs);
        for (int i = 0; i < hostSessions.size(); i++) {
            PerfSession s = hostSessions.get(i);
            List<PerfEvent> events =
                    i < hostPerf.bySession().size() ? hostPerf.bySession().get(i) : List.of();
            MetricValues.Builder m = MetricValues.builder();
            String least = coverage(m, events, readAt, s);
            parts.add(new Breakdown.Part(Breakdown.By.SESSION, "host/" + s.name(), m.build(), least));
        }
        for (VmSpec spec : vms.values()) {
            int index = 0;
            for (PmuUsage u : spec.pmuUsage()) {
                if (!u.usesGuestPerf() || u instanceof PmuUsage.NmiWatchdog) {
                    continue;
                }
                MetricValues.Builder m = MetricValues.builder();
                String least = guestPerfRunning(m, endNs, spec.name(), index, guestEvents(u));
                sessionSamples(m, spec.name(), index);
                parts.add(new Breakdown.Part(
                        Breakdown.By.SESSION, spec.name() + "/" + u.kind() + "#" + index, m.build(), least));
                index++;
            }
        }
        return new Breakdown(parts);
    }

    /**
     * guest.perf_running_pct and its min: 100 x total_time_running / total_time_enabled of each
     * event the guests' perf tools opened, as the guest's perf stat prints it (the vCPUs of
     * {@code vm}, or all with null; session {@code session} of it, or all with -1). Returns the
     * event that ran least, as {@code EVENT on vCPU n (P %)}, or "" without one.
     */
    private String guestPerfRunning(MetricValues.Builder m, long endNs, String vm, int session, List<EventRef> names) {
        RunningShare share = new RunningShare();
        for (SimVcpu v : vcpus) {
            if (vm != null && !v.spec.name().equals(vm)) {
                continue;
            }
            for (GuestPmuModel.PerfEventTimes t : v.model.perfEventTimes(endNs)) {
                if (session < 0 || t.session() == session) {
                    share.add(t.runningNs(), t.enabledNs(), () -> name(names, t.event()), () -> v.name);
                }
            }
        }
        return share.putInto(m, Metric.GUEST_PERF_RUNNING_PCT, Metric.GUEST_PERF_RUNNING_MIN_PCT);
    }

    /**
     * guest.perf_samples and guest.perf_throttles of guest perf session {@code session} of VM
     * {@code vm}, summed over its vCPUs (guest.pmis and the sample-rate limit are the VM's, not a
     * session's: one handler serves every session's overflows, one kernel sets the limit).
     */
    private void sessionSamples(MetricValues.Builder m, String vm, int session) {
        long samples = 0;
        long throttles = 0;
        boolean any = false;
        for (SimVcpu v : vcpus) {
            if (!v.spec.name().equals(vm)) {
                continue;
            }
            for (GuestPmuModel.SessionCounts c : v.model.perfSessionCounts()) {
                if (c.session() == session) {
                    any = true;
                    samples += c.samples();
                    throttles += c.throttles();
                }
            }
        }
        if (any) {
            m.put(Metric.GUEST_PERF_SAMPLES, samples);
            m.put(Metric.GUEST_PERF_THROTTLES, throttles);
        }
    }

    /** host.event_coverage_pct and its min over {@code events} of session {@code s}; returns the least covered. */
    private String coverage(MetricValues.Builder m, List<PerfEvent> events, long readAt, PerfSession s) {
        RunningShare share = new RunningShare();
        for (PerfEvent e : events) {
            var rv = perf.readValue(e, readAt);
            share.add(
                    rv.timeRunning(),
                    rv.timeEnabled(),
                    () -> eventName(s, e.attr().config()),
                    () -> e.cpu() >= 0 ? "CPU " + e.cpu() : "task " + e.task().comm());
        }
        return share.putInto(m, Metric.HOST_EVENT_COVERAGE_PCT, Metric.HOST_EVENT_COVERAGE_MIN_PCT);
    }

    /**
     * The mean and the minimum, over events, of 100 x total_time_running / total_time_enabled (the
     * scaling perf_event_read_value's two times give, host or guest), and the event at the minimum.
     * Events never enabled are left out, as perf stat leaves them out of its scaling.
     */
    private static final class RunningShare {
        private double sum;
        private double min = Double.MAX_VALUE;
        private int count;
        private String least = "";

        /** One event's times; {@code event} and {@code where} are asked only for a new minimum. */
        void add(long runningNs, long enabledNs, Supplier<String> event, Supplier<String> where) {
            if (enabledNs <= 0) {
                return;
            }
            double pct = 100.0 * runningNs / enabledNs;
            sum += pct;
            count++;
            if (pct < min) {
                min = pct;
                least = String.format(Locale.ROOT, "%s on %s (%.2f %%)", event.get(), where.get(), pct);
            }
        }

        /** Puts the mean and the minimum (not applicable without an event); returns the least-running event, or "". */
        String putInto(MetricValues.Builder m, Metric mean, Metric minimum) {
            if (count > 0) {
                m.put(mean, sum / count);
                m.put(minimum, min);
            } else {
                m.notApplicable(mean);
                m.notApplicable(minimum);
            }
            return least;
        }
    }

    /** The event as the scenario wrote it, from its PMUv3 number. */
    private static String eventName(PerfSession s, int number) {
        List<EventRef> refs = new ArrayList<>();
        for (EventGroup g : s.groups()) {
            refs.addAll(g.events());
        }
        return name(refs, number);
    }

    /** A guest perf usage's events as the scenario wrote them. */
    private static List<EventRef> guestEvents(PmuUsage u) {
        List<EventRef> refs = new ArrayList<>();
        List<EventGroup> groups = u instanceof PmuUsage.PerfStat st
                ? st.groups()
                : u instanceof PmuUsage.PerfRecord r ? r.groups() : List.of();
        for (EventGroup g : groups) {
            refs.addAll(g.events());
        }
        if (u instanceof PmuUsage.Brbe b) {
            refs.addAll(b.events());
        }
        return refs;
    }

    /** The first of {@code refs} with that number, else perf's raw spelling {@code rNNNN}. */
    private static String name(List<EventRef> refs, int number) {
        for (EventRef r : refs) {
            if (r.number() == number) {
                return r.name();
            }
        }
        return String.format(Locale.ROOT, "r%04x", number);
    }

    /** A CPU may still be busy with kernel work that started before the end: read at the latest time. */
    private long hostReadAt(long endNs) {
        long readAt = endNs;
        for (SimCpu c : cpus) {
            readAt = Math.max(readAt, c.pe.now());
        }
        return readAt;
    }

    /**
     * The metrics summed over vCPUs (of {@code vm}, or all with null): traps, guest sys time, waits,
     * coverage, accuracy, the Linux guests' PMIs, samples, throttles and sample-rate limit, crashes,
     * BRBE, leaks.
     */
    private void guestMetrics(
            MetricValues.Builder m, List<VcpuPmuStats> stats, long endNs, long workDoneNs, String vm) {
        long traps = 0;
        long trapNs = 0;
        long runNs = 0;
        long userNs = 0;
        long sysNs = 0;
        long irqNs = 0;
        long stopped = 0;
        long leaks = 0;
        // KVM's stats hold both directions, the guest's side summed over vCPUs.
        long breaches = kvmPmu.stats().isolationBreaches();
        long visibleN = 0;
        long stalls = 0;
        long crashes = 0;
        long waitNs = 0;
        long elapsedTotal = 0;
        double coverageSum = 0;
        int coverageCount = 0;
        double errorSum = 0;
        int errorCount = 0;
        long blackout = 0;
        boolean anyBrbe = false;
        // The Linux guests' perf figures (guest.pmis ...): n/a without a vCPU running Linux's perf core.
        boolean anyLinuxPerf = false;
        long pmis = 0;
        long samples = 0;
        long throttles = 0;
        int maxSampleRate = Integer.MAX_VALUE;
        for (int i = 0; i < vcpus.size(); i++) {
            SimVcpu v = vcpus.get(i);
            if (vm != null && !v.spec.name().equals(vm)) {
                continue;
            }
            runNs += accounts.runNs(v);
            trapNs += accounts.trapNs(v);
            userNs += accounts.guestUserNs(v);
            sysNs += accounts.guestSysNs(v);
            irqNs += accounts.guestIrqNs(v);
            waitNs += accounts.waitNs(v);
            elapsedTotal += endNs;
            stalls += v.model.cycleStalls();
            if (v.crashed) {
                crashes++;
            }
            if (v.model.usesBrbe()) {
                anyBrbe = true;
                blackout += accounts.brbeBlackoutNs(v);
            }
            var perfCounts = v.model.linuxPerfCounts();
            if (perfCounts.isPresent()) {
                GuestPmuModel.LinuxPerfCounts pc = perfCounts.get();
                anyLinuxPerf = true;
                pmis += pc.pmuInterrupts();
                samples += pc.samples();
                throttles += pc.throttles();
                maxSampleRate = Math.min(maxSampleRate, pc.maxSampleRate());
            }
            for (GuestPmuModel.Accuracy a : v.model.accuracy()) {
                errorSum += 100.0 * Math.abs(a.measured() - a.truth()) / a.truth();
                errorCount++;
            }
            VcpuPmuStats s = stats.get(i);
            if (s == null) {
                continue;
            }
            traps += s.trappedAccesses();
            leaks += s.filterLeaks();
            visibleN += s.visibleNChanges();
            for (GuestCounterStats cs : s.counters()) {
                stopped += cs.stoppedEpisodes();
                if (cs.enabledNs() - cs.deniedNs() > 0) {
                    coverageSum += 100.0 * cs.coverage();
                    coverageCount++;
                }
            }
        }
        m.put(Metric.GUEST_PMU_TRAPS, traps);
        m.put(Metric.GUEST_PMU_TRAP_NS, trapNs);
        if (runNs > 0) {
            m.put(Metric.GUEST_PMU_OVERHEAD_PCT, 100.0 * trapNs / runNs);
        } else {
            m.notApplicable(Metric.GUEST_PMU_OVERHEAD_PCT);
        }
        m.put(Metric.GUEST_WORKLOAD_NS, workDoneNs >= 0 ? workDoneNs : endNs);
        m.put(Metric.GUEST_USER_NS, userNs);
        m.put(Metric.GUEST_SYS_NS, sysNs);
        m.put(Metric.GUEST_IRQ_NS, irqNs);
        if (elapsedTotal > 0) {
            m.put(Metric.VCPU_WAIT_PCT, Math.min(100, 100.0 * waitNs / elapsedTotal));
        } else {
            m.notApplicable(Metric.VCPU_WAIT_PCT);
        }
        if (coverageCount > 0) {
            m.put(Metric.GUEST_EVENT_COVERAGE_PCT, coverageSum / coverageCount);
        } else {
            m.notApplicable(Metric.GUEST_EVENT_COVERAGE_PCT);
        }
        m.put(Metric.GUEST_COUNTERS_STOPPED, stopped);
        if (errorCount > 0) {
            m.put(Metric.GUEST_COUNT_ERROR_PCT, errorSum / errorCount);
        } else {
            m.notApplicable(Metric.GUEST_COUNT_ERROR_PCT);
        }
        if (anyLinuxPerf) {
            m.put(Metric.GUEST_PMIS, pmis);
            m.put(Metric.GUEST_PERF_SAMPLES, samples);
            m.put(Metric.GUEST_PERF_THROTTLES, throttles);
            m.put(Metric.GUEST_PERF_MAX_SAMPLE_RATE, maxSampleRate);
        } else {
            m.notApplicable(Metric.GUEST_PMIS);
            m.notApplicable(Metric.GUEST_PERF_SAMPLES);
            m.notApplicable(Metric.GUEST_PERF_THROTTLES);
            m.notApplicable(Metric.GUEST_PERF_MAX_SAMPLE_RATE);
        }
        m.put(Metric.GUEST_CYCLE_STALLS, stalls);
        m.put(Metric.GUEST_CRASHES, crashes);
        m.put(Metric.GUEST_VISIBLE_N_CHANGES, visibleN);
        if (anyBrbe) {
            m.put(Metric.BRBE_BLACKOUT_NS, blackout);
        } else {
            m.notApplicable(Metric.BRBE_BLACKOUT_NS);
        }
        m.put(Metric.ISOLATION_BREACHES, breaches);
        m.put(Metric.FILTER_LEAKS, leaks);
    }

    /** guest.run_pct, host.kernel_pct, host.sys_pct, host.irq_pct: shares of the time of the CPUs that ran a vCPU. */
    private void cpuTimeMetrics(MetricValues.Builder m, long endNs) {
        long vcpuCpus = 0;
        long guestNs = 0;
        long kernelNs = 0;
        long sysNs = 0;
        long irqNs = 0;
        for (SimCpu c : cpus) {
            if (accounts.ranVcpu(c)) {
                vcpuCpus++;
                guestNs += accounts.guestNs(c);
                kernelNs += accounts.hostKernelNs(c);
                sysNs += accounts.hostSysNs(c);
                irqNs += accounts.hostIrqNs(c);
            }
        }
        if (vcpuCpus > 0 && endNs > 0) {
            double cpuNs = endNs * (double) vcpuCpus;
            m.put(Metric.GUEST_RUN_PCT, Math.min(100, 100.0 * guestNs / cpuNs));
            m.put(Metric.HOST_KERNEL_PCT, Math.min(100, 100.0 * kernelNs / cpuNs));
            m.put(Metric.HOST_SYS_PCT, Math.min(100, 100.0 * sysNs / cpuNs));
            m.put(Metric.HOST_IRQ_PCT, Math.min(100, 100.0 * irqNs / cpuNs));
        } else {
            m.notApplicable(Metric.GUEST_RUN_PCT);
            m.notApplicable(Metric.HOST_KERNEL_PCT);
            m.notApplicable(Metric.HOST_SYS_PCT);
            m.notApplicable(Metric.HOST_IRQ_PCT);
        }
    }

    /** The host perf events' coverage (time_running / time_enabled) and the pinned ones in ERROR. */
    private void hostEventMetrics(MetricValues.Builder m, long endNs) {
        double covSum = 0;
        double covMin = Double.MAX_VALUE;
        int covCount = 0;
        // A CPU may still be busy with kernel work that started before the end: read at the latest time.
        long readAt = endNs;
        for (SimCpu c : cpus) {
            readAt = Math.max(readAt, c.pe.now());
        }
        for (PerfEvent e : hostPerf.all()) {
            // perf_event_read_value at the end: time_enabled and time_running brought up to date.
            var rv = perf.readValue(e, readAt);
            if (rv.timeEnabled() > 0) {
                double cov = 100.0 * rv.timeRunning() / rv.timeEnabled();
                covSum += cov;
                covMin = Math.min(covMin, cov);
                covCount++;
            }
        }
        if (covCount > 0) {
            m.put(Metric.HOST_EVENT_COVERAGE_PCT, covSum / covCount);
            m.put(Metric.HOST_EVENT_COVERAGE_MIN_PCT, covMin);
        } else {
            m.notApplicable(Metric.HOST_EVENT_COVERAGE_PCT);
            m.notApplicable(Metric.HOST_EVENT_COVERAGE_MIN_PCT);
        }
        long errors = hostPerf.pinned().stream()
                .filter(e -> e.state() == PerfEventState.ERROR)
                .count();
        m.put(Metric.HOST_PINNED_ERRORS, errors);
    }

    private static void putMeanAndP99(MetricValues.Builder m, SampleCounts a, Metric mean, Metric p99) {
        if (a.count() == 0) {
            m.notApplicable(mean);
            m.notApplicable(p99);
            return;
        }
        // The exact sum: a sum of ns in a double is exact below 2^53, in any order.
        m.put(mean, (double) a.sum() / a.count());
        m.put(p99, Percentiles.nearestRank(a, 99));
    }
}
