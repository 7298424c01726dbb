package dev.pmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The CPU column of {@code pmulab bench}: a rate only where the process clock can give one. */
class BenchCommandTest {
    @Test
    void aLongRunIsRatedInAccessesPerCpuSecond() {
        // 9,632,818 accesses in 3.000 s of CPU: 3.2109 M per CPU second, printed to 0.01.
        assertThat(BenchCommand.cpuColumn(3.000, 9_632_818)).isEqualTo("  3.00 s CPU    3.21 M/CPU s");
        // Just at the limit: 1,000,000 accesses in 0.1 s is 10 M per CPU second.
        assertThat(BenchCommand.cpuColumn(0.1, 1_000_000)).isEqualTo("  0.10 s CPU   10.00 M/CPU s");
    }

    @Test
    void aRunShorterThanTheClockCanRateIsNotRated() {
        // The process clock steps in 10 ms on Linux: a run of a few ms reads as 0 or 0.01 s, and a
        // rate from it would be Infinity or off by a factor.
        assertThat(BenchCommand.cpuColumn(0.0, 2_098)).isEqualTo("CPU < 0.1 s, not rated");
        assertThat(BenchCommand.cpuColumn(0.09, 2_098)).isEqualTo("CPU < 0.1 s, not rated");
    }

    @Test
    void withoutACpuClockTheColumnSaysSo() {
        assertThat(BenchCommand.cpuColumn(-1, 2_098)).isEqualTo("CPU time n/a");
    }
}
