package dev.pmulab.sim.scenario;

import java.util.Locale;

/** The guest operating system model, which decides which PMU behaviours a guest can have. */
public enum GuestOs {
    LINUX,
    WINDOWS;

    /** {@code linux}, {@code windows}: the scenario spelling, and what {@code VmView.guestOs()} returns. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
