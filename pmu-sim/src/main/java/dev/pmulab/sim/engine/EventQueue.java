package dev.pmulab.sim.engine;

import java.util.Arrays;

/**
 * The discrete-event queue: a binary min-heap over parallel primitive arrays, ordered by time and
 * then by insertion order, so that events at the same nanosecond run in the order they were
 * scheduled and a run is a pure function of its inputs. Each event is a kind (what to do), an int
 * argument (usually a CPU or vCPU index) and a long argument (usually a generation stamp that lets
 * a handler recognise an event made stale by a later reprogramming). Nothing is allocated per
 * event; the arrays grow by doubling, which a run sized up front never needs.
 *
 * <p>{@link #poll()} makes the earliest event current; its fields are read with {@link #time()},
 * {@link #kind()}, {@link #arg()} and {@link #stamp()} until the next poll.
 */
public final class EventQueue {
    private long[] times;
    private long[] seqs;
    private int[] kinds;
    private int[] args;
    private long[] stamps;
    private int size;
    private long nextSeq;

    private long curTime;
    private int curKind;
    private int curArg;
    private long curStamp;

    public EventQueue(int initialCapacity) {
        int c = Math.max(16, initialCapacity);
        times = new long[c];
        seqs = new long[c];
        kinds = new int[c];
        args = new int[c];
        stamps = new long[c];
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
        if (size == times.length) {
            grow();
        }
        long seq = nextSeq++;
        // Sift up from the new leaf, moving parents down instead of swapping.
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(time, seq, times[parent], seqs[parent])) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        set(i, time, seq, kind, arg, stamp);
    }

    /** The time of the earliest event; Long.MAX_VALUE when empty. */
    public long peekTime() {
        return size == 0 ? Long.MAX_VALUE : times[0];
    }

    /**
     * Removes the earliest event and makes it current.
     *
     * @return false when the queue is empty
     */
    public boolean poll() {
        if (size == 0) {
            return false;
        }
        curTime = times[0];
        curKind = kinds[0];
        curArg = args[0];
        curStamp = stamps[0];
        int last = --size;
        if (last > 0) {
            long t = times[last];
            long s = seqs[last];
            int k = kinds[last];
            int a = args[last];
            long st = stamps[last];
            // Sift the former last element down from the root.
            int i = 0;
            int half = last >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < last && before(times[right], seqs[right], times[child], seqs[child])) {
                    child = right;
                }
                if (!before(times[child], seqs[child], t, s)) {
                    break;
                }
                move(child, i);
                i = child;
            }
            set(i, t, s, k, a, st);
        }
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

    private static boolean before(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }

    private void move(int from, int to) {
        times[to] = times[from];
        seqs[to] = seqs[from];
        kinds[to] = kinds[from];
        args[to] = args[from];
        stamps[to] = stamps[from];
    }

    private void set(int i, long time, long seq, int kind, int arg, long stamp) {
        times[i] = time;
        seqs[i] = seq;
        kinds[i] = kind;
        args[i] = arg;
        stamps[i] = stamp;
    }

    private void grow() {
        int c = times.length * 2;
        times = Arrays.copyOf(times, c);
        seqs = Arrays.copyOf(seqs, c);
        kinds = Arrays.copyOf(kinds, c);
        args = Arrays.copyOf(args, c);
        stamps = Arrays.copyOf(stamps, c);
    }
}
