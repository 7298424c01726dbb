package dev.pmulab.sim.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Metric;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * CSV in tidy long form: one record per (run, metric), runs in column order and metrics in report
 * order, under a header. Each run's policies are columns of their own: the policy's name per kind
 * ({@code allocation}, {@code selection}, {@code filter}) and each setting any run's policy has as
 * {@code kind.setting} ({@code allocation.reserved_host_counters}), empty where the run's policy
 * has no such setting; so a spreadsheet or {@code pandas} selects a policy and a setting without
 * parsing a label, and {@code awk -F,} sees one field per column. {@code label} is the run's
 * column name in the table (the compared policy with its non-default settings). Values are the
 * full-precision machine numbers of the JSON (empty when not applicable or when the run failed);
 * {@code best} is {@code true} where the table marks the value. Written by Jackson's CSV writer:
 * RFC 4180, CRLF record ends, a field quoted only when it holds a comma, a double quote, CR or LF.
 * The cost estimates are not here (they are not per-run rows); the other formats list them.
 */
public final class CsvRenderer implements ReportRenderer {
    /** The columns before the setting columns. */
    static final List<String> LEADING =
            List.of("scenario", "seed", "compared_kind", "run", "label", "status", "allocation", "selection", "filter");

    /** The columns after the setting columns. */
    static final List<String> TRAILING = List.of("metric", "unit", "better", "value", "best", "error");

    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();

    /** The header of {@code report}'s CSV: the leading columns, one per setting, the trailing ones. */
    static List<String> header(ComparisonReport report) {
        List<String> h = new ArrayList<>(LEADING);
        h.addAll(settingColumns(report));
        h.addAll(TRAILING);
        return h;
    }

    /** {@code kind.setting} for every setting of any run's policy, kinds in order, settings by name. */
    static List<String> settingColumns(ComparisonReport report) {
        List<String> out = new ArrayList<>();
        for (PolicyKind kind : PolicyKind.values()) {
            TreeSet<String> names = new TreeSet<>();
            for (RunReport r : report.runs()) {
                names.addAll(r.policy(kind).settings().keySet());
            }
            for (String n : names) {
                out.add(kind.configName() + "." + n);
            }
        }
        return out;
    }

    @Override
    public String render(ComparisonReport report) {
        List<String> header = header(report);
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\r\n");
        for (String column : header) {
            schema.addColumn(column);
        }
        List<String> settings = settingColumns(report);
        StringWriter w = new StringWriter(8192);
        try (var out = MAPPER.writerFor(String[].class).with(schema.build()).writeValues(w)) {
            List<RunReport> runs = report.runs();
            boolean[][] best = new boolean[Metric.all().size()][];
            for (Metric m : Metric.all()) {
                best[m.ordinal()] = BestValues.of(m, runs);
            }
            for (int i = 0; i < runs.size(); i++) {
                RunReport run = runs.get(i);
                for (Metric m : Metric.all()) {
                    List<String> f = new ArrayList<>(header.size());
                    addLeading(f, report, i);
                    for (String column : settings) {
                        int dot = column.indexOf('.');
                        PolicyKind kind = PolicyKind.fromConfigName(column.substring(0, dot));
                        Map<String, Object> s = run.policy(kind).settings();
                        Object v = s.get(column.substring(dot + 1));
                        f.add(v == null ? "" : v instanceof String str ? str : PolicyLabel.value(v));
                    }
                    f.add(m.key());
                    f.add(m.unit().symbol());
                    f.add(m.better().label());
                    double v = run.metrics().valueOrNaN(m);
                    f.add(Double.isNaN(v) ? "" : Text.machine(v).toPlainString());
                    f.add(Boolean.toString(best[m.ordinal()][i]));
                    f.add(run.error() == null ? "" : run.error());
                    out.write(f.toArray(new String[0]));
                }
            }
        } catch (IOException e) {
            // A StringWriter does not fail; this is Jackson's checked signature.
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * The {@link #LEADING} fields of run {@code index} (0-based): scenario, seed, compared kind, the
     * 1-based run number, the column's label, the status, and each kind's policy name. Every CSV
     * pmulab writes about runs starts with these.
     */
    static void addLeading(List<String> f, ComparisonReport report, int index) {
        RunReport run = report.runs().get(index);
        f.add(report.scenario());
        f.add(Long.toString(report.seed()));
        f.add(report.comparedKind().configName());
        f.add(Integer.toString(index + 1));
        f.add(run.policy(report.comparedKind()).shortLabel());
        f.add(run.status().jsonName());
        for (PolicyKind kind : PolicyKind.values()) {
            f.add(run.policy(kind).name());
        }
    }

    /**
     * {@code rows} under {@code header} as RFC 4180 CSV through the same Jackson writer, for the other
     * tables pmulab writes as CSV (the {@code --by} breakdown).
     */
    static String write(List<String> header, List<List<String>> rows) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\r\n");
        for (String column : header) {
            schema.addColumn(column);
        }
        StringWriter w = new StringWriter(8192);
        try (var out = MAPPER.writerFor(String[].class).with(schema.build()).writeValues(w)) {
            for (List<String> row : rows) {
                out.write(row.toArray(new String[0]));
            }
        } catch (IOException e) {
            // A StringWriter does not fail; this is Jackson's checked signature.
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
