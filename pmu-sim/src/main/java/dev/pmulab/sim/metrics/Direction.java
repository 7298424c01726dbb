package dev.pmulab.sim.metrics;

/** Which value of a metric is the better one when runs are compared. */
public enum Direction {
    LOWER("lower"),
    HIGHER("higher"),
    /** Neither is better: reports show the value and mark nothing. */
    NONE("-");

    private final String label;

    Direction(String label) {
        this.label = label;
    }

    /** {@code lower}, {@code higher} or {@code -}, as the report's "better" column prints it. */
    public String label() {
        return label;
    }
}
