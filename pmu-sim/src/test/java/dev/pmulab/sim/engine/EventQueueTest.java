package dev.pmulab.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class EventQueueTest {
    private record Ev(long time, long seq, int kind, int arg, long stamp) {}

    @Test
    void pollsInTimeOrderAndSameTimeInInsertionOrder() {
        EventQueue q = new EventQueue(2);
        q.schedule(30, 1, 0, 0);
        q.schedule(10, 2, 0, 0);
        q.schedule(30, 3, 0, 0);
        q.schedule(10, 4, 0, 0);
        q.schedule(20, 5, 0, 0);
        List<Integer> kinds = new ArrayList<>();
        while (q.poll()) {
            kinds.add(q.kind());
        }
        assertThat(kinds).containsExactly(2, 4, 5, 1, 3);
    }

    @Test
    void matchesASortedReferenceUnderRandomInterleaving() {
        Random r = new Random(3);
        EventQueue q = new EventQueue(4);
        List<Ev> reference = new ArrayList<>();
        long seq = 0;
        long now = 0;
        for (int step = 0; step < 200_000; step++) {
            if (r.nextInt(3) > 0 || reference.isEmpty()) {
                long t = now + r.nextInt(50); // many ties
                Ev e = new Ev(t, seq++, r.nextInt(8), r.nextInt(1000), r.nextLong());
                reference.add(e);
                q.schedule(e.time(), e.kind(), e.arg(), e.stamp());
            } else {
                reference.sort(Comparator.comparingLong(Ev::time).thenComparingLong(Ev::seq));
                Ev expected = reference.remove(0);
                assertThat(q.poll()).isTrue();
                assertThat(new Ev(q.time(), expected.seq(), q.kind(), q.arg(), q.stamp()))
                        .isEqualTo(expected);
                now = q.time();
            }
            assertThat(q.size()).isEqualTo(reference.size());
        }
    }

    @Test
    void emptyQueue() {
        EventQueue q = new EventQueue(0);
        assertThat(q.poll()).isFalse();
        assertThat(q.peekTime()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> q.schedule(-1, 0, 0, 0)).hasMessageContaining("negative");
    }
}
