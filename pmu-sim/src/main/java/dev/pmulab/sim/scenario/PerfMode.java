package dev.pmulab.sim.scenario;

import java.util.Locale;

/** What a perf session does with its events. */
public enum PerfMode {
    /** perf stat: counting only. */
    STAT,
    /** perf record: sampling, an overflow interrupt per sample. */
    RECORD;

    /** {@code stat}, {@code record}: the scenario spelling. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
