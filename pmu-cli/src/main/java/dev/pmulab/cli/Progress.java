package dev.pmulab.cli;

import dev.pmulab.sim.engine.Comparison;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr, drawn by the progressbar library, whenever stderr is a terminal (also
 * when stdout is redirected to a file) and silent otherwise, so redirected output and CI logs stay
 * clean. It appears after the first second, so quick commands never flash one, shows elapsed time
 * and the time left, and erases itself before the command prints its report: the report's first
 * line starts clean. Deterministic output never depends on it.
 *
 * <p>Two kinds: {@link #simulated} advances with the simulated time of every run of a comparison,
 * in this JVM or in worker JVMs ({@link ProgressModel}); {@link #counting} advances per finished
 * run, for the commands whose runs report nothing finer (reproduce and its fit).
 */
final class Progress implements AutoCloseable, Comparison.PlanProgress {
    private static final long DELAY_NS = 1_000_000_000L;
    private static final int REFRESH_MS = 250;

    private final PrintStream out;
    private final boolean terminal;
    private final String task;
    private final ProgressModel model;
    private final long countTotal;
    private final long start = System.nanoTime();
    private long counted;
    private ProgressBar bar;
    private boolean closed;

    private Progress(PrintStream out, boolean terminal, String task, ProgressModel model, long countTotal) {
        this.out = out;
        this.terminal = terminal;
        this.task = task;
        this.model = model;
        this.countTotal = countTotal;
    }

    /** A bar over the simulated time of {@code runs} runs of {@code nsPerRun} each, on System.err. */
    static Progress simulated(String task, int runs, long nsPerRun) {
        return simulated(System.err, stderrIsTerminal(), task, ProgressModel.uniform(runs, nsPerRun));
    }

    static Progress simulated(PrintStream out, boolean terminal, String task, ProgressModel model) {
        return new Progress(out, terminal, task, model, 0);
    }

    /** A bar over {@code total} runs that reports whole runs only, on System.err. */
    static Progress counting(String task, int total) {
        return counting(System.err, stderrIsTerminal(), task, total);
    }

    static Progress counting(PrintStream out, boolean terminal, String task, int total) {
        return new Progress(out, terminal, task, null, total);
    }

    @Override
    public void simulated(int index, long simulatedNs) {
        model.reached(index, simulatedNs);
        update();
    }

    @Override
    public void finished(int index) {
        model.finished(index);
        update();
    }

    /** {@code n} more runs are done (counting bars). */
    void step(int n) {
        synchronized (this) {
            counted += n;
        }
        update();
    }

    /** Passes the state to the bar, creating it once a second has passed. Cheap when silent. */
    private void update() {
        if (!terminal) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            long elapsed = System.nanoTime() - start;
            if (bar == null) {
                if (elapsed < DELAY_NS) {
                    return;
                }
                bar = build(Duration.ofNanos(elapsed));
            }
            bar.stepTo(current());
        }
    }

    /** Where the bar stands: simulated milliseconds, or runs. */
    private long current() {
        return model != null ? model.doneNs() / 1_000_000 : counted;
    }

    private ProgressBar build(Duration elapsed) {
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(REFRESH_MS)
                .startsFrom(0, elapsed)
                .clearDisplayOnFinish()
                .setConsumer(new ErasingConsumer(out));
        if (model != null) {
            b.setInitialMax(Math.max(1, model.totalNs() / 1_000_000))
                    .setUnit(" simulated s", 1000)
                    .setEtaFunction(state -> ProgressModel.eta(model.fraction(), state.getTotalElapsed()));
        } else {
            b.setInitialMax(Math.max(1, countTotal)).setUnit(" runs", 1);
        }
        return b.build();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (bar != null) {
                bar.close(); // the library erases its line (clearDisplayOnFinish)
            }
        }
    }

    /**
     * The library's console consumer, less the line break it prints when the bar closes: the bar
     * has already erased itself, and the break would leave an empty line before the report.
     */
    private static final class ErasingConsumer extends ConsoleProgressBarConsumer {
        private final PrintStream out;

        ErasingConsumer(PrintStream out) {
            super(out);
            this.out = out;
        }

        @Override
        public void close() {
            out.flush();
        }
    }

    /**
     * Whether stderr is a terminal. Linux: fd 2 is a tty or pty; elsewhere, what Java's console
     * says (which needs stdout too, so the bar may stay away there when stdout is redirected).
     */
    static boolean stderrIsTerminal() {
        return isTerminal(Path.of("/proc/self/fd/2")).orElseGet(() -> System.console() != null);
    }

    /**
     * Whether the file descriptor link ({@code /proc/self/fd/N}) points at a terminal device; empty
     * where /proc cannot say. The one terminal test of the CLI (stderr here, stdin in RunOptions).
     */
    static Optional<Boolean> isTerminal(Path fdLink) {
        try {
            String target = Files.readSymbolicLink(fdLink).toString();
            return Optional.of(target.startsWith("/dev/pts/") || target.startsWith("/dev/tty"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }
}
