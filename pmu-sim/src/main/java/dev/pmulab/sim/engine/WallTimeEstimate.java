package dev.pmulab.sim.engine;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.Events;
import dev.pmulab.sim.scenario.EventGroup;
import dev.pmulab.sim.scenario.HostTask;
import dev.pmulab.sim.scenario.PerfMode;
import dev.pmulab.sim.scenario.PerfScope;
import dev.pmulab.sim.scenario.PerfSession;
import dev.pmulab.sim.scenario.PmuUsage;
import dev.pmulab.sim.scenario.RunLength;
import dev.pmulab.sim.scenario.Sampling;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.VmSpec;
import dev.pmulab.sim.scenario.Workload;
import dev.pmulab.sim.scenario.WorkloadRates;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How long a run of a scenario will take on this machine, from the scenario alone, before
 * anything runs: the engine's events and the guests' PMU register accesses per simulated second,
 * counted from what drives them (ticks, samples, rotations, migrations, duty cycles, timers), times
 * the simulated time, priced at what one event and one access cost on the 2-core development
 * machine (docs/architecture.md, "Engine performance"). It is an estimate within a factor of about
 * two on the built-in scenarios; its purpose is to say "hours" before a run starts, and which
 * setting makes it so (a {@code migrate.every: 1ns} makes a billion migrations per simulated second).
 *
 * @param simulatedSeconds the simulated time of one run (a work-bound run's expected length, at most its limit)
 * @param eventsPerRun engine events of one run
 * @param accessesPerRun guest PMU register accesses of one run
 * @param terms what drives the events, largest first
 */
public record WallTimeEstimate(double simulatedSeconds, double eventsPerRun, double accessesPerRun, List<Term> terms) {
    /** Wall time per engine event, beside the accesses it makes (quiet 2-core machine, JIT warm). */
    static final double SECONDS_PER_EVENT = 1.0e-6;
    /** Wall time per guest PMU access under the emulated vPMU (about 760 ns measured), or an unknown policy. */
    static final double SECONDS_PER_EMULATED_ACCESS = 0.8e-6;
    /** Wall time per guest PMU access of a partitioned guest (about 200 ns measured). */
    static final double SECONDS_PER_DIRECT_ACCESS = 0.2e-6;
    /**
     * Register accesses of one guest PMU interrupt: the handler's PMOVS and PMCR reads and writes, a
     * counter read and write per overflow, the re-arm.
     */
    static final double ACCESSES_PER_SAMPLE = 10;
    /**
     * Register accesses per event of one guest perf rotation or period re-tune: disable, read, write
     * the type, write the counter, enable.
     */
    static final double ACCESSES_PER_REPROGRAM = 5;
    /** A thread that does not want the CPU all the time sleeps and wakes once per this (the engine's duty cycle). */
    static final double DUTY_PERIOD_SECONDS = 0.010;

    /**
     * One thing that makes engine events.
     *
     * @param what the scenario setting and what it makes, for a person ({@code vms[0] (vm0) placement.migrate.every: ...})
     * @param eventsPerSecond engine events per simulated second
     * @param accessesPerSecond guest PMU accesses per simulated second
     */
    public record Term(String what, double eventsPerSecond, double accessesPerSecond) {
        public Term {
            requireNonNull(what, "what is null");
        }

        /** Wall seconds per simulated second this term costs under the dearest vPMU. */
        double weight() {
            return eventsPerSecond * SECONDS_PER_EVENT + accessesPerSecond * SECONDS_PER_EMULATED_ACCESS;
        }
    }

    public WallTimeEstimate {
        terms = List.copyOf(terms);
    }

    /** The estimate of one run of {@code scenario}. */
    public static WallTimeEstimate of(Scenario scenario) {
        requireNonNull(scenario, "scenario is null");
        List<Term> terms = new ArrayList<>();
        int cpus = scenario.host().cpuCount();
        int hostN = scenario.host().soc().cpu(0).pmuConfig().n();
        // The share of its time a runnable thread gets: the CPUs over what all threads want.
        double demand = 0;
        for (VmSpec vm : scenario.vms()) {
            demand += Math.min(vm.vcpus(), vm.workload().threads())
                    * vm.workload().load();
        }
        for (HostTask t : scenario.hostTasks()) {
            demand += t.workload().threads() * t.workload().load();
        }
        double share = demand <= cpus ? 1.0 : cpus / demand;

        terms.add(new Term(
                "host: " + cpus + " CPUs' scheduler ticks at " + scenario.host().hz() + " Hz",
                (double) cpus * scenario.host().hz(),
                0));
        for (PerfSession s : scenario.hostPerf()) {
            int events = s.groups().stream().mapToInt(g -> g.events().size()).sum();
            double places = s.scope() == PerfScope.SYSTEM ? s.cpus().size() : cpus * share;
            if (s.mode() == PerfMode.RECORD && s.sampling().isPresent()) {
                double perEvent = samplesPerSecond(s.sampling().get(), WorkloadRates.DEFAULT_CPU_HZ);
                terms.add(new Term(
                        "host_perf " + s.name() + ": samples ("
                                + describe(s.sampling().get()) + ", " + events + " events, " + fmt(places) + " CPUs)",
                        perEvent * Math.min(events, hostN) * places,
                        0));
            }
            if (events > hostN) {
                terms.add(new Term(
                        "host_perf " + s.name() + ": rotations every "
                                + seconds(scenario.host().muxIntervalNs() / 1e9),
                        places * 1e9 / scenario.host().muxIntervalNs(),
                        0));
            }
        }
        for (int i = 0; i < scenario.vms().size(); i++) {
            VmSpec vm = scenario.vms().get(i);
            String where = "vms[" + i + "] (" + vm.name() + ") ";
            Workload w = vm.workload();
            double running = Math.min(vm.vcpus(), w.threads()) * w.load() * share;
            double cyclesPerSecond =
                    WorkloadRates.perSecond(w).getOrDefault(Events.CPU_CYCLES, WorkloadRates.DEFAULT_CPU_HZ);
            terms.add(new Term(
                    where + "guest ticks at " + vm.guestHz() + " Hz on " + vm.vcpus() + " vCPUs",
                    vm.vcpus() * (double) vm.guestHz(),
                    0));
            if (w.load() > 0 && w.load() < 1) {
                terms.add(new Term(where + "duty cycle of load " + w.load(), 2 * w.threads() / DUTY_PERIOD_SECONDS, 0));
            }
            vm.placement()
                    .migrate()
                    .ifPresent(m -> terms.add(new Term(
                            where + "placement.migrate.every " + seconds(m.everyNs() / 1e9)
                                    + ": a migration per vCPU each time",
                            vm.vcpus() * 1e9 / m.everyNs(),
                            0)));
            int guestN = vm.nrCounters().orElse(hostN);
            for (PmuUsage u : vm.pmuUsage()) {
                usageTerms(terms, where + "pmu_usage " + u.kind(), u, vm, running, guestN, cyclesPerSecond);
            }
        }
        for (HostTask t : scenario.hostTasks()) {
            if (t.workload().load() > 0 && t.workload().load() < 1) {
                terms.add(new Term(
                        "host_tasks " + t.name() + ": duty cycle of load "
                                + t.workload().load(),
                        2 * t.workload().threads() / DUTY_PERIOD_SECONDS,
                        0));
            }
        }
        double sim = simulatedSeconds(scenario, share);
        double events = 0;
        double accesses = 0;
        for (Term t : terms) {
            events += t.eventsPerSecond() * sim;
            accesses += t.accessesPerSecond() * sim;
        }
        terms.sort(Comparator.comparingDouble(Term::weight).reversed());
        return new WallTimeEstimate(sim, events, accesses, terms);
    }

    private static void usageTerms(
            List<Term> terms, String what, PmuUsage u, VmSpec vm, double running, int guestN, double cyclesPerSecond) {
        double reprograms = vm.guestHz(); // the guest's perf rotates, and re-tunes frequency mode, each tick
        if (u instanceof PmuUsage.PerfRecord r) {
            int events = count(r.groups());
            double samples =
                    guestSamplesPerSecond(r.sampling(), cyclesPerSecond, vm) * Math.min(events, guestN) * running;
            double retunes = (r.sampling().mode() == Sampling.Mode.FREQUENCY || events > guestN ? 1 : 0)
                    * reprograms
                    * Math.min(events, guestN)
                    * running;
            terms.add(new Term(
                    what + " (" + describe(r.sampling()) + ", " + events + " events)",
                    samples + retunes / 4,
                    samples * ACCESSES_PER_SAMPLE + retunes * ACCESSES_PER_REPROGRAM));
        } else if (u instanceof PmuUsage.Brbe b) {
            double samples = guestSamplesPerSecond(b.sampling(), cyclesPerSecond, vm)
                    * b.events().size()
                    * running;
            terms.add(new Term(what + " (" + describe(b.sampling()) + ")", samples, samples * ACCESSES_PER_SAMPLE * 2));
        } else if (u instanceof PmuUsage.PerfStat s) {
            int events = count(s.groups());
            double rotations = events > guestN ? reprograms * events * running : 0;
            double reads = s.intervalNs().isPresent()
                    ? vm.vcpus() * 1e9 / s.intervalNs().getAsLong()
                    : 0;
            terms.add(new Term(
                    what + " (" + events + " events"
                            + (s.intervalNs().isPresent()
                                    ? ", interval " + seconds(s.intervalNs().getAsLong() / 1e9)
                                    : "")
                            + ")",
                    rotations / 4 + reads,
                    rotations * ACCESSES_PER_REPROGRAM + reads * events));
        } else if (u instanceof PmuUsage.WindowsCycleTick t) {
            double ticks = vm.vcpus() * 1e9 / t.tickNs();
            terms.add(new Term(what + " (tick " + seconds(t.tickNs() / 1e9) + ")", ticks, ticks * 2));
        } else if (u instanceof PmuUsage.Greedy g) {
            double rounds = vm.vcpus() * 1e9 / g.reprogramEveryNs();
            terms.add(new Term(
                    what + " (reprogram_every " + seconds(g.reprogramEveryNs() / 1e9) + ")", rounds, rounds * 31 * 3));
        }
        // nmi-watchdog: one overflow per thresh; idle: nothing.
    }

    private static int count(List<EventGroup> groups) {
        return groups.stream().mapToInt(g -> g.events().size()).sum();
    }

    /**
     * {@link #samplesPerSecond} in a guest: perf record lowers {@code -F} to the guest's
     * perf_event_max_sample_rate as the run starts ({@code record_opts__config_freq}).
     */
    private static double guestSamplesPerSecond(Sampling s, double cyclesPerSecond, VmSpec vm) {
        double perSecond = samplesPerSecond(s, cyclesPerSecond);
        return s.mode() == Sampling.Mode.FREQUENCY
                ? Math.min(perSecond, vm.perfSysctls().perfEventMaxSampleRate())
                : perSecond;
    }

    /** Samples per second of one counting event: {@code -F}, or the clock over {@code -c}. */
    private static double samplesPerSecond(Sampling s, double cyclesPerSecond) {
        return s.mode() == Sampling.Mode.FREQUENCY ? s.value() : cyclesPerSecond / s.value();
    }

    private static double simulatedSeconds(Scenario scenario, double share) {
        if (scenario.run() instanceof RunLength.UntilWorkDone u) {
            double limit = u.timeLimitNs() / 1e9;
            for (VmSpec vm : scenario.vms()) {
                if (vm.name().equals(u.vm())) {
                    double perThread = WorkloadRates.perSecond(vm.workload())
                            .getOrDefault(Events.INST_RETIRED, WorkloadRates.DEFAULT_CPU_HZ);
                    double rate = perThread
                            * Math.min(vm.vcpus(), vm.workload().threads())
                            * vm.workload().load()
                            * share;
                    return rate <= 0 ? limit : Math.min(limit, u.instructions() / rate);
                }
            }
            return limit;
        }
        return scenario.run().limitNs() / 1e9;
    }

    /**
     * Wall seconds of one run on one core.
     *
     * @param directAccesses the run's allocation policy gives guests direct counters (a built-in
     *     partitioning policy); false for the emulated vPMU and for policies nothing is known of
     */
    public double wallSeconds(boolean directAccesses) {
        return eventsPerRun * SECONDS_PER_EVENT
                + accessesPerRun * (directAccesses ? SECONDS_PER_DIRECT_ACCESS : SECONDS_PER_EMULATED_ACCESS);
    }

    /** The term that costs most, for a warning: what to change to make the run shorter. */
    public Term dominant() {
        return terms.get(0);
    }

    /** {@code 3.2 s}, {@code 14 min}, {@code 31 h}, {@code 12 days}. */
    public static String human(double seconds) {
        if (seconds < 90) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (seconds < 90 * 60) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        if (seconds < 48 * 3600) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        }
        return String.format(Locale.ROOT, "%.0f days", seconds / 86400);
    }

    /** {@code 950}, {@code 12,400}, {@code 3.1 million}, {@code 22 billion}. */
    public static String count(double n) {
        if (n >= 1e10) {
            return String.format(Locale.ROOT, "%.0f billion", n / 1e9);
        }
        if (n >= 1e9) {
            return String.format(Locale.ROOT, "%.1f billion", n / 1e9);
        }
        if (n >= 1e6) {
            return String.format(Locale.ROOT, "%.1f million", n / 1e6);
        }
        return String.format(Locale.ROOT, "%,.0f", n);
    }

    private static String seconds(double s) {
        if (s >= 1) {
            return fmt(s) + "s";
        }
        if (s >= 1e-3) {
            return fmt(s * 1e3) + "ms";
        }
        if (s >= 1e-6) {
            return fmt(s * 1e6) + "us";
        }
        return fmt(s * 1e9) + "ns";
    }

    private static String describe(Sampling s) {
        return s.mode() == Sampling.Mode.FREQUENCY ? s.value() + " Hz" : "period " + s.value();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
