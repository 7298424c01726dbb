package dev.pmulab.sim.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepOutputTest {
    private static final SweepHeader HEADER =
            new SweepHeader("s", "", "abc", 2, List.of("vms[0].placement.cpus", "p.x"), null);

    private static PointResult point(int index, String cpus, PointResult.PolicyRun run) {
        Map<String, String> axes = new LinkedHashMap<>();
        axes.put("scenario", "small");
        axes.put("vms[0].placement.cpus", cpus);
        axes.put("p.x", "1");
        return new PointResult(index, "abc", axes, "small", 7, List.of(run));
    }

    @Test
    void theTidyCsvHasARowPerPointPolicyAndMetricAndQuotesWhatNeedsIt() throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("guest.pmu_traps", 12.0);
        metrics.put("guest.pmu_overhead_pct", 0.25);
        List<PointResult> rs = List.of(
                point(0, "[0, 1]", new PointResult.PolicyRun("p", "p(x=1)", metrics, "")),
                point(1, "[2, 3]", new PointResult.PolicyRun("p", "p(x=1)", Map.of(), "policy p: threw \"boom\"")));
        assertThat(SweepOutput.csv(HEADER, rs)).isEqualTo("""
                        point,scenario,seed,vms[0].placement.cpus,p.x,policy,metric,value,failure
                        0,small,7,"[0, 1]",1,p,guest.pmu_traps,12,
                        0,small,7,"[0, 1]",1,p,guest.pmu_overhead_pct,0.25,
                        1,small,7,"[2, 3]",1,p,,,"policy p: threw ""boom\"\"\"
                        """);
        assertThat(SweepOutput.jsonLines(HEADER, rs).lines().findFirst().orElseThrow())
                .isEqualTo("{\"point\":0,\"scenario\":\"small\",\"seed\":7,\"vms[0].placement.cpus\":\"[0, 1]\","
                        + "\"p.x\":\"1\",\"policy\":\"p\",\"metric\":\"guest.pmu_traps\",\"value\":12}");
    }

    @Test
    void aHeaderLineReadsBack() {
        SweepHeader h = new SweepHeader("s", "d", "abc", 3, List.of("a.b"), new Tradeoff("x.y", "y.z"));
        SweepOutput.Header read = SweepOutput.parseHeader(SweepOutput.headerLine(h, "1/3"));
        assertThat(read.header()).isEqualTo(h);
        assertThat(read.shard()).isEqualTo("1/3");
    }
}
