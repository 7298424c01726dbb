package dev.pmulab.sim.sweep;

/** What an axis varies, decided by its path ({@link SweepReader#kindOf}). */
public enum AxisKind {
    /** {@code scenario}: a built-in scenario's name or a scenario file. */
    SCENARIO,
    /** {@code seed}: the runs' seed. */
    SEED,
    /** A scenario value addressed by path: {@code vms[0].pmu_usage.frequency}. */
    SCENARIO_VALUE,
    /** {@code POLICY.SETTING}, or {@code *.SETTING} for every compared policy. */
    POLICY_SETTING
}
