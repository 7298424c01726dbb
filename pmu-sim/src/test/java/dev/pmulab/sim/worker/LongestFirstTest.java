package dev.pmulab.sim.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LongestFirstTest {
    @Test
    void ordersByEstimateLargestFirstAndKeepsTiesInPlanOrder() {
        // Estimates 2, 5, 2, 9, 5: by size 9 (index 3), then the two 5s in index order (1, 4),
        // then the two 2s in index order (0, 2).
        assertThat(LongestFirst.order(List.of(2.0, 5.0, 2.0, 9.0, 5.0))).containsExactly(3, 1, 4, 0, 2);
    }

    @Test
    void equalEstimatesKeepThePlanOrder() {
        // A sweep whose points the estimate cannot tell apart runs in the plan's order.
        assertThat(LongestFirst.order(List.of(1.5, 1.5, 1.5, 1.5))).containsExactly(0, 1, 2, 3);
    }

    @Test
    void refusesAnEstimateThatIsNotAFiniteTime() {
        assertThatThrownBy(() -> LongestFirst.order(List.of(1.0, Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("estimate 1 is NaN, not a finite time");
        assertThatThrownBy(() -> LongestFirst.order(List.of(-1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("estimate 0 is -1.0, not a finite time");
        assertThatThrownBy(() -> LongestFirst.order(List.of(Double.POSITIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneThreadStartsTasksInOrderAndResultsComeBackByIndex() {
        // One thread: the tasks run one after the other in order(): 1 (estimate 3), 2 (2), 0 (1).
        List<Integer> started = Collections.synchronizedList(new ArrayList<>());
        List<String> results = LongestFirst.run(1, List.of(1.0, 3.0, 2.0), "test-run", i -> {
            started.add(i);
            return "task" + i;
        });
        assertThat(started).containsExactly(1, 2, 0);
        assertThat(results).containsExactly("task0", "task1", "task2");
    }

    @Test
    void twoThreadsStartTheTwoLongestFirst() throws InterruptedException {
        // Estimates 1, 4, 1, 3 on two threads: tasks 1 and 3 take the two threads; 0 and 2 wait
        // until one of them ends. The two longest hold the threads until both have started, so
        // the test fails if a short one got a thread first.
        CountDownLatch bothLongStarted = new CountDownLatch(2);
        List<Integer> started = Collections.synchronizedList(new ArrayList<>());
        List<Integer> results = LongestFirst.run(2, List.of(1.0, 4.0, 1.0, 3.0), "test-run", i -> {
            started.add(i);
            if (i == 1 || i == 3) {
                bothLongStarted.countDown();
                try {
                    assertThat(bothLongStarted.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return i * 10;
        });
        assertThat(started.subList(0, 2)).containsExactlyInAnyOrder(1, 3);
        assertThat(started.subList(2, 4)).containsExactly(0, 2);
        assertThat(results).containsExactly(0, 10, 20, 30);
    }

    @Test
    void aTasksExceptionReachesTheCaller() {
        assertThatThrownBy(() -> LongestFirst.run(2, List.of(1.0, 1.0), "test-run", i -> {
                    if (i == 1) {
                        throw new IllegalStateException("run 1 broke");
                    }
                    return i;
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("run 1 broke");
    }

    @Test
    void noTasksNoThreads() {
        assertThat(LongestFirst.run(4, List.of(), "test-run", i -> i)).isEmpty();
    }
}
