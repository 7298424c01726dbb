package dev.pmulab.hw.catalog;

/**
 * Where a catalog value comes from. Only {@link #KNOWN} and {@link #ARCH_IMPLIED} values are facts;
 * a result that leans on an {@link #ASSUMED} or {@link #OVERRIDDEN} value must say so
 * ({@link CpuModel#assumptions()}).
 */
public enum Provenance {
    /** Read from a TRM, an ID register value, a boot log or a counter table the reference cites. */
    KNOWN("known"),
    /** Made mandatory, or ruled out, by the core's architecture level (pmuv3-architecture.md §3). */
    ARCH_IMPLIED("architecture-implied"),
    /** Unknown in the reference: a documented default the user can override. */
    ASSUMED("assumed"),
    /** Set by the user in place of the catalog value. */
    OVERRIDDEN("overridden");

    private final String label;

    Provenance(String label) {
        this.label = label;
    }

    /** The lower-case word reports print: {@code known}, {@code architecture-implied}, ... */
    public String label() {
        return label;
    }

    /** Whether a result may present the value as a fact of the hardware. */
    public boolean isFact() {
        return this == KNOWN || this == ARCH_IMPLIED;
    }
}
