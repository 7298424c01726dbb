package dev.pmulab.sim.metrics;

import java.util.Arrays;

/**
 * Samples kept as a count per distinct value (a multiset), so a run's memory does not grow with its
 * simulated duration: a vcpu_load or vcpu_put takes one of few modelled costs, so the values repeat.
 * The mean and the nearest-rank percentiles of {@link Percentiles} come out exactly as from the
 * samples themselves. Adding a value already seen allocates nothing.
 */
public final class SampleCounts {
    private static final long EMPTY = Long.MIN_VALUE;

    /** Open addressing, linear probing; {@link #EMPTY} marks a free slot (a sample may not be Long.MIN_VALUE). */
    private long[] values = new long[64];

    private long[] counts = new long[64];
    private int distinct;
    private long count;
    private long sum;

    public SampleCounts() {
        Arrays.fill(values, EMPTY);
    }

    /** Adds one sample. */
    public void add(long value) {
        if (value == EMPTY) {
            throw new IllegalArgumentException("Long.MIN_VALUE cannot be a sample");
        }
        int slot = slot(values, value);
        if (values[slot] == EMPTY) {
            if (2 * (distinct + 1) > values.length) {
                grow();
                slot = slot(values, value);
            }
            values[slot] = value;
            distinct++;
        }
        counts[slot]++;
        count++;
        sum = Math.addExact(sum, value);
    }

    /** How many samples were added. */
    public long count() {
        return count;
    }

    /** The exact sum of the samples. */
    public long sum() {
        return sum;
    }

    /** The distinct values in ascending order, and in {@code countsOut} (same length) how often each was added. */
    long[] sortedValues(long[] countsOut) {
        long[] sorted = new long[distinct];
        int k = 0;
        for (long v : values) {
            if (v != EMPTY) {
                sorted[k++] = v;
            }
        }
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            countsOut[i] = counts[slot(values, sorted[i])];
        }
        return sorted;
    }

    int distinct() {
        return distinct;
    }

    private static int slot(long[] table, long value) {
        int mask = table.length - 1;
        int i = Long.hashCode(value * 0x9E3779B97F4A7C15L) & mask;
        while (table[i] != EMPTY && table[i] != value) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] oldValues = values;
        long[] oldCounts = counts;
        values = new long[oldValues.length * 2];
        counts = new long[oldValues.length * 2];
        Arrays.fill(values, EMPTY);
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != EMPTY) {
                int slot = slot(values, oldValues[i]);
                values[slot] = oldValues[i];
                counts[slot] = oldCounts[i];
            }
        }
    }
}
