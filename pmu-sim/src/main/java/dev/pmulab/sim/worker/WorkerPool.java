package dev.pmulab.sim.worker;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.engine.SimulatedProgress;
import dev.pmulab.sim.plugin.HookTracker;
import dev.pmulab.sim.report.RunFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Worker JVMs for runs whose policies come from plugin jars, the way Surefire forks test JVMs: a
 * run goes to an idle worker (or a new one), with a wall-clock budget. Whatever the policy does,
 * the run ends as a {@link RunResult}: its result, or a failure that names the policy, what it did,
 * the hook and the time. A worker that exits, halts, is killed or overflows its budget is replaced;
 * one that finished a run serves the next. Every worker is killed when the pool closes or this
 * JVM exits (Ctrl-C), and a worker whose stdin ends (this JVM died) ends itself.
 *
 * <p>The plugin's own stdout and stderr reach this JVM's stderr, each line prefixed with the
 * policy, at most {@link #RELAYED_LINES} lines per run; the protocol channel carries nothing else.
 */
public final class WorkerPool implements AutoCloseable {
    /** Lines of a worker's own output (the plugin's prints) passed on per run; the rest are counted. */
    public static final int RELAYED_LINES = 20;
    /** How long a new worker may take to say it is ready (a JVM start on a busy machine). */
    private static final long START_TIMEOUT_NS = 120_000_000_000L;

    private final WorkerLaunch launch;
    private final PrintWriter diagnostics;
    private final Path statusDir;
    private final ConcurrentLinkedQueue<WorkerProcess> idle = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<WorkerProcess> live = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Thread killer = new Thread(this::killAll, "pmulab-worker-killer");
    private volatile boolean closed;

    /**
     * @param diagnostics where the workers' relayed output and notes go (the command's stderr)
     */
    public WorkerPool(WorkerLaunch launch, PrintWriter diagnostics) {
        this.launch = requireNonNull(launch, "launch is null");
        this.diagnostics = requireNonNull(diagnostics, "diagnostics is null");
        try {
            this.statusDir = Files.createTempDirectory("pmulab-workers");
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot create a directory for the workers' status files: " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** The next request id: unique within this pool. */
    public long nextId() {
        return nextId.getAndIncrement();
    }

    /**
     * Runs {@code spec} in a worker within {@code budgetNs} of wall time from the moment the worker
     * has it.
     *
     * @param names the run's policies by kind, for messages
     * @param suspects the run's plugin policies: named when a failure happened outside any hook
     */
    public RunResult run(RunSpec spec, long budgetNs, Map<PolicyKind, String> names, List<String> suspects) {
        return run(spec, budgetNs, names, suspects, SimulatedProgress.NONE);
    }

    /**
     * {@link #run(RunSpec, long, Map, List)}, passing the worker's progress lines to
     * {@code progress} as they come.
     */
    public RunResult run(
            RunSpec spec,
            long budgetNs,
            Map<PolicyKind, String> names,
            List<String> suspects,
            SimulatedProgress progress) {
        requireNonNull(spec, "spec is null");
        requireNonNull(progress, "progress is null");
        if (closed) {
            throw new IllegalStateException("the worker pool is closed");
        }
        WorkerProcess w = idle.poll();
        if (w == null || !w.process.isAlive()) {
            if (w != null) {
                w.discard();
            }
            try {
                w = start();
            } catch (IOException e) {
                return RunResult.failed(
                        RunFailure.unblamed("policy " + String.join(", ", suspects)
                                + ": no worker JVM could be started (" + e.getMessage() + ")"),
                        List.of(),
                        0,
                        0);
            }
        }
        RunResult r = w.run(spec, budgetNs, names, suspects, progress);
        if (w.reusable) {
            idle.add(w);
        } else {
            w.discard();
        }
        return r;
    }

    private WorkerProcess start() throws IOException {
        Path status = Files.createTempFile(statusDir, "worker", ".status");
        ProcessBuilder pb = new ProcessBuilder(launch.command(status));
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        WorkerProcess w = new WorkerProcess(pb.start(), status);
        live.add(w);
        if (closed) {
            w.discard();
            throw new IOException("the worker pool is closed");
        }
        return w;
    }

    @Override
    public void close() {
        closed = true;
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or ran.
        }
        try (var files = Files.list(statusDir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(statusDir);
        } catch (IOException e) {
            // A status file left in the temp directory is harmless.
        }
    }

    private void killAll() {
        for (WorkerProcess w : live) {
            w.process.destroyForcibly();
        }
    }

    /** One worker JVM and the threads that read its stdout and stderr. */
    private final class WorkerProcess {
        private final Process process;
        private final Path status;
        private final Writer requests;
        private final BlockingQueue<Optional<String>> replies = new LinkedBlockingQueue<>();
        /** The last lines of output, for a worker that dies before it is ready. */
        private final Deque<String> tail = new ArrayDeque<>();

        private volatile String prefix = "[worker] ";
        private volatile int relayed;
        private volatile int suppressed;
        private boolean ready;
        private boolean reusable = true;

        WorkerProcess(Process process, Path status) {
            this.process = process;
            this.status = status;
            this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread out = new Thread(this::readReplies, "pmulab-worker-out-" + process.pid());
            out.setDaemon(true);
            out.start();
            Thread err = new Thread(this::relayOutput, "pmulab-worker-err-" + process.pid());
            err.setDaemon(true);
            err.start();
        }

        private void readReplies() {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    replies.add(Optional.of(line));
                }
            } catch (IOException e) {
                // The worker is gone: the end of its output says so.
            }
            replies.add(Optional.empty());
        }

        private void relayOutput() {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 5) {
                            tail.removeFirst();
                        }
                    }
                    if (relayed < RELAYED_LINES) {
                        relayed++;
                        String shown = line.length() > 300 ? line.substring(0, 300) + "..." : line;
                        synchronized (diagnostics) {
                            diagnostics.println(prefix + shown);
                            diagnostics.flush();
                        }
                    } else {
                        suppressed++;
                    }
                }
            } catch (IOException e) {
                // The worker is gone.
            }
        }

        RunResult run(
                RunSpec spec,
                long budgetNs,
                Map<PolicyKind, String> names,
                List<String> suspects,
                SimulatedProgress progress) {
            prefix = "[policy " + String.join(", ", suspects.isEmpty() ? List.copyOf(names.values()) : suspects) + "] ";
            relayed = 0;
            suppressed = 0;
            try {
                if (!ready) {
                    awaitReady();
                }
                requests.write(WorkerProtocol.request(spec));
                requests.write('\n');
                requests.flush();
            } catch (IOException | WorkerProtocol.ProtocolException e) {
                reusable = false;
                return RunResult.failed(
                        RunFailure.unblamed("policy "
                                + String.join(", ", suspects.isEmpty() ? List.copyOf(names.values()) : suspects)
                                + ": not run: the worker JVM could not take the run ("
                                + e.getMessage() + ")"),
                        List.of(),
                        0,
                        0);
            }
            long t0 = System.nanoTime();
            long deadline = t0 + budgetNs;
            try {
                while (true) {
                    long left = deadline - System.nanoTime();
                    Optional<String> line = left <= 0 ? null : replies.poll(left, TimeUnit.NANOSECONDS);
                    if (line == null) {
                        reusable = false;
                        Optional<HookTracker.Snapshot> where = HookTracker.read(status); // while it still runs
                        process.destroyForcibly();
                        process.waitFor(10, TimeUnit.SECONDS);
                        return RunResult.failed(
                                ContainedFailure.failure(
                                        names,
                                        suspects,
                                        where,
                                        "hung (stopped at the worker budget of " + ContainedFailure.seconds(budgetNs)
                                                + "; --worker-budget sets it)",
                                        System.nanoTime() - t0),
                                List.of(),
                                0,
                                0);
                    }
                    if (line.isEmpty()) {
                        reusable = false;
                        return died(names, suspects, t0);
                    }
                    WorkerProtocol.Reply reply;
                    try {
                        reply = WorkerProtocol.parseReply(line.get());
                    } catch (WorkerProtocol.ProtocolException e) {
                        reusable = false;
                        Optional<HookTracker.Snapshot> where = HookTracker.read(status);
                        process.destroyForcibly();
                        return RunResult.failed(
                                ContainedFailure.failure(
                                        names,
                                        suspects,
                                        where,
                                        "wrote to the worker's protocol channel (file descriptor 1: " + e.getMessage()
                                                + ")",
                                        System.nanoTime() - t0),
                                List.of(),
                                0,
                                0);
                    }
                    if (reply instanceof WorkerProtocol.Progress p && p.id() == spec.id()) {
                        progress.reached(p.simulatedNs());
                        continue;
                    }
                    if (reply instanceof WorkerProtocol.Result res && res.id() == spec.id()) {
                        reusable = !res.retiring();
                        return res.result();
                    }
                    if (reply instanceof WorkerProtocol.Failure f && (f.id() == spec.id() || f.id() == -1)) {
                        return RunResult.failed(RunFailure.unblamed(f.message()), List.of(), 0, 0);
                    }
                    // A stale reply of an earlier request: ignore it.
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reusable = false;
                process.destroyForcibly();
                return RunResult.failed(RunFailure.unblamed("interrupted"), List.of(), 0, 0);
            } finally {
                if (suppressed > 0) {
                    synchronized (diagnostics) {
                        diagnostics.println(prefix + "... " + suppressed + " more lines of output not shown");
                        diagnostics.flush();
                    }
                }
            }
        }

        private void awaitReady() throws IOException, WorkerProtocol.ProtocolException {
            try {
                Optional<String> line = replies.poll(START_TIMEOUT_NS, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IOException("it did not start within " + ContainedFailure.seconds(START_TIMEOUT_NS));
                }
                if (line.isEmpty()) {
                    throw new IOException("it exited at start-up" + lastOutput());
                }
                WorkerProtocol.Reply r = WorkerProtocol.parseReply(line.get());
                if (!(r instanceof WorkerProtocol.Ready ready) || ready.protocol() != WorkerProtocol.VERSION) {
                    throw new IOException("it did not speak protocol " + WorkerProtocol.VERSION + ": " + line.get());
                }
                this.ready = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while it started", e);
            }
        }

        private String lastOutput() {
            synchronized (tail) {
                return tail.isEmpty() ? "" : ": " + String.join(" / ", new ArrayList<>(tail));
            }
        }

        /** The worker's stdout ended: it exited, halted or was killed. */
        private RunResult died(Map<PolicyKind, String> names, List<String> suspects, long t0)
                throws InterruptedException {
            long elapsed = System.nanoTime() - t0;
            Optional<HookTracker.Snapshot> where = HookTracker.read(status);
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                // Its stdout ended but it lives on: something closed file descriptor 1.
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return RunResult.failed(
                        ContainedFailure.failure(
                                names,
                                suspects,
                                where,
                                "closed the worker's protocol channel (file descriptor 1)",
                                elapsed),
                        List.of(),
                        0,
                        0);
            }
            where = HookTracker.read(status); // after the exit: its shutdown hooks have run
            int code = process.exitValue();
            String what;
            if (code > 128 && code < 128 + 65) {
                int signal = code - 128;
                what = "was killed by signal " + signal
                        + (signal == 9
                                ? " (SIGKILL: the kernel's OOM killer, or kill -9)"
                                : signal == 6 ? " (SIGABRT: the JVM crashed)" : "");
            } else if (where.isPresent() && where.get().exiting()) {
                what = "called System.exit(" + code + ")";
            } else {
                what = "halted the JVM (Runtime.halt(" + code + "))";
            }
            return RunResult.failed(ContainedFailure.failure(names, suspects, where, what, elapsed), List.of(), 0, 0);
        }

        void discard() {
            live.remove(this);
            process.destroyForcibly();
            try {
                Files.deleteIfExists(status);
            } catch (IOException e) {
                // The pool's directory is removed at close.
            }
        }
    }
}
