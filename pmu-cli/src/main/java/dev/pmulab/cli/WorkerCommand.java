package dev.pmulab.cli;

import dev.pmulab.sim.plugin.HookTracker;
import dev.pmulab.sim.worker.Worker;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pmulab worker}: runs simulations for another pmulab process, one request at a time, over
 * the worker protocol (JSON lines: requests on stdin, replies on stdout; docs/architecture.md,
 * "Worker JVMs"). {@code compare} and {@code run} start one per run of a plugin-jar policy. Before
 * anything else it takes the real stdout for the protocol and points {@code System.out} and
 * {@code System.err} at stderr, so whatever a plugin prints never reaches the channel.
 */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = {
            "Serve runs for another pmulab process (JSON lines on stdin and stdout).",
            "The protocol: docs/architecture.md, \"Worker JVMs\".",
            "pmulab compare and run start one per run of a plugin policy; a person",
            "rarely runs it by hand."
        })
final class WorkerCommand implements Callable<Integer> {
    @Option(
            names = "--status-file",
            paramLabel = "FILE",
            description = "Keep the hook the run is in here (memory-mapped), for the process that started the "
                    + "worker to read if the worker dies or hangs.")
    private Path statusFile;

    @Override
    public Integer call() throws Exception {
        OutputStream channel = new FileOutputStream(FileDescriptor.out);
        InputStream requests = new FileInputStream(FileDescriptor.in);
        PrintStream log = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.setOut(Worker.guardStdout(log));
        System.setErr(log);
        System.setIn(InputStream.nullInputStream());
        // One line for a thread a plugin started that dies, not a stack trace in the user's terminal.
        Thread.setDefaultUncaughtExceptionHandler(
                (t, e) -> log.println("pmulab worker: thread '" + t.getName() + "' ended with " + e));
        HookTracker tracker = null;
        if (statusFile != null) {
            tracker = HookTracker.create(statusFile);
            HookTracker.install(tracker);
            HookTracker exiting = tracker;
            // System.exit runs shutdown hooks and Runtime.halt does not: the status file tells them apart.
            Runtime.getRuntime().addShutdownHook(new Thread(exiting::exiting, "pmulab-worker-exiting"));
        }
        return Worker.serve(requests, channel, log, Pmulab.class.getClassLoader(), tracker);
    }
}
