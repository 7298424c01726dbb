package dev.pmulab.sim.report;

import static dev.pmulab.sim.report.ReportJson.number;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pmulab.sim.report.ReproductionReport.BenchmarkRuns;
import dev.pmulab.sim.report.ReproductionReport.GuestPerf;
import dev.pmulab.sim.report.ReproductionReport.ImpliedPmis;
import dev.pmulab.sim.report.ReproductionReport.Level;
import dev.pmulab.sim.report.ReproductionReport.Row;
import dev.pmulab.sim.report.ReproductionReport.Run;
import dev.pmulab.sim.report.ReproductionReport.Source;
import dev.pmulab.sim.report.ReproductionReport.Trend;
import dev.pmulab.sim.report.ReproductionReport.TrendPoint;
import java.io.IOException;
import java.util.List;

/**
 * {@code pmulab reproduce --format json}: {@code source}, {@code tolerance}, {@code summary},
 * {@code rows} (published and simulated before/after/delta, ratio, within, metric, source),
 * {@code levels}, {@code trend} (the sweep's points and verdicts), {@code livelock},
 * {@code benchmarks} (each run's status and headline metrics), {@code figures_to_check} (each
 * benchmark run's predicted guest PMIs, samples, throttles and sample-rate limit, and what the
 * letter's host kernel share implies for the PMIs) and {@code costs}. Written in a fixed
 * order through {@link ReportJson} (shared with compare's JSON): numbers are plain decimals from the
 * exact double (at most six decimals), {@code null} when missing; two-space indent, LF line ends.
 */
public final class ReproductionJsonRenderer implements ReproductionRenderer {
    @Override
    public String render(ReproductionReport r) {
        return ReportJson.render(16384, g -> {
            g.writeStartObject();
            source(g, r.source());
            number(g, "tolerance", r.tolerance());
            number(g, "livelock_guest_pct", r.livelockGuestPct());
            g.writeObjectFieldStart("summary");
            g.writeNumberField("rows", r.rows().size());
            g.writeNumberField("rows_within", r.rowsWithin());
            g.writeNumberField("levels", r.levels().size());
            g.writeNumberField("levels_within", r.levelsWithin());
            g.writeStringField(
                    "benefit_grows_with_rate", r.trend().growsWithRate().label());
            g.writeStringField(
                    "benefit_grows_with_events", r.trend().growsWithEvents().label());
            strings(g, "livelocked_benchmark_runs", r.livelockedBenchmarkRuns());
            strings(g, "livelocked_sweep_runs", r.livelockedTrendRuns());
            strings(g, "failures", r.failures());
            g.writeEndObject();
            g.writeArrayFieldStart("rows");
            for (Row row : r.rows()) {
                row(g, r, row);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("levels");
            for (Level l : r.levels()) {
                g.writeStartObject();
                g.writeStringField("name", l.name());
                g.writeNumberField("benchmark", l.benchmark());
                g.writeStringField("run", l.policy());
                g.writeStringField("unit", l.unit());
                number(g, "published", l.published());
                number(g, "simulated", l.simulated());
                number(g, "ratio", l.ratio());
                within(g, r, l.ratio());
                g.writeBooleanField("done_criterion", l.doneCriterion());
                g.writeEndObject();
            }
            g.writeEndArray();
            trend(g, r);
            g.writeArrayFieldStart("benchmarks");
            for (BenchmarkRuns b : r.benchmarks()) {
                g.writeStartObject();
                g.writeNumberField("number", b.number());
                g.writeStringField("scenario", b.scenario());
                g.writeStringField("command", b.command());
                run(g, r, "before", b.before());
                run(g, r, "after", b.after());
                g.writeEndObject();
            }
            g.writeEndArray();
            figures(g, r);
            g.writeArrayFieldStart("costs");
            for (CostAssumption c : r.costs()) {
                g.writeStartObject();
                ReportJson.costFields(g, c);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void row(JsonGenerator g, ReproductionReport r, Row row) throws IOException {
        g.writeStartObject();
        g.writeNumberField("benchmark", row.benchmark());
        g.writeStringField("quantity", row.quantity());
        g.writeStringField("unit", row.unit());
        g.writeStringField("delta_unit", row.deltaUnit());
        g.writeStringField("metric", row.metric());
        g.writeObjectFieldStart("published");
        number(g, "before", row.publishedBefore());
        number(g, "after", row.publishedAfter());
        number(g, "delta", row.publishedDelta());
        g.writeBooleanField("delta_stated", row.deltaStated());
        g.writeEndObject();
        g.writeObjectFieldStart("simulated");
        number(g, "before", row.simulatedBefore());
        number(g, "after", row.simulatedAfter());
        number(g, "delta", row.simulatedDelta());
        g.writeEndObject();
        number(g, "ratio", row.ratio());
        within(g, r, row.ratio());
        source(g, row.source());
        g.writeEndObject();
    }

    private static void trend(JsonGenerator g, ReproductionReport r) throws IOException {
        Trend t = r.trend();
        g.writeObjectFieldStart("trend");
        g.writeStringField("scenario", t.scenario());
        g.writeNumberField("instructions", t.instructions());
        g.writeNumberField("time_limit_ns", t.timeLimitNs());
        g.writeStringField("grows_with_rate", t.growsWithRate().label());
        g.writeStringField("grows_with_events", t.growsWithEvents().label());
        g.writeNumberField("events_at_rates", t.eventsAtRates());
        g.writeArrayFieldStart("by_rate");
        for (TrendPoint p : t.byRate()) {
            point(g, r, p);
        }
        g.writeEndArray();
        g.writeNumberField("rate_at_events_hz", t.rateAtEvents());
        g.writeArrayFieldStart("by_events");
        for (TrendPoint p : t.byEvents()) {
            point(g, r, p);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void point(JsonGenerator g, ReproductionReport r, TrendPoint p) throws IOException {
        g.writeStartObject();
        g.writeNumberField("rate_hz", p.frequencyHz());
        g.writeNumberField("events", p.events());
        number(g, "benefit_pct", p.benefitPct());
        g.writeBooleanField("benefit_is_lower_bound", p.benefitIsLowerBound());
        run(g, r, "emulated", p.emulated());
        run(g, r, "partitioned", p.partitioned());
        g.writeEndObject();
    }

    private static void run(JsonGenerator g, ReproductionReport r, String name, Run run) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("policy", run.policy());
        g.writeStringField("status", run.status().jsonName());
        if (run.error() == null) {
            g.writeNullField("error");
        } else {
            g.writeStringField("error", run.error());
        }
        number(g, "guest.workload_ns", run.realNs());
        number(g, "guest.sys_ns", run.sysNs());
        number(g, "guest.run_pct", run.guestPct());
        number(g, "host.kernel_pct", run.hostKernelPct());
        g.writeBooleanField("livelocked", r.livelocked(run));
        g.writeEndObject();
    }

    /**
     * "Figures to check on real hardware": each benchmark run's predicted guest figures (the
     * metrics' keys, and the PMIs per second of real time), then what the letter's host kernel share
     * implies for the PMIs.
     */
    private static void figures(JsonGenerator g, ReproductionReport r) throws IOException {
        g.writeObjectFieldStart("figures_to_check");
        g.writeArrayFieldStart("runs");
        for (BenchmarkRuns b : r.benchmarks()) {
            for (Run run : List.of(b.before(), b.after())) {
                GuestPerf f = run.guestPerf();
                g.writeStartObject();
                g.writeNumberField("benchmark", b.number());
                g.writeStringField("scenario", b.scenario());
                g.writeStringField("policy", run.policy());
                g.writeStringField("status", run.status().jsonName());
                number(g, "guest.pmis", f.pmis());
                number(g, "guest.pmis_per_s", run.pmisPerSecond());
                number(g, "guest.perf_samples", f.samples());
                number(g, "guest.perf_throttles", f.throttles());
                number(g, "guest.perf_max_sample_rate", f.maxSampleRate());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("implied_by_published_host_kernel");
        for (ImpliedPmis i : r.impliedPmis()) {
            g.writeStartObject();
            g.writeNumberField("benchmark", i.benchmark());
            g.writeStringField("run", i.policy());
            number(g, "simulated_pmis_per_s", i.simulatedPmisPerSecond());
            number(g, "simulated_host_kernel_pct", i.simulatedHostKernelPct());
            number(g, "published_host_kernel_pct", i.publishedHostKernelPct());
            number(g, "implied_pmis_per_s", i.impliedPmisPerSecond());
            number(g, "factor", i.factor());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The publication a figure comes from: the report's own and each row's. */
    private static void source(JsonGenerator g, Source source) throws IOException {
        g.writeObjectFieldStart("source");
        g.writeStringField("title", source.title());
        g.writeStringField("url", source.url());
        g.writeStringField("date", source.date());
        g.writeEndObject();
    }

    private static void within(JsonGenerator g, ReproductionReport r, double ratio) throws IOException {
        if (Double.isNaN(ratio)) {
            g.writeNullField("within");
        } else {
            g.writeBooleanField("within", r.within(ratio));
        }
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
