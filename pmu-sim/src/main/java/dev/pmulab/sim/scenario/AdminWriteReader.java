package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.scenario.FieldReader.Fields;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import java.util.List;

/**
 * One entry of {@code admin_writes}: an administrator's sysfs knob write at a time within the run.
 * Only the knob's spelling as a sysfs file name is checked here: whether a policy has the knob is
 * the policy's to say when the write is applied (docs/scenarios.md, admin_writes).
 */
final class AdminWriteReader {
    static final List<String> ADMIN_KEYS = List.of("at", "knob", "value");

    private static final String KNOB_RULE = "[a-z][a-z0-9_]*";

    private final FieldReader in;
    private final ReadContext context;
    private final ScenarioChecks checks;

    /** {@code context}: after the run. */
    AdminWriteReader(FieldReader in, ReadContext context, ScenarioChecks checks) {
        this.in = requireNonNull(in, "in is null");
        this.context = requireNonNull(context, "context is null");
        this.checks = requireNonNull(checks, "checks is null");
        context.runEndNs();
    }

    /** The write, or null after a problem. */
    AdminWrite read(MapNode m, String path) {
        Fields o = in.fields(m, path, ADMIN_KEYS);
        Long at = o.required("at") ? in.duration(o.get("at"), o.at("at")) : null;
        if (at != null && !checks.writtenBeforeEnd(o.get("at"), o.at("at"), at, context.runEndNs())) {
            at = null;
        }
        String knob = o.required("knob") ? knob(o) : null;
        Long value = o.required("value") ? in.wholeNumber(o.get("value"), o.at("value")) : null;
        if (!FieldReader.allPresent(at, knob, value)) {
            return null;
        }
        return new AdminWrite(at, knob, value);
    }

    private String knob(Fields o) {
        String knob = in.string(o.get("knob"), o.at("knob"));
        if (knob != null && !knob.matches(KNOB_RULE)) {
            in.problem(
                    o.get("knob").mark(),
                    o.at("knob"),
                    "a knob is a sysfs file name: lower-case letters,"
                            + " digits and '_', starting with a letter; got '" + knob + "'");
            return null;
        }
        return knob;
    }
}
