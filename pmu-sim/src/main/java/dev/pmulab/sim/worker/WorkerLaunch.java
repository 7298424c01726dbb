package dev.pmulab.sim.worker;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start a worker JVM: this JVM's {@code java}, its class path, the main class whose
 * {@code worker} command serves the protocol, and the worker's heap cap.
 *
 * @param java the java launcher
 * @param classPath the class path the worker gets (this JVM's: the same classes, the same built-in policies)
 * @param mainClass the class whose {@code main(worker, --status-file, FILE)} serves requests
 * @param heapMiB the worker's heap cap ({@code -Xmx}), in MiB
 */
public record WorkerLaunch(Path java, String classPath, String mainClass, long heapMiB) {
    /**
     * The default heap cap: every run of the flagship completes in a worker capped at 64 MiB
     * (measured), so this leaves a plugin room for its own data while a hoarding one is stopped
     * long before the machine swaps, even with a worker per core.
     */
    public static final long DEFAULT_HEAP_MIB = 512;

    public WorkerLaunch {
        requireNonNull(java, "java is null");
        requireNonNull(classPath, "classPath is null");
        requireNonNull(mainClass, "mainClass is null");
        if (heapMiB < 16) {
            throw new IllegalArgumentException("a worker needs a heap of at least 16 MiB, not " + heapMiB);
        }
    }

    /** This JVM's java and class path, with {@code mainClass} and {@code heapMiB}. */
    public static WorkerLaunch ofThisJvm(String mainClass, long heapMiB) {
        return new WorkerLaunch(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("java.class.path"),
                mainClass,
                heapMiB);
    }

    /** The command line of a worker that writes its status to {@code statusFile}. */
    List<String> command(Path statusFile) {
        List<String> c = new ArrayList<>();
        c.add(java.toString());
        c.add("-Xmx" + heapMiB + "m");
        // One collector thread, no parallel GC workers competing with the comparison's runs; the
        // heap cap is the point, so grow to it lazily.
        c.add("-XX:+UseSerialGC");
        c.add("-Xshare:auto");
        c.add("-cp");
        c.add(classPath);
        c.add(mainClass);
        c.add("worker");
        c.add("--status-file");
        c.add(statusFile.toString());
        return c;
    }
}
