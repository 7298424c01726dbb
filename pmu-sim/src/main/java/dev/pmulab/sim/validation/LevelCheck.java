package dev.pmulab.sim.validation;

/**
 * A published level (not a delta) that issue 14 names and the simulation should land near on its
 * own: the emulated stress-ng guest time (a "done" criterion of the issue) and emulated gzip system
 * time, which the issue quotes as misses, and the two partitioned levels it says fit. Each reads its
 * published value from {@link PublishedRow}, so the numbers stay in one place.
 */
public enum LevelCheck {
    EMULATED_STRESS_NG_GUEST(PublishedRow.B3_GUEST, false, true),
    EMULATED_GZIP_SYS(PublishedRow.B1_SYS, false, false),
    PARTITIONED_GZIP_REAL(PublishedRow.B1_REAL, true, false),
    PARTITIONED_STRESS_NG_GUEST(PublishedRow.B3_GUEST, true, false);

    private final PublishedRow row;
    private final boolean after;
    private final boolean doneCriterion;

    LevelCheck(PublishedRow row, boolean after, boolean doneCriterion) {
        this.row = row;
        this.after = after;
        this.doneCriterion = doneCriterion;
    }

    public PublishedRow row() {
        return row;
    }

    /** The partitioned ("after") level; otherwise the emulated ("before") one. */
    public boolean after() {
        return after;
    }

    /** Issue 14's "done means" names this level explicitly. */
    public boolean doneCriterion() {
        return doneCriterion;
    }

    public double published() {
        return after ? row.after() : row.before();
    }

    /** The allocation policy whose run gives the simulated level. */
    public String policy() {
        return after ? Benchmark.AFTER_POLICY : Benchmark.BEFORE_POLICY;
    }
}
