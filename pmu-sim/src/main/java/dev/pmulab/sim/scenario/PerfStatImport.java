package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pmulab workload from-perf-stat FILE}: a VM's {@code workload} block from what
 * {@code perf stat -x,} printed for the workload (in the guest, or on a machine like it).
 *
 * <p>perf stat's CSV lines are {@code value,unit,event,run-time,percentage[,metric,metric-unit]}
 * (tools/perf/util/stat-display.c, print_counter_aggr with csv_output): the count (already scaled
 * by time_enabled / time_running when the event was multiplexed; the percentage says how much of
 * the time it ran), or {@code <not counted>} (never on a counter) or {@code <not supported>} (the
 * PMU refused it). A rate is a count over the workload's running time, which is perf's
 * {@code task-clock} (CPU time, msec, summed over threads) when it is there; else the elapsed time
 * ({@code duration_time} in ns, or the footer's {@code seconds time elapsed}), as for one thread
 * that ran throughout. With both, threads and load come from their ratio (perf's "CPUs
 * utilized"). {@code context-switches} over the running time is the workload's
 * {@code context_switches_per_second}; {@code cpu-migrations} are switches too (perf counts one at
 * a switch-in on another CPU, so they are among the context switches) and go into a comment.
 * Other software events ({@code page-faults}, {@code cpu-clock}) are left out, in a comment.
 */
public final class PerfStatImport {
    private static final Pattern ELAPSED = Pattern.compile("\\s*([0-9.]+)\\s+seconds time elapsed\\s*");
    private static final Pattern FOOTER = Pattern.compile("\\s*([0-9.]+)\\s+seconds (user|sys)\\s*");
    private static final List<String> SOFTWARE = List.of(
            "cpu-clock",
            "page-faults",
            "faults",
            "minor-faults",
            "major-faults",
            "alignment-faults",
            "emulation-faults",
            "bpf-output");

    private PerfStatImport() {}

    /** One counted event of the file, at its line. */
    private record Count(String event, BigDecimal value, double percentage, int line) {}

    /**
     * The workload block, as YAML (a {@code workload:} key at column 1, comments saying where each
     * number came from), checked by the scenario reader inside a one-VM scenario.
     *
     * @param fileName what messages call the file
     * @param text the file's text
     * @param profile the workload profile for the events perf stat did not count
     * @throws IllegalArgumentException naming {@code file:line:column} for a line that is not perf
     *     stat's, an unknown event, an event twice, or no time to divide by
     */
    public static String workloadYaml(String fileName, String text, WorkloadProfile profile) {
        requireNonNull(fileName, "fileName is null");
        requireNonNull(text, "text is null");
        requireNonNull(profile, "profile is null");
        List<Count> events = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, Count> software = new LinkedHashMap<>();
        Double elapsedFooter = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher el = ELAPSED.matcher(line);
            if (el.matches()) {
                elapsedFooter = Double.parseDouble(el.group(1));
                continue;
            }
            if (FOOTER.matcher(line).matches() || line.strip().startsWith("Performance counter stats")) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 5) {
                throw new IllegalArgumentException(at(fileName, lineNo, 1)
                        + "not a line of perf stat -x, output (value,unit,event,run-time,percentage,...): '"
                        + line.strip() + "'");
            }
            if (f[0].startsWith("CPU") || f[0].startsWith("S") && f[0].contains("-")) {
                throw new IllegalArgumentException(at(fileName, lineNo, 1)
                        + "a per-CPU or per-core line (perf stat -A or --per-core); run perf stat without them,"
                        + " so that each event has one total");
            }
            String value = f[0].strip();
            String event = f[2].strip();
            int eventColumn = f[0].length() + f[1].length() + 3;
            if (event.isEmpty()) {
                throw new IllegalArgumentException(at(fileName, lineNo, eventColumn) + "no event name");
            }
            if (value.equals("<not counted>") || value.equals("<not supported>")) {
                notes.add(event + ": " + value.substring(1, value.length() - 1)
                        + (value.equals("<not counted>")
                                ? " (never on a counter), so the profile's rate stands"
                                : " by that PMU, so the profile's rate stands"));
                continue;
            }
            BigDecimal v;
            try {
                v = new BigDecimal(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(at(fileName, lineNo, 1) + "'" + value
                        + "' is not a count (perf stat -x, prints a number, <not counted> or <not supported>)");
            }
            double pct = 100;
            if (!f[4].isBlank()) {
                try {
                    pct = Double.parseDouble(f[4].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            at(fileName, lineNo, eventColumn + event.length() + f[3].length() + 2) + "'" + f[4]
                                    + "' is not perf's percentage of run time");
                }
            }
            Count c = new Count(event, v, pct, lineNo);
            String base = event.toLowerCase(Locale.ROOT);
            if (base.equals("task-clock")
                    || base.equals("duration_time")
                    || base.equals("context-switches")
                    || base.equals("cs")
                    || base.equals("cpu-migrations")
                    || base.equals("migrations")
                    || SOFTWARE.contains(base)) {
                String key = switch (base) {
                    case "cs" -> "context-switches";
                    case "migrations" -> "cpu-migrations";
                    default -> base;
                };
                if (software.put(key, c) != null) {
                    throw new IllegalArgumentException(at(fileName, lineNo, eventColumn) + event
                            + " again: one total per event (perf stat -I or -r output repeats events; take the total)");
                }
                continue;
            }
            events.add(c);
        }
        Count taskClock = software.get("task-clock");
        Count duration = software.get("duration_time");
        Double elapsed = duration != null ? Double.valueOf(duration.value().doubleValue() / 1e9) : elapsedFooter;
        double running;
        String runningFrom;
        if (taskClock != null) {
            running = taskClock.value().doubleValue() / 1e3;
            runningFrom = "task-clock " + fmt(running) + " s of CPU time (line " + taskClock.line() + ")";
        } else if (elapsed != null) {
            running = elapsed;
            runningFrom = (duration != null ? "duration_time" : "seconds time elapsed") + " " + fmt(elapsed)
                    + " s, as one thread that ran throughout (no task-clock in the file)";
        } else {
            throw new IllegalArgumentException(fileName + ": no time to divide the counts by: perf stat prints"
                    + " task-clock by default; with -e, add -e task-clock (or duration_time), or keep the"
                    + " 'seconds time elapsed' line");
        }
        if (!(running > 0)) {
            throw new IllegalArgumentException(fileName + ": the running time is 0 (" + runningFrom + ")");
        }
        if (events.isEmpty()) {
            throw new IllegalArgumentException(fileName + ": no hardware event was counted; perf stat -x, -e"
                    + " cycles,instructions,... -- WORKLOAD gives the rates");
        }

        StringBuilder y = new StringBuilder();
        y.append("# From ")
                .append(fileName)
                .append(" (perf stat -x,): rates are counts over ")
                .append(runningFrom)
                .append(".\n");
        int threads = 1;
        double load = 1;
        if (taskClock != null && elapsed != null && elapsed > 0) {
            double utilized = running / elapsed;
            threads = Math.max(1, (int) Math.ceil(utilized - 0.05));
            load = Math.min(1, utilized / threads);
            y.append("# ")
                    .append(fmt(utilized))
                    .append(" CPUs utilized over ")
                    .append(fmt(elapsed))
                    .append(" s elapsed: threads ")
                    .append(threads)
                    .append(", load ")
                    .append(fmt(load))
                    .append(" (a VM needs at least that many vcpus).\n");
        }
        Map<Integer, String> seen = new LinkedHashMap<>();
        StringBuilder rates = new StringBuilder();
        for (Count c : events) {
            PerfEventSpelling sp;
            try {
                sp = PerfEventSpelling.parse(c.event());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        at(fileName, c.line(), column(lines[c.line() - 1])) + e.getMessage(), e);
            }
            String before = seen.putIfAbsent(sp.number(), c.event());
            if (before != null) {
                throw new IllegalArgumentException(at(fileName, c.line(), column(lines[c.line() - 1]))
                        + c.event()
                        + String.format(
                                Locale.ROOT,
                                " is event 0x%04x, as %s is already: one rate per event",
                                sp.number(),
                                before));
            }
            long rate = Math.round(c.value().doubleValue() / running);
            if (c.percentage() < 100) {
                y.append("# ")
                        .append(c.event())
                        .append(" ran ")
                        .append(fmt(c.percentage()))
                        .append(" % of the time (multiplexed); perf scaled its count by enabled / running.\n");
            }
            rates.append("    \"").append(c.event()).append("\": ").append(rate).append('\n');
        }
        for (String n : notes) {
            y.append("# ").append(n).append(".\n");
        }
        Count migrations = software.get("cpu-migrations");
        if (migrations != null) {
            y.append("# cpu-migrations: ")
                    .append(Math.round(migrations.value().doubleValue() / running))
                    .append(" per second of running; each is one of the context switches (perf counts it at the")
                    .append(
                            " switch-in on another CPU), so it is in context_switches_per_second when that is given.\n");
        }
        for (String sw : SOFTWARE) {
            Count c = software.get(sw);
            if (c != null) {
                y.append("# ")
                        .append(sw)
                        .append(": ")
                        .append(c.value().toPlainString())
                        .append(" (no workload field: the simulator models no page tables or clocks of its own).\n");
            }
        }
        y.append("workload:\n");
        y.append("  profile: ").append(profile.configName()).append('\n');
        y.append("  threads: ").append(threads).append('\n');
        if (load < 0.995) {
            y.append("  load: ")
                    .append(String.format(Locale.ROOT, "%.2f", load))
                    .append('\n');
        }
        y.append("  rates:\n").append(rates);
        Count cs = software.get("context-switches");
        if (cs != null) {
            y.append("  context_switches_per_second: ")
                    .append(Math.round(cs.value().doubleValue() / running))
                    .append('\n');
        }
        String yaml = y.toString();
        validate(fileName, yaml, threads);
        return yaml;
    }

    /** The scenario reader's check: the block as the workload of a VM with a vCPU per thread. */
    static Scenario validate(String fileName, String workloadYaml, int threads) {
        StringBuilder s = new StringBuilder();
        s.append("run: {duration: 100ms}\n");
        s.append("host: {cpus: [{core: neoverse-n2, count: ").append(threads).append("}]}\n");
        s.append("vms:\n  - name: vm0\n    vcpus: ").append(threads).append('\n');
        for (String l : workloadYaml.split("\n")) {
            if (!l.startsWith("#")) {
                s.append("    ").append(l).append('\n');
            }
        }
        try {
            return ScenarioLoader.load(fileName + " (as a VM's workload)", s.toString());
        } catch (ScenarioException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * A workload profile by its scenario name.
     *
     * @throws IllegalArgumentException for an unknown one, listing the known
     */
    public static WorkloadProfile profile(String name) {
        WorkloadProfile p = WorkloadProfile.fromConfigName(requireNonNull(name, "name is null"));
        if (p == null) {
            throw new IllegalArgumentException("--profile: unknown workload profile '" + name + "'; known: "
                    + java.util.Arrays.stream(WorkloadProfile.values())
                            .map(WorkloadProfile::configName)
                            .collect(java.util.stream.Collectors.joining(", ")));
        }
        return p;
    }

    /** The column of a line's event field (the third). */
    private static int column(String line) {
        int first = line.indexOf(',');
        int second = first < 0 ? -1 : line.indexOf(',', first + 1);
        return second < 0 ? 1 : second + 2;
    }

    private static String at(String file, int line, int column) {
        return file + ":" + line + ":" + column + ": ";
    }

    private static String fmt(double v) {
        return new BigDecimal(v)
                .round(new java.math.MathContext(4))
                .stripTrailingZeros()
                .toPlainString();
    }
}
