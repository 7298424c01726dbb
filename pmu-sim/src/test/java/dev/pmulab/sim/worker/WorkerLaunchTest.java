package dev.pmulab.sim.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.sim.worker.WorkerLaunch.ClassCache;
import dev.pmulab.sim.worker.WorkerLaunch.ClassCache.Kind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerLaunchTest {
    @Test
    void aWorkerGetsItsHeapCapTheSerialCollectorC2AloneAndTheProtocolCommand() {
        WorkerLaunch l =
                new WorkerLaunch(Path.of("/jdk/bin/java"), 17, "/p/pmulab.jar", "dev.Main", 256, Optional.empty());
        assertThat(l.command(Path.of("/tmp/w.status")))
                .containsExactly(
                        "/jdk/bin/java",
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-XX:-TieredCompilation",
                        "-Xshare:auto",
                        "-cp",
                        "/p/pmulab.jar",
                        "dev.Main",
                        "worker",
                        "--status-file",
                        "/tmp/w.status");
    }

    @Test
    void aWorkerSharesTheArchiveItsParentWasStartedWith() {
        WorkerLaunch l = new WorkerLaunch(
                Path.of("/jdk/bin/java"),
                17,
                "/p/pmulab.jar",
                "dev.Main",
                512,
                Optional.of(new ClassCache(Kind.SHARED_ARCHIVE, Path.of("/p/pmulab.jsa"))));
        assertThat(l.command(Path.of("/tmp/w.status")))
                .containsSequence("-Xshare:auto", "-XX:SharedArchiveFile=/p/pmulab.jsa", "-cp");
    }

    @Test
    void onJdk25AWorkerSharesTheAotCacheAndAllowsGuicesUnsafeAccess() {
        WorkerLaunch l = new WorkerLaunch(
                Path.of("/jdk25/bin/java"),
                25,
                "/p/pmulab.jar",
                "dev.Main",
                512,
                Optional.of(new ClassCache(Kind.AOT_CACHE, Path.of("/p/pmulab.aot"))));
        assertThat(l.command(Path.of("/tmp/w.status")))
                .containsSequence(
                        "-XX:-TieredCompilation",
                        "-XX:AOTCache=/p/pmulab.aot",
                        "--sun-misc-unsafe-memory-access=allow",
                        "-cp")
                // The JVM refuses to start with an AOT cache and any -Xshare option.
                .noneMatch(o -> o.startsWith("-Xshare"));
        // JDK 17 to 23 do not know the option: it would stop the worker from starting.
        assertThat(new WorkerLaunch(Path.of("/jdk/bin/java"), 23, "/p/pmulab.jar", "dev.Main", 512, Optional.empty())
                        .command(Path.of("/tmp/w.status")))
                .noneMatch(o -> o.startsWith("--sun-misc-unsafe-memory-access"));
    }

    @Test
    void theCacheIsTheLastSharedArchiveFileOrAotCacheOption() {
        assertThat(WorkerLaunch.classCache(List.of("-Xmx1g", "-Dpmulab.home=/p")))
                .isEmpty();
        // An empty value names no file.
        assertThat(WorkerLaunch.classCache(List.of("-XX:SharedArchiveFile="))).isEmpty();
        assertThat(WorkerLaunch.classCache(List.of("-XX:AOTCache="))).isEmpty();
        assertThat(WorkerLaunch.classCache(
                        List.of("-XX:SharedArchiveFile=/a.jsa", "-Dx=y", "-XX:SharedArchiveFile=/b.jsa")))
                .contains(new ClassCache(Kind.SHARED_ARCHIVE, Path.of("/b.jsa")));
        assertThat(WorkerLaunch.classCache(List.of("-XX:SharedArchiveFile=/a.jsa", "-XX:AOTCache=/p/pmulab.aot")))
                .contains(new ClassCache(Kind.AOT_CACHE, Path.of("/p/pmulab.aot")));
        // The options that write a cache are not ones to read.
        assertThat(WorkerLaunch.classCache(List.of(
                        "-XX:ArchiveClassesAtExit=/c.jsa",
                        "-XX:AOTCacheOutput=/c.aot",
                        "-XX:AOTConfiguration=/c.conf")))
                .isEmpty();
    }
}
