package dev.pmulab.sim.sweep;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A sweep's output directory (docs/sweeps.md, "Output"):
 *
 * <ul>
 *   <li>{@value #POINTS}: a header line, then one line per finished point ({@link PointResult#toJsonLine()});
 *       appended and flushed as points finish, so an interrupted sweep resumes from it; rewritten in
 *       plan order when the sweep is complete;
 *   <li>{@value #CSV} and {@value #JSONL}: the tidy long table, one row per point, policy and metric,
 *       every axis its own column;
 *   <li>{@value #HTML}: the report ({@link SweepHtml}).
 * </ul>
 *
 * Everything but the appended log is a function of the header and the results in plan order, so a
 * sharded sweep merged ({@link #merge}) is the same bytes as the unsharded one.
 */
public final class SweepOutput {
    public static final String POINTS = "points.jsonl";
    public static final String CSV = "results.csv";
    public static final String JSONL = "results.jsonl";
    public static final String HTML = "report.html";

    /** The tidy table's fixed columns before the axes, and after them. */
    static final List<String> LEADING = List.of("point", "scenario", "seed");

    static final List<String> TRAILING = List.of("policy", "metric", "value", "failure");

    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepOutput() {}

    /**
     * The header line of a points log.
     *
     * @param shard {@code i/n} for a shard's log; null for the whole sweep
     */
    public static String headerLine(SweepHeader h, String shard) {
        ObjectNode o = JSON.createObjectNode();
        o.put("pmulab_sweep", SweepPlan.FORMAT);
        o.put("sweep", h.specHash());
        o.put("name", h.name());
        o.put("description", h.description());
        o.put("points", h.points());
        ArrayNode cols = o.putArray("columns");
        h.columns().forEach(cols::add);
        h.tradeoffChart().ifPresent(t -> {
            ObjectNode to = o.putObject("tradeoff");
            to.put("x", t.x());
            to.put("y", t.y());
        });
        if (shard != null) {
            o.put("shard", shard);
        }
        return write(o);
    }

    /** A header line read back, with its shard (null for none). */
    public record Header(SweepHeader header, String shard) {}

    /**
     * Reads a header line.
     *
     * @throws IllegalArgumentException for a line that is not one
     */
    public static Header parseHeader(String line) {
        try {
            JsonNode o = JSON.readTree(line);
            if (o == null || !o.has("pmulab_sweep")) {
                throw new IllegalArgumentException("it does not start with a pmulab sweep header");
            }
            if (o.get("pmulab_sweep").asInt() != SweepPlan.FORMAT) {
                throw new IllegalArgumentException("it was written in sweep format "
                        + o.get("pmulab_sweep").asText() + "; this pmulab writes " + SweepPlan.FORMAT);
            }
            List<String> columns = new ArrayList<>();
            o.get("columns").forEach(c -> columns.add(c.asText()));
            Tradeoff t = o.has("tradeoff")
                    ? new Tradeoff(
                            o.get("tradeoff").get("x").asText(),
                            o.get("tradeoff").get("y").asText())
                    : null;
            SweepHeader h = new SweepHeader(
                    o.get("name").asText(),
                    o.get("description").asText(),
                    o.get("sweep").asText(),
                    o.get("points").asInt(),
                    columns,
                    t);
            return new Header(h, o.has("shard") ? o.get("shard").asText() : null);
        } catch (JsonProcessingException | NullPointerException e) {
            throw new IllegalArgumentException("it does not start with a pmulab sweep header", e);
        }
    }

    /** A points log as read: its header and its finished points by index. */
    public record Log(Header header, TreeMap<Integer, PointResult> results) {}

    /**
     * Reads a points log ({@value #POINTS}, or a directory holding one). A last line without its
     * newline (the sweep was killed while writing it) is left out.
     *
     * @throws IllegalArgumentException naming the file and line that is not a sweep's
     */
    public static Log read(Path log) {
        Path file = Files.isDirectory(log) ? log.resolve(POINTS) : log;
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(
                    log + ": no such file or directory; a part is a directory pmulab sweep wrote, or its " + POINTS, e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it: " + e.getMessage(), e);
        }
        String[] lines = text.split("\n", -1);
        if (lines.length < 2) {
            throw new IllegalArgumentException(file + ": empty; not a sweep's points log");
        }
        Header h;
        try {
            h = parseHeader(lines[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ":1: " + e.getMessage(), e);
        }
        TreeMap<Integer, PointResult> results = new TreeMap<>();
        // The last element is what follows the last newline: a line cut short, or nothing.
        for (int i = 1; i < lines.length - 1; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            PointResult r;
            try {
                r = PointResult.fromJsonLine(lines[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
            if (!r.specHash().equals(h.header().specHash())) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": a point of sweep " + r.specHash()
                        + " in the log of sweep " + h.header().specHash());
            }
            if (r.index() < 0 || r.index() >= h.header().points()) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": point " + r.index()
                        + " is outside the sweep's " + h.header().points() + " points");
            }
            results.put(r.index(), r);
        }
        return new Log(h, results);
    }

    /**
     * Joins the points logs of a sweep's parts (shards, or runs of the same sweep) and writes the
     * whole sweep's output into {@code out}; returns the joined results.
     *
     * @throws IllegalArgumentException for parts of different sweeps, a point two parts disagree
     *     on, or points no part has (listed)
     */
    public static List<PointResult> merge(List<Path> parts, Path out) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no parts to merge");
        }
        SweepHeader header = null;
        Path first = null;
        TreeMap<Integer, PointResult> all = new TreeMap<>();
        for (Path part : parts) {
            Log log = read(part);
            SweepHeader h = log.header().header();
            if (header == null) {
                header = h;
                first = part;
            } else if (!h.specHash().equals(header.specHash())) {
                throw new IllegalArgumentException(part + " is a part of sweep " + h.name() + " " + h.specHash() + ", "
                        + first + " of sweep " + header.name() + " " + header.specHash()
                        + "; merge joins the parts of one sweep");
            }
            for (PointResult r : log.results().values()) {
                PointResult other = all.putIfAbsent(r.index(), r);
                if (other != null && !other.toJsonLine().equals(r.toJsonLine())) {
                    throw new IllegalArgumentException("point " + r.index() + " differs between the parts (" + part
                            + " and an earlier one); a point is deterministic, so one of them was changed");
                }
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < header.points() && missing.size() < 20; i++) {
            if (!all.containsKey(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException((header.points() - all.size()) + " of the sweep's " + header.points()
                    + " points are in no part (points " + missing.toString().replaceAll("[\\[\\]]", "")
                    + (header.points() - all.size() > missing.size() ? ", ..." : "")
                    + "); run the missing shards, or resume them");
        }
        List<PointResult> results = List.copyOf(all.values());
        writeAll(header, results, out);
        return results;
    }

    /**
     * Writes the complete sweep's output into {@code dir}: the points log in plan order, the tidy
     * CSV and JSON lines, the HTML report. Each file is written whole and moved into place.
     *
     * @param results every point's result (any order; one per index)
     */
    public static void writeAll(SweepHeader header, List<PointResult> results, Path dir) {
        requireNonNull(header, "header is null");
        List<PointResult> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Integer.compare(a.index(), b.index()));
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).index() != i) {
                throw new IllegalArgumentException("the results miss point " + i + " of " + header.points());
            }
        }
        if (sorted.size() != header.points()) {
            throw new IllegalArgumentException(
                    "the results have " + sorted.size() + " points; the sweep has " + header.points());
        }
        try {
            Files.createDirectories(dir);
            StringBuilder log = new StringBuilder(headerLine(header, null)).append('\n');
            for (PointResult r : sorted) {
                log.append(r.toJsonLine()).append('\n');
            }
            replace(dir.resolve(POINTS), log.toString());
            replace(dir.resolve(CSV), csv(header, sorted));
            replace(dir.resolve(JSONL), jsonLines(header, sorted));
            replace(dir.resolve(HTML), SweepHtml.render(header, sorted));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sweep's output into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** One row of the tidy table. */
    public record Row(
            int point,
            String scenario,
            long seed,
            List<String> axes,
            String policy,
            String metric,
            Optional<Double> value,
            String failure) {}

    /** The tidy rows of {@code results} in plan order: per point, per policy, per metric of the report order. */
    public static List<Row> rows(SweepHeader header, List<PointResult> results) {
        List<Row> rows = new ArrayList<>();
        for (PointResult r : results) {
            List<String> axes = new ArrayList<>();
            for (String c : header.columns()) {
                axes.add(r.axes().getOrDefault(c, ""));
            }
            for (PointResult.PolicyRun run : r.runs()) {
                if (!run.ok()) {
                    rows.add(new Row(
                            r.index(),
                            r.scenario(),
                            r.seed(),
                            axes,
                            run.policy(),
                            "",
                            Optional.empty(),
                            run.failure()));
                    continue;
                }
                for (Map.Entry<String, Double> m : run.metrics().entrySet()) {
                    rows.add(new Row(
                            r.index(),
                            r.scenario(),
                            r.seed(),
                            axes,
                            run.policy(),
                            m.getKey(),
                            Optional.of(m.getValue()),
                            ""));
                }
            }
        }
        return rows;
    }

    /** The tidy table as CSV (RFC 4180, with a header row), written with Jackson's CSV generator. */
    public static String csv(SweepHeader header, List<PointResult> results) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        List<String> names = new ArrayList<>(LEADING);
        names.addAll(header.columns());
        names.addAll(TRAILING);
        for (String n : names) {
            schema.addColumn(n);
        }
        CsvMapper mapper = new CsvMapper();
        StringWriter out = new StringWriter();
        try (CsvGenerator g = mapper.getFactory().createGenerator(out)) {
            g.setSchema(schema.build().withLineSeparator("\n"));
            for (Row row : rows(header, results)) {
                g.writeStartArray();
                g.writeString(Integer.toString(row.point()));
                g.writeString(row.scenario());
                g.writeString(Long.toString(row.seed()));
                for (String a : row.axes()) {
                    g.writeString(a);
                }
                g.writeString(row.policy());
                g.writeString(row.metric());
                g.writeString(row.value().map(PointResult::number).orElse(""));
                g.writeString(row.failure());
                g.writeEndArray();
            }
        }
        return out.toString();
    }

    /** The tidy table as JSON lines: one object per row, the axes as fields named by their paths. */
    public static String jsonLines(SweepHeader header, List<PointResult> results) {
        StringBuilder sb = new StringBuilder();
        for (Row row : rows(header, results)) {
            ObjectNode o = JSON.createObjectNode();
            o.put("point", row.point());
            o.put("scenario", row.scenario());
            o.put("seed", row.seed());
            for (int i = 0; i < header.columns().size(); i++) {
                o.put(header.columns().get(i), row.axes().get(i));
            }
            o.put("policy", row.policy());
            if (row.failure().isEmpty()) {
                o.put("metric", row.metric());
                PointResult.putNumber(o, "value", row.value().orElseThrow());
            } else {
                o.put("failure", row.failure());
            }
            sb.append(write(o)).append('\n');
        }
        return sb.toString();
    }

    /**
     * An open points log: points are appended as they finish, each line flushed, so a killed sweep
     * loses at most the line it was writing.
     */
    public static final class Appender implements AutoCloseable {
        private final Writer out;

        private Appender(Writer out) {
            this.out = out;
        }

        /**
         * Opens {@code dir}'s points log for {@code header} (and {@code shard}, or null): a new log,
         * or, when one with the same sweep hash and shard exists, that log (its cut-short last line
         * dropped) with its finished points.
         *
         * @throws IllegalArgumentException when {@code dir} holds the log of another sweep or shard
         */
        public static Opened open(Path dir, SweepHeader header, String shard) throws IOException {
            Files.createDirectories(dir);
            Path file = dir.resolve(POINTS);
            TreeMap<Integer, PointResult> done = new TreeMap<>();
            if (Files.exists(file) && Files.size(file) > 0) {
                Log log = read(file);
                Header h = log.header();
                String had = h.header().specHash();
                if (!had.equals(header.specHash()) || !java.util.Objects.equals(h.shard(), shard)) {
                    throw new IllegalArgumentException(file + " holds sweep "
                            + h.header().name() + " " + had
                            + (h.shard() == null ? "" : " shard " + h.shard()) + ", not this one (" + header.name()
                            + " " + header.specHash() + (shard == null ? "" : " shard " + shard)
                            + "); give another --out, or remove it to start again");
                }
                done.putAll(log.results());
                // Rewrite without a line cut short, so appending starts on a fresh line.
                StringBuilder kept = new StringBuilder(headerLine(header, shard)).append('\n');
                String text = Files.readString(file, StandardCharsets.UTF_8);
                String[] lines = text.split("\n", -1);
                for (int i = 1; i < lines.length - 1; i++) {
                    if (!lines[i].isBlank()) {
                        kept.append(lines[i]).append('\n');
                    }
                }
                replace(file, kept.toString());
            } else {
                replace(file, headerLine(header, shard) + "\n");
            }
            Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            return new Opened(new Appender(w), done);
        }

        /** Appends a finished point and flushes it to the file. */
        public synchronized void append(PointResult r) throws IOException {
            out.write(r.toJsonLine());
            out.write('\n');
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            out.close();
        }
    }

    /** An open points log and the points it already holds. */
    public record Opened(Appender appender, TreeMap<Integer, PointResult> done) {}

    /** Writes {@code text} to a temporary file beside {@code file} and moves it into place. */
    static void replace(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
