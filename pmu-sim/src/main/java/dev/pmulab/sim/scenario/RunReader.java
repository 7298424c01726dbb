package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.scenario.FieldReader.Fields;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import java.util.List;

/**
 * The {@code run} section: a fixed {@code duration}, or {@code until_work_done} by one VM within a
 * {@code time_limit}. Read after the VMs, which it names; its end bounds the times read after it.
 */
final class RunReader {
    static final List<String> RUN_KEYS = List.of("duration", "until_work_done", "time_limit");
    static final List<String> WORK_KEYS = List.of("vm", "instructions");

    /**
     * The run as read.
     *
     * @param run the run length; null if anything was wrong
     * @param endNs the latest time the run reaches; -1 when that could not be read
     */
    record Section(RunLength run, long endNs) {}

    private final FieldReader in;
    private final ReadContext context;
    private final ScenarioChecks checks;

    /** {@code context}: after the VMs. */
    RunReader(FieldReader in, ReadContext context, ScenarioChecks checks) {
        this.in = requireNonNull(in, "in is null");
        this.context = requireNonNull(context, "context is null");
        this.checks = requireNonNull(checks, "checks is null");
    }

    Section read(Fields top) {
        if (!top.has("run")) {
            in.problem(
                    top.mark(),
                    "run",
                    "required field is missing: give run: {duration: 1s} or"
                            + " run: {until_work_done: {vm: NAME, instructions: N}}");
            return new Section(null, -1);
        }
        MapNode m = in.map(top.get("run"), "run");
        if (m == null) {
            return new Section(null, -1);
        }
        Fields o = in.fields(m, "run", RUN_KEYS);
        if (o.has("duration") == o.has("until_work_done")) {
            in.problem(m.mark(), "run", "give either duration or until_work_done");
            return new Section(null, -1);
        }
        if (o.has("duration")) {
            if (o.has("time_limit")) {
                in.problem(
                        o.keyMark("time_limit"),
                        o.at("time_limit"),
                        "time_limit goes with until_work_done; a run of fixed duration ends at its duration");
            }
            Long d = in.positiveDuration(o.get("duration"), o.at("duration"));
            return d == null ? new Section(null, -1) : new Section(new RunLength.FixedDuration(d), d);
        }
        Long limit = o.positiveDuration("time_limit", RunLength.UntilWorkDone.DEFAULT_TIME_LIMIT_NS);
        if (limit == null) {
            return new Section(null, -1);
        }
        return new Section(untilWorkDone(o, limit), limit);
    }

    private RunLength untilWorkDone(Fields o, long limit) {
        MapNode wm = in.map(o.get("until_work_done"), o.at("until_work_done"));
        if (wm == null) {
            return null;
        }
        Fields w = in.fields(wm, o.at("until_work_done"), WORK_KEYS);
        String vm = w.required("vm") ? in.string(w.get("vm"), w.at("vm")) : null;
        Long instructions =
                w.required("instructions") ? in.atLeast(w.get("instructions"), w.at("instructions"), 1) : null;
        if (vm == null || instructions == null) {
            return null;
        }
        if (!checks.workTargetRuns(w.get("vm"), w.at("vm"), vm, context.processes())) {
            return null;
        }
        return in.build(wm.mark(), o.at("until_work_done"), () -> new RunLength.UntilWorkDone(vm, instructions, limit));
    }
}
