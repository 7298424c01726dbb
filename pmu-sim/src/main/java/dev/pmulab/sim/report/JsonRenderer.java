package dev.pmulab.sim.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.metrics.Metric;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON of {@code pmulab compare}, described by docs/schema/compare-result.schema.json:
 * {@code format}, {@code pmulab_version}, {@code scenario}, {@code scenario_sha256},
 * {@code description}, {@code seed}, {@code compared_kind}; {@code plugins} (each policy the runs
 * used: kind, name, source, version); {@code metrics}, the catalogue (key, unit, better, group,
 * definition, from {@link Metric}); {@code runs}, each with its {@code label} (the compared
 * policy with its non-default settings, as the table heads its column), {@code policies} per kind
 * as {@code {name, settings, label}}, {@code status} ok|failed, {@code error} (the failure's text)
 * or null, {@code failure} ({@link RunFailure}'s fields) or null, and {@code metrics} with every
 * metric key, null when not applicable; and {@code estimates}. Written in an explicit order through
 * {@link ReportJson}, so the shape and key order are this code, not reflection.
 */
public final class JsonRenderer implements ReportRenderer {
    /** The {@code format} value: names this document's schema; bumped when a field changes meaning. */
    public static final String FORMAT = "pmulab-compare/2";

    @Override
    public String render(ComparisonReport report) {
        return ReportJson.render(8192, g -> {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeStringField("pmulab_version", ComparisonReport.pmulabVersion());
            g.writeStringField("scenario", report.scenario());
            g.writeStringField("scenario_sha256", report.scenarioSha256());
            g.writeStringField("description", report.description());
            g.writeNumberField("seed", report.seed());
            g.writeStringField("compared_kind", report.comparedKind().configName());
            plugins(g, report);
            g.writeArrayFieldStart("metrics");
            for (Metric m : Metric.all()) {
                g.writeStartObject();
                g.writeStringField("key", m.key());
                g.writeStringField("unit", m.unit().symbol());
                g.writeStringField("better", m.better().name().toLowerCase(Locale.ROOT));
                g.writeStringField("group", m.group().title());
                g.writeStringField("definition", m.definition());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("runs");
            for (RunReport run : report.runs()) {
                run(g, report, run);
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

    /** Each policy the runs used once, in run and kind order; a kind left empty ({@code none}) is no plugin. */
    private static void plugins(JsonGenerator g, ComparisonReport report) throws IOException {
        Map<String, RunPolicy> seen = new LinkedHashMap<>();
        Map<String, PolicyKind> kinds = new LinkedHashMap<>();
        for (RunReport run : report.runs()) {
            for (PolicyKind kind : PolicyKind.values()) {
                RunPolicy p = run.policy(kind);
                if (p.source() != null) {
                    String key = kind.configName() + "/" + p.name() + "/" + p.source();
                    seen.putIfAbsent(key, p);
                    kinds.putIfAbsent(key, kind);
                }
            }
        }
        g.writeArrayFieldStart("plugins");
        for (Map.Entry<String, RunPolicy> e : seen.entrySet()) {
            g.writeStartObject();
            g.writeStringField("kind", kinds.get(e.getKey()).configName());
            g.writeStringField("name", e.getValue().name());
            g.writeStringField("source", e.getValue().source());
            g.writeStringField("version", e.getValue().version());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void run(JsonGenerator g, ComparisonReport report, RunReport run) throws IOException {
        g.writeStartObject();
        labelAndPolicies(g, report, run);
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

    /**
     * A run's {@code label} (its column name) and {@code policies}: per kind {@code {name, settings,
     * label}}. Shared by every JSON pmulab writes about runs (the report, the {@code --by} breakdown).
     */
    static void labelAndPolicies(JsonGenerator g, ComparisonReport report, RunReport run) throws IOException {
        g.writeStringField("label", run.policy(report.comparedKind()).shortLabel());
        g.writeObjectFieldStart("policies");
        for (PolicyKind kind : PolicyKind.values()) {
            RunPolicy p = run.policy(kind);
            g.writeObjectFieldStart(kind.configName());
            g.writeStringField("name", p.name());
            g.writeObjectFieldStart("settings");
            for (Map.Entry<String, Object> s : p.settings().entrySet()) {
                settingValue(g, s.getKey(), s.getValue());
            }
            g.writeEndObject();
            g.writeStringField("label", p.label());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** A setting in its JSON type: boolean, integer, string, or array of integers. */
    private static void settingValue(JsonGenerator g, String name, Object v) throws IOException {
        g.writeFieldName(name);
        if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                if (o instanceof Long l) {
                    g.writeNumber(l);
                } else {
                    g.writeString(String.valueOf(o));
                }
            }
            g.writeEndArray();
        } else {
            g.writeString(String.valueOf(v));
        }
    }
}
