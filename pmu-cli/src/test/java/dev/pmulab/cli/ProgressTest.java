package dev.pmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {
    @Test
    void theFractionIsSimulatedTimeAcrossAllRuns() {
        // Three runs of 10 s simulated each: 30 s in all.
        ProgressModel m = ProgressModel.uniform(3, 10_000_000_000L);
        assertThat(m.fraction()).isZero();
        // Runs 0 and 1 go at once: 4 s + 2 s = 6 s of 30 = 0.2, not 0 of 3 finished runs.
        m.reached(0, 4_000_000_000L);
        m.reached(1, 2_000_000_000L);
        assertThat(m.fraction()).isCloseTo(0.2, within(1e-12));
        // A late report of an earlier time does not move it back; one past the end is capped.
        m.reached(0, 3_000_000_000L);
        m.reached(1, 99_000_000_000L);
        // 4 + 10 = 14 of 30.
        assertThat(m.doneNs()).isEqualTo(14_000_000_000L);
        // Run 2 ends early (its work done at 1 s, or it failed): it counts in full. 4 + 10 + 10 = 24 of 30.
        m.reached(2, 1_000_000_000L);
        m.finished(2);
        assertThat(m.fraction()).isCloseTo(0.8, within(1e-12));
        m.finished(0);
        assertThat(m.fraction()).isEqualTo(1.0);
    }

    @Test
    void runsOfDifferentLengthsWeighByTheirSimulatedTime() {
        // 1 s and 3 s: the short one done is a quarter of the plan, not half.
        ProgressModel m = new ProgressModel(new long[] {1_000_000_000L, 3_000_000_000L});
        m.finished(0);
        assertThat(m.fraction()).isEqualTo(0.25);
    }

    @Test
    void theEtaIsTheTimeLeftAtTheRateSoFar() {
        // 20 % in 12 s: 12 x 0.8 / 0.2 = 48 s to go.
        assertThat(ProgressModel.eta(0.2, Duration.ofSeconds(12))).contains(Duration.ofSeconds(48));
        // Three quarters in 30 s: 30 x 0.25 / 0.75 = 10 s.
        assertThat(ProgressModel.eta(0.75, Duration.ofSeconds(30))).contains(Duration.ofSeconds(10));
        // Nothing done yet: no rate, no estimate.
        assertThat(ProgressModel.eta(0, Duration.ofSeconds(5))).isEmpty();
        // Under 1 % done the rate is the JIT warming up: no estimate either.
        assertThat(ProgressModel.eta(0.009, Duration.ofSeconds(2))).isEmpty();
        // 1 % in 2 s: 2 x 0.99 / 0.01 = 198 s.
        assertThat(ProgressModel.eta(0.01, Duration.ofSeconds(2))).contains(Duration.ofSeconds(198));
        assertThat(ProgressModel.eta(1, Duration.ofSeconds(5))).contains(Duration.ZERO);
    }

    @Test
    void nothingIsWrittenWhenStderrIsNotATerminal() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressModel m = ProgressModel.uniform(2, 1_000_000_000L);
        try (Progress p = Progress.simulated(out, false, "silent", m)) {
            Thread.sleep(1100); // past the delay after which a terminal gets its bar
            p.simulated(0, 500_000_000L);
            p.finished(0);
            p.finished(1);
        }
        try (Progress p = Progress.counting(out, false, "silent", 3)) {
            Thread.sleep(1100);
            p.step(3);
        }
        assertThat(bytes.size()).isZero();
    }

    @Test
    void onATerminalTheBarShowsSimulatedTimeElapsedAndEtaAndErasesItself() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressModel m = ProgressModel.uniform(2, 10_000_000_000L);
        try (Progress p = Progress.simulated(out, true, "flagship", m)) {
            Thread.sleep(1100);
            p.simulated(0, 5_000_000_000L); // 5 of 20 simulated s
            Thread.sleep(600); // the library draws every 250 ms
        }
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        assertThat(drawn).contains("flagship", "25%", "5/20 simulated s");
        // (elapsed / time left), the left from the model: about 3 x the elapsed at a quarter done.
        assertThat(drawn).containsPattern("\\(0:00:0\\d / 0:00:\\d\\d\\)");
        // The last thing written blanks the line and returns to its start: the report that
        // follows begins on a clean line, with no line break left before it.
        assertThat(drawn).endsWith("\r").doesNotContain("\n");
        String last = drawn.substring(drawn.lastIndexOf('\r', drawn.length() - 2) + 1, drawn.length() - 1);
        assertThat(last).isBlank();
    }

    @Test
    void terminalsAreToldFromFilesAndPipes(@TempDir Path dir) throws Exception {
        Path toTty = Files.createSymbolicLink(dir.resolve("2"), Path.of("/dev/pts/3"));
        Path toFile = Files.createSymbolicLink(dir.resolve("1"), dir.resolve("out.txt"));
        assertThat(Progress.isTerminal(toTty)).contains(true);
        assertThat(Progress.isTerminal(toFile)).contains(false);
        assertThat(Progress.isTerminal(dir.resolve("missing"))).isEmpty();
    }
}
