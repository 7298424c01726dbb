package dev.pmulab.kvm.perf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class PerfEventStateTest {
    /** The flag kept per constant answers the kernel's {@code state <= PERF_EVENT_STATE_OFF} by declaration order. */
    @Test
    void offOrBelowFollowsTheKernelOrder() {
        for (PerfEventState s : PerfEventState.values()) {
            assertThat(s.isOffOrBelow()).as("%s", s).isEqualTo(s.compareTo(PerfEventState.OFF) <= 0);
        }
        // DEAD, ERROR, OFF take no time; INACTIVE and ACTIVE do.
        assertThat(PerfEventState.ERROR.isOffOrBelow()).isTrue();
        assertThat(PerfEventState.INACTIVE.isOffOrBelow()).isFalse();
    }
}
