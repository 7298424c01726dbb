package dev.pmulab.sim.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Metric;
import java.io.IOException;

/**
 * The JSON of the issue: {@code scenario}, {@code seed}, {@code runs} (each with {@code policies}
 * {allocation, selection, filter}, {@code status} ok|failed, {@code error} (the failure's text) or
 * null, {@code failure} (its {@code policy}, {@code hook}, {@code rule} and {@code detail}, each null
 * when nothing is to blame there) or null, and {@code metrics} with every metric key, null when not
 * applicable), plus {@code description},
 * {@code compared_kind} and {@code estimates}. Written in an explicit order through {@link ReportJson}
 * (shared with reproduce's JSON), so the shape and key order are this code, not reflection.
 */
public final class JsonRenderer implements ReportRenderer {
    @Override
    public String render(ComparisonReport report) {
        return ReportJson.render(8192, g -> {
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
                ReportJson.costFields(g, c);
                g.writeBooleanField("leaned_on", c.leanedOn());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
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
            // MetricValues holds finite values only, so null here means not applicable.
            ReportJson.number(g, m.key(), run.metrics().valueOrNaN(m));
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
