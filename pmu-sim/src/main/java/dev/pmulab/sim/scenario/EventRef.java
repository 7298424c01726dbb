package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.regs.PmevtyperEl0;

/**
 * An event as a scenario names it: the name as written (reports show it) and the PMUv3 event
 * number it stands for ({@link EventNames}).
 */
public record EventRef(String name, int number) {
    public EventRef {
        requireNonNull(name, "name is null");
        if (number < 0 || number > PmevtyperEl0.EVTCOUNT_MASK) {
            throw new IllegalArgumentException("PMUv3 event numbers are 16 bits: " + number);
        }
    }

    /** Resolves {@code name} through {@link EventNames#number(String)}. */
    public static EventRef of(String name) {
        return new EventRef(name, EventNames.number(name));
    }

    @Override
    public String toString() {
        return name + String.format("(0x%04x)", number);
    }
}
