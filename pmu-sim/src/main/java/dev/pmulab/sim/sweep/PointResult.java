package dev.pmulab.sim.sweep;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.metrics.Metric;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one point produced: each compared policy's metrics, or why its run failed. One JSON line
 * ({@link #toJsonLine()}) per point is what a sweep appends as points finish and what
 * {@code pmulab merge} joins.
 *
 * @param index the point's index in the plan
 * @param specHash the plan's hash ({@link SweepPlan#specHash()})
 * @param axes the point's axis values, by path ({@link SweepPoint#axes()})
 * @param scenario the scenario's name
 * @param seed the runs' seed
 * @param runs one per compared policy, in run order
 */
public record PointResult(
        int index, String specHash, Map<String, String> axes, String scenario, long seed, List<PolicyRun> runs)
        implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    public PointResult {
        requireNonNull(specHash, "specHash is null");
        axes = Collections.unmodifiableMap(new LinkedHashMap<>(axes));
        requireNonNull(scenario, "scenario is null");
        runs = List.copyOf(runs);
    }

    /**
     * One policy's run at the point.
     *
     * @param policy the policy's name ({@code static-hpmn}): the tidy output's policy column
     * @param label the name with every setting, as compare labels a column
     * @param metrics applicable metrics by key, in report order (a metric that does not apply is absent)
     * @param failure why the run failed; empty when it finished
     */
    public record PolicyRun(String policy, String label, Map<String, Double> metrics, String failure)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        public PolicyRun {
            requireNonNull(policy, "policy is null");
            requireNonNull(label, "label is null");
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
            requireNonNull(failure, "failure is null");
        }

        public boolean ok() {
            return failure.isEmpty();
        }
    }

    /** The result of {@code point} from its runs' outcomes (in run order). */
    public static PointResult of(SweepPoint point, String specHash, List<Comparison.Outcome> outcomes) {
        List<PolicyRun> runs = new ArrayList<>();
        for (Comparison.Outcome o : outcomes) {
            var allocation = o.run().policies().stream()
                    .filter(p -> p.kind() == dev.pmulab.api.PolicyKind.ALLOCATION)
                    .findFirst()
                    .orElseThrow();
            RunResult r = o.result();
            Map<String, Double> metrics = new LinkedHashMap<>();
            r.metrics().asMap().forEach((m, v) -> metrics.put(m.key(), v));
            runs.add(new PolicyRun(
                    allocation.name(),
                    allocation.label(),
                    metrics,
                    r.failure().map(Object::toString).orElse("")));
        }
        return new PointResult(point.index(), specHash, point.axes(), point.scenario(), point.seed(), runs);
    }

    /** Whether every run of the point finished. */
    public boolean ok() {
        return runs.stream().allMatch(PolicyRun::ok);
    }

    /** The point as one line of JSON (no newline), the same bytes wherever it ran. */
    public String toJsonLine() {
        ObjectNode o = JSON.createObjectNode();
        o.put("sweep", specHash);
        o.put("point", index);
        o.put("scenario", scenario);
        o.put("seed", seed);
        ObjectNode a = o.putObject("axes");
        axes.forEach(a::put);
        ArrayNode rs = o.putArray("runs");
        for (PolicyRun r : runs) {
            ObjectNode ro = rs.addObject();
            ro.put("policy", r.policy());
            ro.put("label", r.label());
            ObjectNode m = ro.putObject("metrics");
            r.metrics().forEach((k, v) -> putNumber(m, k, v));
            if (!r.ok()) {
                ro.put("failure", r.failure());
            }
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a point as JSON", e);
        }
    }

    /**
     * Reads a line {@link #toJsonLine()} wrote.
     *
     * @throws IllegalArgumentException for a line that is not one
     */
    public static PointResult fromJsonLine(String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON line: " + e.getOriginalMessage(), e);
        }
        try {
            Map<String, String> axes = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : need(o, "axes").properties()) {
                axes.put(e.getKey(), e.getValue().asText());
            }
            List<PolicyRun> runs = new ArrayList<>();
            for (JsonNode r : need(o, "runs")) {
                Map<String, Double> metrics = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : need(r, "metrics").properties()) {
                    if (!e.getValue().isNumber()) {
                        throw new IllegalArgumentException("metric " + e.getKey() + " is not a number");
                    }
                    metrics.put(e.getKey(), e.getValue().asDouble());
                }
                runs.add(new PolicyRun(
                        need(r, "policy").asText(),
                        need(r, "label").asText(),
                        metrics,
                        r.has("failure") ? r.get("failure").asText() : ""));
            }
            JsonNode point = need(o, "point");
            JsonNode seed = need(o, "seed");
            if (!point.canConvertToInt() || !seed.canConvertToLong()) {
                throw new IllegalArgumentException("point and seed are whole numbers");
            }
            return new PointResult(
                    point.asInt(),
                    need(o, "sweep").asText(),
                    axes,
                    need(o, "scenario").asText(),
                    seed.asLong(),
                    runs);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a sweep point: " + e.getMessage(), e);
        }
    }

    private static JsonNode need(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("no '" + field + "'");
        }
        return v;
    }

    /** A whole value as an integer (counts read as counts), anything else as the shortest exact decimal. */
    static void putNumber(ObjectNode o, String key, double v) {
        if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
            o.put(key, (long) v);
        } else {
            o.put(key, v);
        }
    }

    /** A value as {@link #putNumber} writes it, for the CSV. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** Every metric of the report order that a run of this point has, for callers listing them. */
    static List<String> metricKeys() {
        return Metric.all().stream().map(Metric::key).toList();
    }
}
