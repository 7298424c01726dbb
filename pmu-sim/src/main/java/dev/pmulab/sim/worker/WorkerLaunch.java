package dev.pmulab.sim.worker;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How to start a worker JVM: this JVM's {@code java}, its class path, the main class whose
 * {@code worker} command serves the protocol, the worker's heap cap, and the class-data sharing
 * archive this JVM was started with, if any.
 *
 * @param java the java launcher
 * @param classPath the class path the worker gets (this JVM's: the same classes, the same built-in policies)
 * @param mainClass the class whose {@code main(worker, --status-file, FILE)} serves requests
 * @param heapMiB the worker's heap cap ({@code -Xmx}), in MiB
 * @param sharedArchive the archive of pmulab's classes the {@code ./pmulab} launcher made
 *     ({@code -XX:SharedArchiveFile}), or empty: the worker loads the same classes from it
 */
public record WorkerLaunch(Path java, String classPath, String mainClass, long heapMiB, Optional<Path> sharedArchive) {
    private static final String SHARED_ARCHIVE = "-XX:SharedArchiveFile=";

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
        requireNonNull(sharedArchive, "sharedArchive is null");
        if (heapMiB < 16) {
            throw new IllegalArgumentException("a worker needs a heap of at least 16 MiB, not " + heapMiB);
        }
    }

    /** This JVM's java, class path and shared archive, with {@code mainClass} and {@code heapMiB}. */
    public static WorkerLaunch ofThisJvm(String mainClass, long heapMiB) {
        return new WorkerLaunch(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("java.class.path"),
                mainClass,
                heapMiB,
                sharedArchive(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    /** The {@code -XX:SharedArchiveFile} among a JVM's options (the last one counts, as for the JVM). */
    static Optional<Path> sharedArchive(List<String> jvmOptions) {
        Optional<Path> archive = Optional.empty();
        for (String o : jvmOptions) {
            if (o.startsWith(SHARED_ARCHIVE) && o.length() > SHARED_ARCHIVE.length()) {
                archive = Optional.of(Path.of(o.substring(SHARED_ARCHIVE.length())));
            }
        }
        return archive;
    }

    /** The command line of a worker that writes its status to {@code statusFile}. */
    List<String> command(Path statusFile) {
        List<String> c = new ArrayList<>();
        c.add(java.toString());
        c.add("-Xmx" + heapMiB + "m");
        // One collector thread, no parallel GC workers competing with the comparison's runs; the
        // heap cap is the point, so grow to it lazily.
        c.add("-XX:+UseSerialGC");
        // C2 alone, without the tiered C1 stages: a worker runs one long simulation after another,
        // and on the sweep of docs/sweeps.md ("Scaling") this cut a worker's compiler threads from
        // about 4.5 to 2.2 CPU seconds while its run thread got no slower. The compiler threads
        // are what two workers on two cores take from each other's runs.
        c.add("-XX:-TieredCompilation");
        c.add("-Xshare:auto");
        // A stale or foreign archive is ignored by the JVM (-Xshare:auto): the classes load from the jar.
        sharedArchive.ifPresent(a -> c.add(SHARED_ARCHIVE + a));
        c.add("-cp");
        c.add(classPath);
        c.add(mainClass);
        c.add("worker");
        c.add("--status-file");
        c.add(statusFile.toString());
        return c;
    }
}
