package dev.pmulab.sim.worker;

import static java.util.Objects.requireNonNull;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How to start a worker JVM: this JVM's {@code java}, its class path, the main class whose
 * {@code worker} command serves the protocol, the worker's heap cap, and the class cache this JVM
 * was started with, if any.
 *
 * @param java the java launcher
 * @param javaFeature the feature release of that java's JDK (17, 21, 25, ...)
 * @param classPath the class path the worker gets (this JVM's: the same classes, the same built-in policies)
 * @param mainClass the class whose {@code main(worker, --status-file, FILE)} serves requests
 * @param heapMiB the worker's heap cap ({@code -Xmx}), in MiB
 * @param classCache the cache of pmulab's classes the {@code ./pmulab} launcher made and started
 *     this JVM with, or empty: the worker starts from the same one
 */
public record WorkerLaunch(
        Path java, int javaFeature, String classPath, String mainClass, long heapMiB, Optional<ClassCache> classCache) {
    /**
     * A file of classes a JVM starts from instead of loading them from the jar, as the launcher
     * keeps one (docs/architecture.md, "Start-up and the launcher").
     *
     * @param kind which JVM feature reads it
     * @param file the file
     */
    public record ClassCache(Kind kind, Path file) {
        public ClassCache {
            requireNonNull(kind, "kind is null");
            requireNonNull(file, "file is null");
        }

        /** The JVM option that maps the file. */
        String option() {
            return kind.option + file;
        }

        /** The JVM option that maps a class cache, one per kind of cache. */
        public enum Kind {
            /** A class-data sharing archive (JDK 17 on): the loaded classes. */
            SHARED_ARCHIVE("-XX:SharedArchiveFile="),
            /** An AOT cache (JDK 24 on, JEP 483; method profiles from 25 on, JEP 515). */
            AOT_CACHE("-XX:AOTCache=");

            private final String option;

            Kind(String option) {
                this.option = option;
            }
        }
    }

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
        requireNonNull(classCache, "classCache is null");
        if (heapMiB < 16) {
            throw new IllegalArgumentException("a worker needs a heap of at least 16 MiB, not " + heapMiB);
        }
    }

    /** This JVM's java, class path and class cache, with {@code mainClass} and {@code heapMiB}. */
    public static WorkerLaunch ofThisJvm(String mainClass, long heapMiB) {
        return new WorkerLaunch(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                Runtime.version().feature(),
                System.getProperty("java.class.path"),
                mainClass,
                heapMiB,
                classCache(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    /**
     * The class cache among a JVM's options: the last {@code -XX:SharedArchiveFile} or
     * {@code -XX:AOTCache} with a file, as the last one counts for the JVM.
     */
    static Optional<ClassCache> classCache(List<String> jvmOptions) {
        Optional<ClassCache> cache = Optional.empty();
        for (String o : jvmOptions) {
            for (ClassCache.Kind k : ClassCache.Kind.values()) {
                if (o.startsWith(k.option) && o.length() > k.option.length()) {
                    cache = Optional.of(new ClassCache(k, Path.of(o.substring(k.option.length()))));
                }
            }
        }
        return cache;
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
        // A stale or foreign cache is ignored by the JVM (-Xshare:auto, and -XX:AOTMode=auto, the
        // default, which refuses any -Xshare option beside it): the classes load from the jar.
        if (classCache.isEmpty() || classCache.get().kind() == ClassCache.Kind.SHARED_ARCHIVE) {
            c.add("-Xshare:auto");
        }
        classCache.ifPresent(cache -> c.add(cache.option()));
        if (javaFeature >= 24) {
            // Guice 7.0.0 defines classes through sun.misc.Unsafe; JDK 24 on warns on stderr
            // unless allowed (JEP 498), as the launcher allows it for the parent.
            c.add("--sun-misc-unsafe-memory-access=allow");
        }
        c.add("-cp");
        c.add(classPath);
        c.add(mainClass);
        c.add("worker");
        c.add("--status-file");
        c.add(statusFile.toString());
        return c;
    }
}
