package dev.pmulab.sim.metrics;

/** The sections of the side-by-side report, in the order they are printed. */
public enum MetricGroup {
    GUEST("guest"),
    HOST("host"),
    HARDWARE_AND_ISOLATION("hardware and isolation");

    private final String title;

    MetricGroup(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
