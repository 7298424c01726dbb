package dev.pmulab.hw;

import dev.pmulab.hw.regs.PmevtyperEl0;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Events per nanosecond for what a PE is running, in exact fixed point (Q32.32: the rate times
 * 2^32), so that counting over time never drifts: advancing a counter in one step or in many gives
 * the same count. Immutable; built once per workload phase, looked up only when the PE's counter
 * programming or context changes, never per advance.
 */
public final class EventRates {
    /** One event per nanosecond in Q32.32. */
    public static final long ONE_PER_NS = 1L << 32;
    /** Rates above this (256 events per ns) are refused; no PE generates events that fast. */
    public static final long MAX_RATE_Q32 = 256L << 32;
    /** The same limit in events per second, what {@link Builder#perSecond} takes at most. */
    public static final long MAX_PER_SECOND = 256_000_000_000L;
    /** The fractional part of a Q32.32 count of events. */
    public static final long FRACTION_Q32 = 0xffff_ffffL;
    /**
     * Spans shorter than this (about 17 ms) count in 64-bit arithmetic: a rate is at most
     * {@link #MAX_RATE_Q32} (2^40), so {@code ns * rate} is at most 2^64 - 2^40 as an unsigned
     * product, and adding a fraction (below 2^32) cannot carry out of bit 63. The 128-bit product's
     * high half is then 0, and the events (the unsigned sum shifted right by 32) are those of the
     * 128-bit path, bit for bit.
     */
    public static final long SHORT_SPAN_NS = 1L << 24;

    public static final EventRates NONE = new EventRates(new int[0], new long[0]);

    /**
     * Events below this are looked up in a dense table: the common events (0x00..0xff) that every
     * profile sets. At most 2 KiB per object, and there are a few per CPU and per VM.
     */
    private static final int DENSE_LIMIT = 0x100;

    private final int[] events;
    private final long[] ratesQ32;
    /** ratesQ32 indexed by event number, up to the highest event below DENSE_LIMIT: an O(1) lookup. */
    private final long[] dense;

    private EventRates(int[] events, long[] ratesQ32) {
        this.events = events;
        this.ratesQ32 = ratesQ32;
        int top = 0;
        for (int e : events) {
            if (e < DENSE_LIMIT) {
                top = Math.max(top, e + 1);
            }
        }
        this.dense = new long[top];
        for (int i = 0; i < events.length; i++) {
            if (events[i] < DENSE_LIMIT) {
                dense[events[i]] = ratesQ32[i];
            }
        }
    }

    /** The rate of {@code event} in Q32.32 events per ns; 0 when the context does not generate it. */
    public long rateQ32(int event) {
        if (event >= 0 && event < dense.length) {
            return dense[event];
        }
        if (event < DENSE_LIMIT) {
            return 0; // below the limit and past the table: not generated
        }
        int i = Arrays.binarySearch(events, event);
        return i >= 0 ? ratesQ32[i] : 0;
    }

    /** Events this context generates, ascending. */
    public int[] events() {
        return events.clone();
    }

    public boolean isEmpty() {
        return events.length == 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventRates r && Arrays.equals(events, r.events) && Arrays.equals(ratesQ32, r.ratesQ32);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(events) + Arrays.hashCode(ratesQ32);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("EventRates{");
        for (int i = 0; i < events.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(String.format("0x%04x=%d/2^32 per ns", events[i], ratesQ32[i]));
        }
        return sb.append('}').toString();
    }

    public static final class Builder {
        private final Map<Integer, Long> rates = new TreeMap<>();

        private Builder() {}

        /** Sets a rate already in Q32.32 events per nanosecond. */
        public Builder rateQ32(int event, long rateQ32) {
            if (event < 0 || event > PmevtyperEl0.EVTCOUNT_MASK) {
                throw new IllegalArgumentException("event number out of range: " + event);
            }
            if (rateQ32 < 0 || rateQ32 > MAX_RATE_Q32) {
                throw new IllegalArgumentException("rate of event 0x" + Integer.toHexString(event) + " out of range: "
                        + rateQ32 + " (0.." + MAX_RATE_Q32 + " in Q32.32 per ns)");
            }
            if (rateQ32 == 0) {
                rates.remove(event);
            } else {
                rates.put(event, rateQ32);
            }
            return this;
        }

        /** {@code events} every {@code nanoseconds}, rounded down to the Q32.32 grid. */
        public Builder rate(int event, long events, long nanoseconds) {
            if (events < 0 || nanoseconds <= 0) {
                throw new IllegalArgumentException("rate needs events >= 0 and nanoseconds > 0");
            }
            if (events >= (1L << 31)) {
                throw new IllegalArgumentException("events per interval too large: " + events);
            }
            return rateQ32(event, (events << 32) / nanoseconds);
        }

        /** A frequency in events per second (for example CPU_CYCLES at 2_400_000_000 Hz). */
        public Builder perSecond(int event, long eventsPerSecond) {
            if (eventsPerSecond < 0 || eventsPerSecond > MAX_PER_SECOND) {
                throw new IllegalArgumentException("events per second out of range: " + eventsPerSecond);
            }
            // eventsPerSecond * 2^32 / 1e9 computed without overflow: split into whole and fraction.
            long whole = eventsPerSecond / 1_000_000_000L;
            long rem = eventsPerSecond % 1_000_000_000L;
            return rateQ32(event, (whole << 32) + (rem << 32) / 1_000_000_000L);
        }

        public EventRates build() {
            int[] ev = new int[rates.size()];
            long[] r = new long[rates.size()];
            int i = 0;
            for (Map.Entry<Integer, Long> e : rates.entrySet()) {
                ev[i] = e.getKey();
                r[i] = e.getValue();
                i++;
            }
            return new EventRates(ev, r);
        }
    }

    /**
     * The whole events {@code ns} at {@code rateQ32} add to a count whose fraction is
     * {@code fracQ32}: floor((ns * rate + frac) / 2^32), exact, so counting a span in one step or
     * in many gives the same count; {@code Long.MAX_VALUE} beyond 2^63 events (unreachable for
     * rates up to {@link #MAX_RATE_Q32} and spans under 2^55 ns). {@link #fractionAfter} is the
     * fraction the count keeps.
     */
    public static long wholeEvents(long ns, long rateQ32, long fracQ32) {
        long lo = ns * rateQ32;
        long sum = lo + fracQ32;
        if (ns < SHORT_SPAN_NS) {
            return sum >>> 32;
        }
        long hi = Math.multiplyHigh(ns, rateQ32);
        if (Long.compareUnsigned(sum, lo) < 0) {
            hi++;
        }
        if (hi >>> 31 != 0) {
            return Long.MAX_VALUE;
        }
        return (hi << 32) | (sum >>> 32);
    }

    /** The fraction a count keeps after {@link #wholeEvents}: the low 32 bits of ns * rate + frac. */
    public static long fractionAfter(long ns, long rateQ32, long fracQ32) {
        return (ns * rateQ32 + fracQ32) & FRACTION_Q32;
    }
}
