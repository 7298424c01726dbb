package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

/**
 * An administrator's write of a control knob (a sysfs file such as {@code reserved_host_counters})
 * at a scheduled time; the allocation policy's {@code adminWrite} hook receives it.
 */
public record AdminWrite(long atNs, String knob, long value) {
    public AdminWrite {
        requireNonNull(knob, "knob is null");
        if (atNs < 0) {
            throw new IllegalArgumentException("an admin write happens at or after time 0, was " + atNs);
        }
    }
}
