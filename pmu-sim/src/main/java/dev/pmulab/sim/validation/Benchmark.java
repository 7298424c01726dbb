package dev.pmulab.sim.validation;

/**
 * The three benchmarks of the v1 cover letter (partitioning-and-policies.md §2.1) and the built-in
 * scenario that models each. "Before" is the emulated vPMU, "after" the partitioned one: the
 * allocation policies {@value #BEFORE_POLICY} and {@value #AFTER_POLICY}, with the settings the
 * scenario gives them.
 */
public enum Benchmark {
    GZIP_PERF_RECORD(
            1,
            "guest-perf-record",
            "time perf record -e <15 HW events> -F 1000 -- gzip -c <64 MiB random file on tmpfs>"),
    SPECINT_PERF_STAT(2, "guest-perf-stat-dd", "time perf stat -dd -- automated_specint2017.sh"),
    STRESS_NG_PERF_RECORD(
            3,
            "stress-ng-host-measured",
            "perf record -e <15 events> -F 4000 -- stress-ng --cpu 0 --timeout 30, one vCPU pinned; mpstat on its pCPU");

    /** The letter's "before": today's emulated vPMU. */
    public static final String BEFORE_POLICY = "emulated";
    /** The letter's "after": v1's boot-time static partition. */
    public static final String AFTER_POLICY = "static-hpmn";

    private final int number;
    private final String scenario;
    private final String command;

    Benchmark(int number, String scenario, String command) {
        this.number = number;
        this.scenario = scenario;
        this.command = command;
    }

    /** The letter's numbering, 1 to 3. */
    public int number() {
        return number;
    }

    /** The built-in scenario that models it. */
    public String scenario() {
        return scenario;
    }

    /** What the letter ran in the guest, as it wrote it (arguments "simplified" by the author). */
    public String command() {
        return command;
    }
}
