package dev.pmulab.sim.engine;

import java.util.Arrays;

/**
 * The discrete-event queue: a min-heap over primitive arrays, ordered by time and then by insertion
 * order, so that events at the same nanosecond run in the order they were scheduled and a run is a
 * pure function of its inputs. Each event is a kind (what to do), an int argument (usually a CPU or
 * vCPU index) and a long argument (usually a generation stamp that lets a handler recognise an
 * event made stale by a later reprogramming). Nothing is allocated per event; the arrays grow by
 * doubling, which a run sized up front never needs.
 *
 * <p>{@link #poll()} makes the earliest event current; its fields are read with {@link #time()},
 * {@link #kind()}, {@link #arg()} and {@link #stamp()} until the next poll.
 *
 * <p>Layout, for speed (JMH EventQueueBenchmark): the heap is 4-ary (half the depth of a binary
 * one) and moves only two longs per entry, the time and a key of the insertion sequence number
 * above the entry's payload slot; kind, arg and stamp stay in their slot. Since (time, sequence) is
 * unique, any valid heap polls events in the same order. A poll leaves the root empty, and the
 * schedule that usually follows (an event's successor) fills it with one sift-down instead of a
 * sift-down and a sift-up.
 */
public final class EventQueue {
    private static final int SLOT_BITS = 24;
    private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    /** Sequence numbers stay below this so a key is positive; reaching it renumbers the pending events. */
    private static final long SEQ_LIMIT = 1L << (63 - SLOT_BITS);

    private static final int MAX_CAPACITY = 1 << SLOT_BITS;

    // The heap: entries 0..size-1, or 1..size with the root empty after a poll.
    private long[] times;
    private long[] keys; // sequence << SLOT_BITS | slot
    private boolean rootEmpty;
    private int size;
    private long nextSeq;

    // Payload by slot, and the free slots.
    private int[] kinds;
    private int[] args;
    private long[] stamps;
    private int[] freeSlots;
    private int freeCount;
    private int slotsUsed; // slots ever handed out; those below it and not free hold a pending event

    private long curTime;
    private int curKind;
    private int curArg;
    private long curStamp;

    public EventQueue(int initialCapacity) {
        int c = Math.min(MAX_CAPACITY, Math.max(16, initialCapacity));
        times = new long[c + 1];
        keys = new long[c + 1];
        kinds = new int[c];
        args = new int[c];
        stamps = new long[c];
        freeSlots = new int[c];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Schedules an event. Time may not be negative. */
    public void schedule(long time, int kind, int arg, long stamp) {
        if (time < 0) {
            throw new IllegalArgumentException("negative event time " + time);
        }
        if (nextSeq == SEQ_LIMIT) {
            renumber();
        }
        int slot = takeSlot();
        kinds[slot] = kind;
        args[slot] = arg;
        stamps[slot] = stamp;
        long key = (nextSeq++ << SLOT_BITS) | slot;
        if (rootEmpty) {
            rootEmpty = false;
            siftDown(time, key, size + 1);
        } else {
            siftUp(time, key, size);
        }
        size++;
    }

    /** The time of the earliest event; Long.MAX_VALUE when empty. */
    public long peekTime() {
        fillRoot();
        return size == 0 ? Long.MAX_VALUE : times[0];
    }

    /**
     * Removes the earliest event and makes it current.
     *
     * @return false when the queue is empty
     */
    public boolean poll() {
        fillRoot();
        if (size == 0) {
            return false;
        }
        int slot = (int) (keys[0] & SLOT_MASK);
        curTime = times[0];
        curKind = kinds[slot];
        curArg = args[slot];
        curStamp = stamps[slot];
        freeSlots[freeCount++] = slot;
        size--;
        // The last entry moves to index `size`'s old place; the root stays empty until the next
        // schedule or poll fills it.
        rootEmpty = true;
        return true;
    }

    public long time() {
        return curTime;
    }

    public int kind() {
        return curKind;
    }

    public int arg() {
        return curArg;
    }

    public long stamp() {
        return curStamp;
    }

    /** After a poll, moves the last entry into the empty root. */
    private void fillRoot() {
        if (!rootEmpty) {
            return;
        }
        rootEmpty = false;
        if (size > 0) {
            // With the root empty, the entries are at 1..size; the last one goes to the root.
            siftDown(times[size], keys[size], size);
        }
    }

    /** Places (time, key) at the empty root of a heap of {@code n} entries and sifts it down. */
    private void siftDown(long time, long key, int n) {
        long[] ts = times;
        long[] ks = keys;
        int i = 0;
        while (true) {
            int c = 4 * i + 1;
            if (c >= n) {
                break;
            }
            int end = Math.min(c + 4, n);
            int best = c;
            long bt = ts[c];
            long bk = ks[c];
            for (int j = c + 1; j < end; j++) {
                long tj = ts[j];
                long kj = ks[j];
                // Conditional moves, not branches: which child is earliest is unpredictable. Equal
                // times are rare, so their tie-break may branch.
                boolean earlier = tj < bt;
                if (tj == bt) {
                    earlier = kj < bk;
                }
                best = earlier ? j : best;
                bt = earlier ? tj : bt;
                bk = earlier ? kj : bk;
            }
            if (bt > time || (bt == time && bk > key)) {
                break;
            }
            ts[i] = bt;
            ks[i] = bk;
            i = best;
        }
        ts[i] = time;
        ks[i] = key;
    }

    /** Adds (time, key) as leaf {@code i} and sifts it up, moving parents down instead of swapping. */
    private void siftUp(long time, long key, int i) {
        long[] ts = times;
        long[] ks = keys;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long pt = ts[parent];
            if (pt < time || (pt == time && ks[parent] < key)) {
                break;
            }
            ts[i] = pt;
            ks[i] = ks[parent];
            i = parent;
        }
        ts[i] = time;
        ks[i] = key;
    }

    private int takeSlot() {
        if (freeCount > 0) {
            return freeSlots[--freeCount];
        }
        if (slotsUsed == kinds.length) {
            grow();
        }
        return slotsUsed++;
    }

    private void grow() {
        if (kinds.length == MAX_CAPACITY) {
            throw new IllegalStateException("more than " + MAX_CAPACITY + " pending events");
        }
        int c = Math.min(MAX_CAPACITY, kinds.length * 2);
        times = Arrays.copyOf(times, c + 1);
        keys = Arrays.copyOf(keys, c + 1);
        kinds = Arrays.copyOf(kinds, c);
        args = Arrays.copyOf(args, c);
        stamps = Arrays.copyOf(stamps, c);
        freeSlots = Arrays.copyOf(freeSlots, c);
    }

    /**
     * Renumbers the pending events 0, 1, ... in (time, sequence) order once sequence numbers run out
     * (after 2^39 schedules), so ties keep breaking by insertion order. A sorted array is a heap.
     */
    private void renumber() {
        fillRoot();
        long[][] entries = new long[size][];
        for (int i = 0; i < size; i++) {
            entries[i] = new long[] {times[i], keys[i]};
        }
        Arrays.sort(entries, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (int i = 0; i < size; i++) {
            times[i] = entries[i][0];
            keys[i] = ((long) i << SLOT_BITS) | (entries[i][1] & SLOT_MASK);
        }
        nextSeq = size;
    }
}
