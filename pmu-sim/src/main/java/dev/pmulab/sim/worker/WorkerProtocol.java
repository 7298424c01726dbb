package dev.pmulab.sim.worker;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pmulab.api.ControlRule;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.sim.cost.CostModel;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.metrics.Breakdown;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.report.RunFailure;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The worker protocol, version {@value #VERSION}: JSON lines, UTF-8, one message per line
 * (docs/architecture.md, "Worker JVMs"). The asking JVM writes {@code run} requests to the
 * worker's stdin; the worker writes {@code ready} once, then one {@code result} or {@code error}
 * per request, in order, to its stdout. Doubles are written as Java prints them, the shortest
 * decimal that reads back as the same double, so a result crosses the channel bit for bit.
 *
 * <p>Progress, added within version 1 without breaking it: a request may carry
 * {@code "progress_every_ms": N}; a worker that knows the field then writes
 * {@code {"type":"progress","id":…,"simulated_ns":…}} lines, at most one per N ms, before the
 * request's result. A worker that predates the field ignores it (unknown fields are ignored) and
 * sends none, and an asking JVM that never sets it never receives one, so old and new mix.
 */
public final class WorkerProtocol {
    /** The protocol's version: a worker refuses requests of another. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkerProtocol() {}

    /** A message from the worker. */
    public sealed interface Reply permits Ready, Result, Failure, Progress {}

    /** Request {@code id}'s run has simulated {@code simulatedNs} so far (only when the request asked). */
    public record Progress(long id, long simulatedNs) implements Reply {}

    /**
     * A request as the worker reads it.
     *
     * @param progressEveryMs how often the asking JVM wants {@link Progress} lines; 0 for none
     */
    public record Request(RunSpec spec, long progressEveryMs) {}

    /** How often {@link #request} asks a worker for progress: what a person sees as smooth. */
    public static final long PROGRESS_EVERY_MS = 250;

    /** The worker is up and speaks {@code protocol}. */
    public record Ready(int protocol) implements Reply {}

    /**
     * The run's result; {@code retiring} when the worker exits after it (an Error left the JVM in
     * a state not worth reusing).
     */
    public record Result(long id, RunResult result, boolean retiring) implements Reply {}

    /** The worker could not run request {@code id} at all (a spec it cannot read, a scenario that does not load). */
    public record Failure(long id, String message) implements Reply {}

    /** A line that is not a protocol message: something else wrote to the worker's stdout. */
    public static final class ProtocolException extends Exception {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Requests

    public static String ready() {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "ready");
        o.put("protocol", VERSION);
        return write(o);
    }

    public static String request(RunSpec spec) {
        requireNonNull(spec, "spec is null");
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "run");
        o.put("protocol", VERSION);
        o.put("id", spec.id());
        o.put("progress_every_ms", PROGRESS_EVERY_MS);
        ObjectNode sc = o.putObject("scenario");
        sc.put("file", spec.scenario().fileName());
        sc.put("text", spec.scenario().text());
        o.put("seed", spec.seed());
        ArrayNode paths = o.putArray("plugin_path");
        spec.pluginPaths().forEach(paths::add);
        ArrayNode ps = o.putArray("policies");
        for (RunSpec.PolicySpec p : spec.policies()) {
            ObjectNode po = ps.addObject();
            po.put("kind", p.kind().configName());
            po.put("name", p.name());
            po.set("settings", JSON.valueToTree(p.settings()));
        }
        return write(o);
    }

    /**
     * Reads a {@code run} request.
     *
     * @throws ProtocolException naming what is missing or of another version
     */
    public static RunSpec parseRequest(String line) throws ProtocolException {
        return parseRunRequest(line).spec();
    }

    /**
     * Reads a {@code run} request with its progress wish ({@code progress_every_ms}, 0 when absent).
     *
     * @throws ProtocolException naming what is missing or of another version
     */
    public static Request parseRunRequest(String line) throws ProtocolException {
        JsonNode o = parse(line);
        if (!"run".equals(o.path("type").asText())) {
            throw new ProtocolException(
                    "expected a run request, got type '" + o.path("type").asText() + "'");
        }
        if (o.path("protocol").asInt() != VERSION) {
            throw new ProtocolException(
                    "protocol version " + o.path("protocol").asText() + ", this worker speaks " + VERSION);
        }
        JsonNode sc = o.path("scenario");
        if (!sc.path("file").isTextual()
                || !sc.path("text").isTextual()
                || !o.path("id").canConvertToLong()
                || !o.path("seed").canConvertToLong()) {
            throw new ProtocolException("a run request needs id, seed, scenario.file and scenario.text");
        }
        List<String> paths = new ArrayList<>();
        o.path("plugin_path").forEach(p -> paths.add(p.asText()));
        List<RunSpec.PolicySpec> policies = new ArrayList<>();
        for (JsonNode p : o.path("policies")) {
            Map<String, Object> settings = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : p.path("settings").properties()) {
                settings.put(e.getKey(), scalarOrList(e.getValue()));
            }
            PolicyKind kind;
            try {
                kind = PolicyKind.fromConfigName(p.path("kind").asText());
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(e.getMessage());
            }
            policies.add(new RunSpec.PolicySpec(kind, p.path("name").asText(), settings));
        }
        long every = o.path("progress_every_ms").canConvertToLong()
                ? Math.max(0, o.path("progress_every_ms").asLong())
                : 0;
        return new Request(
                new RunSpec(
                        o.path("id").asLong(),
                        new RunSpec.ScenarioSource(
                                sc.path("file").asText(), sc.path("text").asText()),
                        o.path("seed").asLong(),
                        paths,
                        policies),
                every);
    }

    /** A setting as the descriptor's conversion reads it: Long, Boolean, String, or a list of them. */
    private static Object scalarOrList(JsonNode v) {
        if (v.isArray()) {
            List<Object> items = new ArrayList<>();
            v.forEach(i -> items.add(scalarOrList(i)));
            return items;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.isNull() ? null : v.asText();
    }

    // ---------------------------------------------------------------------------------------------
    // Replies

    public static String result(long id, RunResult r, boolean retiring) {
        requireNonNull(r, "r is null");
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "result");
        o.put("id", id);
        o.put("retiring", retiring);
        o.put("status", r.ok() ? "ok" : "failed");
        if (r.ok()) {
            o.putNull("error");
            o.putNull("failure");
        } else {
            RunFailure f = r.failure().orElseThrow();
            o.put("error", f.message());
            ObjectNode fo = o.putObject("failure");
            putOrNull(fo, "policy", f.policy());
            putOrNull(fo, "hook", f.hook());
            putOrNull(fo, "rule", f.rule() == null ? null : f.rule().name());
            fo.put("detail", f.detail());
        }
        o.put("events", r.events());
        o.put("simulated_ns", r.simulatedNs());
        o.put("guest_pmu_accesses", r.guestPmuAccesses());
        ObjectNode metrics = o.putObject("metrics");
        r.metrics().asMap().forEach((m, v) -> metrics.put(m.key(), v.doubleValue()));
        ArrayNode costs = o.putArray("costs");
        for (CostModel.Use u : r.costsUsed()) {
            ObjectNode c = costs.addObject();
            c.put("cost", u.cost().name());
            c.put("base_ns", u.price().baseNs());
            c.put("per_unit_ns", u.price().perUnitNs());
            c.put("overridden", u.overridden());
            c.put("occurrences", u.occurrences());
            c.put("total_ns", u.totalNs());
        }
        ObjectNode traps = o.putObject("guest_traps");
        r.guestTrapsByRegister().forEach((reg, n) -> traps.put(reg.name(), n.longValue()));
        ArrayNode parts = o.putArray("breakdown");
        for (Breakdown.Part p : r.breakdown().parts()) {
            ObjectNode po = parts.addObject();
            po.put("by", p.by().key());
            po.put("name", p.name());
            po.put("least_covered", p.leastCovered());
            ObjectNode pm = po.putObject("metrics");
            p.metrics().asMap().forEach((m, v) -> pm.put(m.key(), v.doubleValue()));
        }
        return write(o);
    }

    /** A progress line for request {@code id}. */
    public static String progress(long id, long simulatedNs) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "progress");
        o.put("id", id);
        o.put("simulated_ns", simulatedNs);
        return write(o);
    }

    public static String failure(long id, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "error");
        o.put("id", id);
        o.put("message", requireNonNull(message, "message is null"));
        return write(o);
    }

    /**
     * Reads a worker's line.
     *
     * @throws ProtocolException for anything that is not one of the worker's messages
     */
    public static Reply parseReply(String line) throws ProtocolException {
        JsonNode o = parse(line);
        try {
            switch (o.path("type").asText()) {
                case "ready" -> {
                    return new Ready(o.path("protocol").asInt());
                }
                case "progress" -> {
                    return new Progress(
                            o.path("id").asLong(), o.path("simulated_ns").asLong());
                }
                case "error" -> {
                    return new Failure(o.path("id").asLong(), o.path("message").asText());
                }
                case "result" -> {
                    return new Result(
                            o.path("id").asLong(),
                            runResult(o),
                            o.path("retiring").asBoolean());
                }
                default ->
                    throw new ProtocolException(
                            "not a worker message: type '" + o.path("type").asText() + "'");
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProtocolException("a malformed result: " + e.getMessage());
        }
    }

    private static RunResult runResult(JsonNode o) {
        MetricValues.Builder metrics = MetricValues.builder();
        for (Map.Entry<String, JsonNode> e : o.path("metrics").properties()) {
            metrics.put(Metric.fromKey(e.getKey()), e.getValue().doubleValue());
        }
        List<CostModel.Use> costs = new ArrayList<>();
        for (JsonNode c : o.path("costs")) {
            costs.add(new CostModel.Use(
                    KernelCost.valueOf(c.path("cost").asText()),
                    new CostModel.Price(
                            c.path("base_ns").asLong(), c.path("per_unit_ns").asLong()),
                    c.path("overridden").asBoolean(),
                    c.path("occurrences").asLong(),
                    c.path("total_ns").asLong()));
        }
        Map<PmuRegister, Long> traps = new EnumMap<>(PmuRegister.class);
        for (Map.Entry<String, JsonNode> e : o.path("guest_traps").properties()) {
            traps.put(PmuRegister.valueOf(e.getKey()), e.getValue().asLong());
        }
        List<Breakdown.Part> parts = new ArrayList<>();
        for (JsonNode p : o.path("breakdown")) {
            parts.add(new Breakdown.Part(
                    Breakdown.By.fromKey(p.path("by").asText()),
                    p.path("name").asText(),
                    metricValues(p.path("metrics")),
                    p.path("least_covered").asText()));
        }
        JsonNode f = o.path("failure");
        Optional<RunFailure> error = f.isObject()
                ? Optional.of(new RunFailure(
                        textOrNull(f, "policy"),
                        textOrNull(f, "hook"),
                        f.path("rule").isTextual()
                                ? ControlRule.valueOf(f.path("rule").asText())
                                : null,
                        f.path("detail").asText()))
                : Optional.empty();
        if (error.isEmpty() != "ok".equals(o.path("status").asText())) {
            throw new IllegalArgumentException("status " + o.path("status").asText() + " with error " + error);
        }
        return new RunResult(
                error.isPresent() ? MetricValues.empty() : metrics.build(),
                costs,
                error,
                o.path("events").asLong(),
                o.path("simulated_ns").asLong(),
                traps,
                o.path("guest_pmu_accesses").asLong(),
                new Breakdown(parts));
    }

    private static MetricValues metricValues(JsonNode metrics) {
        MetricValues.Builder b = MetricValues.builder();
        for (Map.Entry<String, JsonNode> e : metrics.properties()) {
            b.put(Metric.fromKey(e.getKey()), e.getValue().doubleValue());
        }
        return b.build();
    }

    private static void putOrNull(ObjectNode o, String field, String value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    private static String textOrNull(JsonNode o, String field) {
        return o.path(field).isTextual() ? o.path(field).asText() : null;
    }

    private static JsonNode parse(String line) throws ProtocolException {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new ProtocolException("not a JSON object");
        }
        return o;
    }

    private static String write(ObjectNode o) {
        try {
            // One line: Jackson's compact form never contains a raw newline (strings escape theirs).
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a protocol message", e);
        }
    }
}
