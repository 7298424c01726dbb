package dev.pmulab.sim.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerLaunchTest {
    @Test
    void aWorkerGetsItsHeapCapTheSerialCollectorC2AloneAndTheProtocolCommand() {
        WorkerLaunch l = new WorkerLaunch(Path.of("/jdk/bin/java"), "/p/pmulab.jar", "dev.Main", 256, Optional.empty());
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
                Path.of("/jdk/bin/java"), "/p/pmulab.jar", "dev.Main", 512, Optional.of(Path.of("/p/pmulab.jsa")));
        assertThat(l.command(Path.of("/tmp/w.status")))
                .containsSequence("-Xshare:auto", "-XX:SharedArchiveFile=/p/pmulab.jsa", "-cp");
    }

    @Test
    void theArchiveIsTheLastSharedArchiveFileOption() {
        assertThat(WorkerLaunch.sharedArchive(List.of("-Xmx1g", "-Dpmulab.home=/p")))
                .isEmpty();
        // An empty value names no file.
        assertThat(WorkerLaunch.sharedArchive(List.of("-XX:SharedArchiveFile=")))
                .isEmpty();
        assertThat(WorkerLaunch.sharedArchive(
                        List.of("-XX:SharedArchiveFile=/a.jsa", "-Dx=y", "-XX:SharedArchiveFile=/b.jsa")))
                .contains(Path.of("/b.jsa"));
        // The option that writes an archive is not one to read.
        assertThat(WorkerLaunch.sharedArchive(List.of("-XX:ArchiveClassesAtExit=/c.jsa")))
                .isEmpty();
    }
}
