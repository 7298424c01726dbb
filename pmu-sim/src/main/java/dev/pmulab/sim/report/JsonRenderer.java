package dev.pmulab.sim.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Metric;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The JSON of the issue: {@code scenario}, {@code seed}, {@code runs} (each with {@code policies}
 * {allocation, selection, filter}, {@code status} ok|failed, {@code error} (the failure's text) or
 * null, {@code failure} (its {@code policy}, {@code hook}, {@code rule} and {@code detail}, each null
 * when nothing is to blame there) or null, and {@code metrics} with every metric key, null when not
 * applicable), plus {@code description},
 * {@code compared_kind} and {@code estimates}. Written with Jackson's streaming generator in an
 * explicit order, so the shape and key order are this code, not reflection, and Jackson does the
 * string escaping. Numbers are plain decimals built from the exact double (see
 * {@link Text#machine}); two-space indent, LF line ends, a final newline.
 */
public final class JsonRenderer implements ReportRenderer {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    @Override
    public String render(ComparisonReport report) {
        StringWriter w = new StringWriter(8192);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.setPrettyPrinter(prettyPrinter());
            g.writeStartObject();
            g.writeStringField("scenario", report.scenario());
            g.writeStringField("description", report.description());
            g.writeNumberField("seed", report.seed());
            g.writeStringField("compared_kind", report.comparedKind().configName());
            g.writeArrayFieldStart("runs");
            for (RunReport run : report.runs()) {
                run(g, run);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("estimates");
            for (CostAssumption c : report.estimatesUsed()) {
                g.writeStartObject();
                g.writeStringField("id", c.id());
                g.writeStringField("name", c.name());
                g.writeNumberField("value_ns", c.valueNs());
                g.writeStringField("flag", c.flag());
                g.writeStringField("source", c.source());
                g.writeBooleanField("overridden", c.overridden());
                g.writeBooleanField("leaned_on", c.leanedOn());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            // A StringWriter does not fail; this is Jackson's checked signature.
            throw new UncheckedIOException(e);
        }
        return w.append('\n').toString();
    }

    private static void run(JsonGenerator g, RunReport run) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("policies");
        for (PolicyKind kind : PolicyKind.values()) {
            g.writeStringField(kind.configName(), run.label(kind));
        }
        g.writeEndObject();
        g.writeStringField("status", run.status().jsonName());
        RunFailure f = run.failure();
        if (f == null) {
            g.writeNullField("error");
            g.writeNullField("failure");
        } else {
            g.writeStringField("error", f.message());
            g.writeObjectFieldStart("failure");
            g.writeStringField("policy", f.policy());
            g.writeStringField("hook", f.hook());
            g.writeStringField("rule", f.rule() == null ? null : f.rule().ruleName());
            g.writeStringField("detail", f.detail());
            g.writeEndObject();
        }
        g.writeObjectFieldStart("metrics");
        for (Metric m : Metric.all()) {
            double v = run.metrics().valueOrNaN(m);
            if (Double.isNaN(v)) {
                g.writeNullField(m.key());
            } else {
                g.writeFieldName(m.key());
                g.writeNumber(Text.machine(v));
            }
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    static DefaultPrettyPrinter prettyPrinter() {
        // Jackson's default indenter uses the platform line separator; fix it to LF for identical bytes.
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter p = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        p.indentObjectsWith(indenter);
        p.indentArraysWith(indenter);
        return p;
    }
}
