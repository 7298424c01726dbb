package dev.pmulab.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pmulab diff A.json B.json}: which metrics changed between two saved {@code compare
 * --format json} results, and by how much. Runs are matched by their policies (every kind's name
 * and settings, not the labels); runs only one side has are listed. Values compare exactly: a
 * metric is unchanged only when both are the same number or both not applicable.
 */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = {
            "Compare two saved results of 'pmulab compare --format json': for each run (matched by its",
            "policies' names and settings), each metric that changed, old -> new, by how much and by what",
            "share of the old value. Exit status: 0 the files were compared (changed or not); 2 a file is",
            "missing or not a compare result (the message names the file, and line:column for bad JSON)."
        })
final class DiffCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORMAT_PREFIX = "pmulab-compare/";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A.json", description = "The earlier result.")
    private Path a;

    @Parameters(index = "1", paramLabel = "B.json", description = "The later result.")
    private Path b;

    /** A run of a result: its key (policies with settings), its column label and its metrics. */
    private record Run(String key, String label, Map<String, JsonNode> metrics) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode docA = read(a);
        JsonNode docB = read(b);
        Map<String, Run> runsA = runs(a, docA);
        Map<String, Run> runsB = runs(b, docB);
        out.println("pmulab diff: " + a + " (" + text(docA, "scenario") + ", seed " + text(docA, "seed") + ") -> " + b
                + " (" + text(docB, "scenario") + ", seed " + text(docB, "seed") + ")");
        if (!text(docA, "scenario_sha256").equals(text(docB, "scenario_sha256"))) {
            out.println("note: the scenarios' texts differ (scenario_sha256)");
        }
        if (!text(docA, "pmulab_version").equals(text(docB, "pmulab_version"))) {
            out.println("note: pmulab " + text(docA, "pmulab_version") + " -> " + text(docB, "pmulab_version"));
        }
        int changedRuns = 0;
        for (Run ra : runsA.values()) {
            Run rb = runsB.get(ra.key());
            if (rb == null) {
                continue;
            }
            List<String> lines = new ArrayList<>();
            for (Map.Entry<String, JsonNode> m : ra.metrics().entrySet()) {
                JsonNode vb = rb.metrics().get(m.getKey());
                if (vb == null) {
                    lines.add("  " + m.getKey() + ": only in " + a);
                } else if (!same(m.getValue(), vb)) {
                    lines.add("  " + m.getKey() + ": " + change(m.getValue(), vb));
                }
            }
            for (String k : rb.metrics().keySet()) {
                if (!ra.metrics().containsKey(k)) {
                    lines.add("  " + k + ": only in " + b);
                }
            }
            out.println();
            if (lines.isEmpty()) {
                out.println(ra.label() + ": no metric changed");
            } else {
                changedRuns++;
                out.println(
                        ra.label() + ": " + lines.size() + (lines.size() == 1 ? " metric" : " metrics") + " changed");
                lines.forEach(out::println);
            }
        }
        List<String> onlyA = runsA.keySet().stream()
                .filter(k -> !runsB.containsKey(k))
                .map(k -> runsA.get(k).label())
                .toList();
        List<String> onlyB = runsB.keySet().stream()
                .filter(k -> !runsA.containsKey(k))
                .map(k -> runsB.get(k).label())
                .toList();
        if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
            out.println();
        }
        onlyA.forEach(l -> out.println("only in " + a + ": " + l));
        onlyB.forEach(l -> out.println("only in " + b + ": " + l));
        out.println();
        out.println(changedRuns + " of "
                + runsA.keySet().stream().filter(runsB::containsKey).count() + " matched runs changed; " + onlyA.size()
                + " only in " + a + ", " + onlyB.size() + " only in " + b);
        out.flush();
        return 0;
    }

    /** {@code old -> new (+d, +p%)}; the share is left out when the old value is 0 or either is n/a. */
    static String change(JsonNode old, JsonNode now) {
        if (!old.isNumber() || !now.isNumber()) {
            return show(old) + " -> " + show(now);
        }
        double o = old.asDouble();
        double n = now.asDouble();
        String d = signed(n - o);
        String rel = o == 0 ? "" : ", " + String.format(Locale.ROOT, "%+.2f%%", 100 * (n - o) / Math.abs(o));
        return show(old) + " -> " + show(now) + " (" + d + rel + ")";
    }

    private static String signed(double d) {
        String s = plain(d);
        return d > 0 ? "+" + s : s;
    }

    private static String show(JsonNode v) {
        return v.isNumber() ? plain(v.asDouble()) : "n/a";
    }

    /** Whole numbers without a fraction; others as Java prints the shortest exact double. */
    private static String plain(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    private static boolean same(JsonNode x, JsonNode y) {
        if (x.isNumber() && y.isNumber()) {
            return x.decimalValue().compareTo(y.decimalValue()) == 0;
        }
        return x.isNull() && y.isNull();
    }

    private static String text(JsonNode doc, String field) {
        JsonNode v = doc.get(field);
        return v == null || v.isNull() ? "unknown" : v.asText();
    }

    /** The file as a compare result, or a clear error naming it (and line:column for bad JSON). */
    static JsonNode read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it: " + e.getMessage());
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null ? "" : ":" + l.getLineNr() + ":" + l.getColumnNr();
            throw new IllegalArgumentException(file + where + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (doc == null || !doc.isObject()) {
            throw new IllegalArgumentException(
                    file + ": not a result of pmulab compare --format json (no JSON object)");
        }
        JsonNode format = doc.get("format");
        if (format == null
                || !format.asText().startsWith(FORMAT_PREFIX)
                || !doc.path("runs").isArray()) {
            throw new IllegalArgumentException(file + ": not a result of pmulab compare --format json (it has no "
                    + "\"format\": \"" + FORMAT_PREFIX + "...\" and \"runs\"; results written before format 2 "
                    + "cannot be matched by settings: write them again)");
        }
        return doc;
    }

    /** The runs by key: every kind's policy name and settings, in the file's order. */
    private static Map<String, Run> runs(Path file, JsonNode doc) {
        Map<String, Run> out = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode run : doc.get("runs")) {
            i++;
            JsonNode policies = run.get("policies");
            JsonNode metrics = run.get("metrics");
            if (policies == null || !policies.isObject() || metrics == null || !metrics.isObject()) {
                throw new IllegalArgumentException(file + ": run " + i + " has no \"policies\" or \"metrics\" object");
            }
            StringBuilder key = new StringBuilder();
            for (Map.Entry<String, JsonNode> p : policies.properties()) {
                // Name and settings only: the same policy with the same settings is the same run.
                key.append(p.getKey())
                        .append('=')
                        .append(p.getValue().path("name").asText())
                        .append(p.getValue().path("settings"))
                        .append(';');
            }
            Map<String, JsonNode> values = new LinkedHashMap<>();
            metrics.properties().forEach(e -> values.put(e.getKey(), e.getValue()));
            String label = run.path("label").asText("run " + i);
            out.put(key.toString(), new Run(key.toString(), label, values));
        }
        return out;
    }
}
