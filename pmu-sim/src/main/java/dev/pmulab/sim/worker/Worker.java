package dev.pmulab.sim.worker;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.engine.SimulatedProgress;
import dev.pmulab.sim.plugin.HookTracker;
import dev.pmulab.sim.plugin.PluginException;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.plugin.SelectedPolicy;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The worker side of the protocol ({@link WorkerProtocol}): {@code pmulab worker} reads run
 * requests from its stdin and answers each on the channel, one run at a time, each on a thread of
 * its own while the main thread keeps reading, so that the end of stdin (the asking JVM is gone,
 * Ctrl-C) ends the worker at once even during a run. A run's StackOverflowError or
 * OutOfMemoryError becomes its failed result, naming the hook it left; exits, halts and hangs are
 * for the asking JVM to see ({@link WorkerPool}).
 */
public final class Worker {
    private final BufferedReader requests;
    private final Writer channel;
    private final PrintStream log;
    private final ClassLoader applicationLoader;
    private final HookTracker tracker;
    private final Map<List<String>, PolicyRegistry> registries = new HashMap<>();
    private RunSpec.ScenarioSource lastSource;
    private Scenario lastScenario;
    private volatile boolean busy;
    /** What policies wrote to System.out during the current run ({@link #guardStdout}). */
    private static final StdoutGuard STDOUT = new StdoutGuard();
    /** Freed when the heap runs out, so the failure can still be written. */
    private volatile byte[] reserve = new byte[1 << 20];

    private Worker(
            InputStream requests,
            OutputStream channel,
            PrintStream log,
            ClassLoader applicationLoader,
            HookTracker tracker) {
        this.requests = new BufferedReader(new InputStreamReader(requests, StandardCharsets.UTF_8));
        this.channel = new OutputStreamWriter(channel, StandardCharsets.UTF_8);
        this.log = log;
        this.applicationLoader = applicationLoader;
        this.tracker = tracker;
    }

    /**
     * Serves requests until {@code requests} ends; returns the exit status (0).
     *
     * @param channel the protocol's output: nothing else may write to it
     * @param log where the worker's own notes go (the plugins' stdout and stderr go there too)
     * @param tracker the status file's writer, already installed, or null
     */
    public static int serve(
            InputStream requests,
            OutputStream channel,
            PrintStream log,
            ClassLoader applicationLoader,
            HookTracker tracker) {
        requireNonNull(requests, "requests is null");
        requireNonNull(channel, "channel is null");
        requireNonNull(log, "log is null");
        requireNonNull(applicationLoader, "applicationLoader is null");
        return new Worker(requests, channel, log, applicationLoader, tracker).loop();
    }

    private int loop() {
        send(WorkerProtocol.ready());
        String line;
        try {
            while ((line = requests.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                RunSpec spec;
                long progressEveryMs;
                try {
                    WorkerProtocol.Request request = WorkerProtocol.parseRunRequest(line);
                    spec = request.spec();
                    progressEveryMs = request.progressEveryMs();
                } catch (WorkerProtocol.ProtocolException e) {
                    send(WorkerProtocol.failure(-1, "bad request: " + e.getMessage()));
                    continue;
                }
                if (busy) {
                    send(WorkerProtocol.failure(spec.id(), "the worker is running another request"));
                    continue;
                }
                busy = true;
                Thread run = new Thread(() -> runAndReply(spec, progressEveryMs), "pmulab-worker-run-" + spec.id());
                run.setDaemon(true);
                run.start();
            }
        } catch (IOException e) {
            log.println("pmulab worker: cannot read requests: " + e.getMessage());
        }
        if (busy) {
            // The asking JVM is gone (or Ctrl-C): nobody will read this run's result.
            Runtime.getRuntime().halt(0);
        }
        return 0;
    }

    private void runAndReply(RunSpec spec, long progressEveryMs) {
        long t0 = System.nanoTime();
        Map<PolicyKind, String> names = new EnumMap<>(PolicyKind.class);
        spec.policies().forEach(p -> names.put(p.kind(), p.name()));
        if (tracker != null) {
            tracker.startRun(spec.id());
        }
        STDOUT.reset(tracker);
        RunResult result;
        boolean retiring = false;
        List<String> suspects = new ArrayList<>();
        try {
            Scenario scenario = scenario(spec.scenario());
            PolicyRegistry registry = registry(spec.pluginPaths());
            List<SelectedPolicy> policies = new ArrayList<>();
            for (RunSpec.PolicySpec p : spec.policies()) {
                SelectedPolicy sp = SelectedPolicy.select(registry, p.kind(), p.name(), p.settings());
                policies.add(sp);
                if (sp.policy().source().external()) {
                    suspects.add(sp.name());
                }
            }
            result = Comparison.run(scenario, policies, spec.seed(), progress(spec.id(), progressEveryMs));
        } catch (ScenarioException | PluginException e) {
            reply(WorkerProtocol.failure(spec.id(), e.getMessage()), false);
            return;
        } catch (StackOverflowError e) {
            result = contained(names, suspects, "overflowed the stack (StackOverflowError)", t0);
        } catch (OutOfMemoryError e) {
            reserve = null;
            retiring = true; // whatever filled the heap may still be reachable from a static field
            result = contained(
                    names,
                    suspects,
                    "ran out of memory (OutOfMemoryError; the worker's heap cap is " + heapCap() + ")",
                    t0);
        } catch (RuntimeException | Error e) {
            result = contained(names, suspects, "stopped the run with " + e, t0);
        }
        synchronized (STDOUT) {
            if (STDOUT.bytes > 0 && result.ok()) {
                // The numbers are fine, but in one JVM this text would have landed inside the report.
                result = RunResult.failed(
                        ContainedFailure.failure(
                                names,
                                suspects,
                                STDOUT.first,
                                "printed "
                                        + STDOUT.lines + " lines (" + STDOUT.bytes
                                        + " bytes) to System.out, which belongs to the report "
                                        + "(log to System.err)",
                                STDOUT.firstNs - t0),
                        result.costsUsed(),
                        result.events(),
                        result.simulatedNs());
            }
        }
        reply(WorkerProtocol.result(spec.id(), result, retiring), retiring);
    }

    /**
     * Progress lines for request {@code id}, at most one per {@code everyMs} (none for 0): the
     * engine calls far more often, and the channel is read by a person's progress bar.
     */
    private SimulatedProgress progress(long id, long everyMs) {
        if (everyMs <= 0) {
            return SimulatedProgress.NONE;
        }
        long everyNs = everyMs * 1_000_000;
        long[] last = {System.nanoTime()};
        return ns -> {
            long now = System.nanoTime();
            if (now - last[0] >= everyNs) {
                last[0] = now;
                send(WorkerProtocol.progress(id, ns));
            }
        };
    }

    /** The {@code -Xmx} this JVM was started with, as given ({@code 128m}), or what the heap may grow to. */
    private static String heapCap() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-Xmx")) {
                return arg.substring(4);
            }
        }
        return Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB";
    }

    private RunResult contained(Map<PolicyKind, String> names, List<String> suspects, String what, long t0) {
        Optional<HookTracker.Snapshot> where = tracker == null ? Optional.empty() : Optional.of(tracker.snapshot());
        return RunResult.failed(
                ContainedFailure.failure(names, suspects, where, what, System.nanoTime() - t0), List.of(), 0, 0);
    }

    private void reply(String line, boolean retiring) {
        // Free before the reply leaves: the asking JVM may send the next request the moment it has it.
        busy = false;
        send(line);
        if (retiring) {
            Runtime.getRuntime().halt(0);
        }
    }

    /**
     * The stream a worker installs as {@code System.out}: it passes what a policy prints to
     * {@code log} (stderr, which the asking JVM shows prefixed with the policy) and remembers that
     * it printed, and in which hook, because a policy must not print to stdout: in a single JVM
     * that text would land inside the report.
     */
    public static PrintStream guardStdout(PrintStream log) {
        requireNonNull(log, "log is null");
        STDOUT.log = log;
        return new PrintStream(STDOUT, true, StandardCharsets.UTF_8);
    }

    /** Counts the bytes written to the guarded System.out and the hook that wrote the first. */
    private static final class StdoutGuard extends OutputStream {
        private volatile PrintStream log;
        private volatile HookTracker tracker;
        private long bytes;
        private long lines;
        private Optional<HookTracker.Snapshot> first = Optional.empty();
        private long firstNs;

        synchronized void reset(HookTracker t) {
            tracker = t;
            firstNs = 0;
            bytes = 0;
            lines = 0;
            first = Optional.empty();
        }

        @Override
        public synchronized void write(int b) {
            note(1, b == '\n' ? 1 : 0);
            log.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int nl = 0;
            for (int i = off; i < off + len; i++) {
                nl += b[i] == '\n' ? 1 : 0;
            }
            note(len, nl);
            log.write(b, off, len);
        }

        private void note(int n, int newLines) {
            if (bytes == 0 && n > 0) {
                firstNs = System.nanoTime();
                if (tracker != null) {
                    first = Optional.of(tracker.snapshot());
                }
            }
            bytes += n;
            lines += newLines;
        }

        @Override
        public void flush() {
            log.flush();
        }
    }

    private Scenario scenario(RunSpec.ScenarioSource source) {
        if (!source.equals(lastSource)) {
            lastScenario = source.load();
            lastSource = source;
        }
        return lastScenario;
    }

    private PolicyRegistry registry(List<String> pluginPaths) {
        return registries.computeIfAbsent(
                pluginPaths,
                p -> PolicyRegistry.discover(
                        applicationLoader, p.stream().map(Path::of).toList()));
    }

    private void send(String line) {
        synchronized (channel) {
            try {
                channel.write(line);
                channel.write('\n');
                channel.flush();
            } catch (IOException e) {
                // The asking JVM is gone.
                throw new UncheckedIOException(e);
            }
        }
    }
}
