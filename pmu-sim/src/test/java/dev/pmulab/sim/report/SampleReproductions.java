package dev.pmulab.sim.report;

import dev.pmulab.sim.report.ReproductionReport.BenchmarkRuns;
import dev.pmulab.sim.report.ReproductionReport.GuestPerf;
import dev.pmulab.sim.report.ReproductionReport.ImpliedPmis;
import dev.pmulab.sim.report.ReproductionReport.Level;
import dev.pmulab.sim.report.ReproductionReport.Row;
import dev.pmulab.sim.report.ReproductionReport.Run;
import dev.pmulab.sim.report.ReproductionReport.Source;
import dev.pmulab.sim.report.ReproductionReport.Status;
import dev.pmulab.sim.report.ReproductionReport.Trend;
import dev.pmulab.sim.report.ReproductionReport.TrendPoint;
import java.util.List;

/** Hand-built reproduction reports for the renderer tests: every number chosen, nothing run. */
final class SampleReproductions {
    static final Source SOURCE = new Source("A cover letter", "https://example.org/letter", "2025-06-02");

    private SampleReproductions() {}

    /** The guest figures of every sample run but benchmark 3's emulated one: 1000 PMIs and samples, the default rate. */
    static final GuestPerf FIGURES = new GuestPerf(1000, 1000, 0, 100_000);

    /**
     * Benchmark 3's emulated guest: 600,000 PMIs in 30 s (20,000 a second), 840,000 samples, 18,000
     * throttles, its rate lowered to 14,000 Hz.
     */
    static final GuestPerf B3_EMULATED_FIGURES = new GuestPerf(600_000, 840_000, 18_000, 14_000);

    static Run ok(String policy, double realS, double guestPct) {
        return ok(policy, realS, guestPct, FIGURES);
    }

    static Run ok(String policy, double realS, double guestPct, GuestPerf figures) {
        return new Run(policy, Status.OK, null, realS * 1e9, realS * 1e8, guestPct, 100 - guestPct, figures);
    }

    static Run unfinished(String policy) {
        return new Run(
                policy,
                Status.UNFINISHED,
                "VM vm0 did not retire 3e9 instructions",
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                GuestPerf.NONE);
    }

    static TrendPoint point(long hz, int events, double emulatedS, double partitionedS) {
        return new TrendPoint(
                hz,
                events,
                ok("emulated", emulatedS, 80),
                ok("static-hpmn", partitionedS, 99),
                100 * (emulatedS - partitionedS) / emulatedS,
                false);
    }

    /**
     * Benchmark 3's runs, as the sample has them: the emulated one with {@link #B3_EMULATED_FIGURES}
     * and a host kernel share of 100 - 0.24 = 99.76 %, the partitioned one failed.
     */
    static final Run B3_EMULATED = ok("emulated", 30.0, 0.24, B3_EMULATED_FIGURES);

    static final Run B3_PARTITIONED = new Run(
            "static-hpmn",
            Status.FAILED,
            "policy static-hpmn failed in vcpu_load: boom | <x>",
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            GuestPerf.NONE);

    /**
     * Two rows: real time 4.143 -> 3.139 s published (-24.23 %), 5.0 -> 4.0 s simulated (-20 %),
     * ratio 0.825, within; guest share 55.85 -> 91.06 % (+35.21 pp), simulated 0.24 -> 91.40 %
     * (+91.16 pp), ratio 2.589, outside. A failed run in benchmark 3 and a livelocked sweep point.
     */
    static ReproductionReport sample() {
        double simGuestDelta = 91.40 - 0.24;
        double pubGuestDelta = 91.06 - 55.85;
        List<Row> rows = List.of(
                new Row(
                        1,
                        "real time",
                        "s",
                        3,
                        false,
                        4.143,
                        3.139,
                        100 * (3.139 - 4.143) / 4.143,
                        true,
                        5.0,
                        4.0,
                        -20.0,
                        -20.0 / (100 * (3.139 - 4.143) / 4.143),
                        "guest.workload_ns",
                        SOURCE),
                new Row(
                        3,
                        "pCPU time in the guest",
                        "%",
                        2,
                        true,
                        55.85,
                        91.06,
                        pubGuestDelta,
                        false,
                        0.24,
                        91.40,
                        simGuestDelta,
                        simGuestDelta / pubGuestDelta,
                        "guest.run_pct (mpstat %guest)",
                        SOURCE));
        List<Level> levels = List.of(new Level(
                "emulated benchmark 3 pCPU time in the guest", 3, "emulated", "%", 2, 55.85, 0.24, 0.24 / 55.85, true));
        List<BenchmarkRuns> benchmarks = List.of(
                new BenchmarkRuns(
                        1,
                        "guest-perf-record",
                        "time perf record -F 1000 -- gzip <file>",
                        ok("emulated", 5.0, 56),
                        ok("static-hpmn(reserved_host_counters=2)", 4.0, 98)),
                new BenchmarkRuns(
                        3, "stress-ng-host-measured", "perf record -F 4000 -- stress-ng", B3_EMULATED, B3_PARTITIONED));
        Trend trend = new Trend(
                "guest-perf-record",
                3_000_000_000L,
                5_000_000_000L,
                15,
                1000,
                List.of(
                        point(250, 15, 1.2, 1.0),
                        point(1000, 15, 1.8, 1.0),
                        new TrendPoint(4000, 15, unfinished("emulated"), ok("static-hpmn", 1.1, 92), 78.0, true)),
                List.of(point(1000, 4, 1.1, 1.0), point(1000, 15, 1.8, 1.0)));
        List<CostAssumption> costs = List.of(
                new CostAssumption(
                        "C12", "perf_pmu_resched", 1000, CostAssumption.ESTIMATE, "ctx locks | tree walks", false),
                new CostAssumption("C1", "trap_sysreg_emulation", 451, CostAssumption.DERIVED, "Altra", false));
        // The letter's host kernel shares, 34.96 % emulated and 0.97 % partitioned: 20,000 PMIs/s x
        // 34.96 / 99.76 = 7,008.8 implied, 99.76 / 34.96 = 2.854 times fewer; the failed run has none.
        List<ImpliedPmis> implied =
                List.of(ImpliedPmis.of(3, B3_EMULATED, 34.96), ImpliedPmis.of(3, B3_PARTITIONED, 0.97));
        return new ReproductionReport(SOURCE, 0.25, 10.0, benchmarks, rows, levels, trend, implied, costs);
    }
}
