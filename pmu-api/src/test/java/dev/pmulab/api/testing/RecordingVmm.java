package dev.pmulab.api.testing;

import dev.pmulab.api.EventFilter;
import dev.pmulab.api.VmmPmuControl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The VMM's surface as a selection or filter policy uses it: records each call as text
 * ({@code setPmu(armv8_cortex_a55)}, {@code setEventFilter(deny:0x0010-0x001f)},
 * {@code pinVcpus([0, 1])}) and answers with scripted return values, 0 when none is scripted.
 */
public final class RecordingVmm implements VmmPmuControl {
    public final List<String> calls = new ArrayList<>();
    private final Map<String, Deque<Integer>> script = new LinkedHashMap<>();

    /** The next {@code call} returns {@code ret}. */
    public RecordingVmm answer(String call, int ret) {
        script.computeIfAbsent(call, k -> new ArrayDeque<>()).add(ret);
        return this;
    }

    private int record(String call) {
        calls.add(call);
        Deque<Integer> q = script.get(call);
        return q == null || q.isEmpty() ? 0 : q.poll();
    }

    @Override
    public int setPmu(String pmuName) {
        return record("setPmu(" + pmuName + ")");
    }

    @Override
    public int setNrCounters(int counters) {
        return record("setNrCounters(" + counters + ")");
    }

    @Override
    public int setEventFilter(EventFilter filter) {
        return record("setEventFilter(" + filter + ")");
    }

    @Override
    public int setFixedCountersOnly() {
        return record("setFixedCountersOnly()");
    }

    @Override
    public void pinVcpus(int[] cpus) {
        record("pinVcpus(" + Arrays.toString(cpus) + ")");
    }
}
