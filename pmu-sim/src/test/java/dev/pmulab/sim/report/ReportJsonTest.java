package dev.pmulab.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class ReportJsonTest {
    @Test
    void numbersArePlainDecimalsAndMissingOnesNull() {
        String json = ReportJson.render(64, g -> {
            g.writeStartObject();
            ReportJson.number(g, "half", 0.5);
            // 4.143e9 would be an exponent through Double.toString; plain here.
            ReportJson.number(g, "big", 4.143e9);
            ReportJson.number(g, "nan", Double.NaN);
            ReportJson.number(g, "inf", Double.POSITIVE_INFINITY);
            g.writeEndObject();
        });
        assertThat(json)
                .isEqualTo("{\n  \"half\": 0.5,\n  \"big\": 4143000000,\n  \"nan\": null,\n  \"inf\": null\n}\n");
    }

    @Test
    void costFieldsAreTheSixBothReportsPrint() {
        CostAssumption c = SampleReports.costs().get(0);
        String json = ReportJson.render(64, g -> {
            g.writeStartObject();
            ReportJson.costFields(g, c);
            g.writeEndObject();
        });
        assertThat(json)
                .isEqualTo("{\n  \"id\": \"C12\",\n  \"name\": \"perf_pmu_resched\",\n  \"value_ns\": 1000,\n"
                        + "  \"flag\": \"estimate\",\n  \"source\": \"ctx locks, perf_pmu_disable/enable and tree walks\",\n"
                        + "  \"overridden\": false\n}\n");
    }
}
