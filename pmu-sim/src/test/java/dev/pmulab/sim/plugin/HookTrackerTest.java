package dev.pmulab.sim.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.PolicyKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status file another JVM reads after a worker died: written by the guards, read back by anyone. */
final class HookTrackerTest {
    @TempDir
    Path dir;

    @AfterEach
    void uninstall() {
        HookTracker.uninstall();
    }

    @Test
    void theFileSaysWhichHookRunsAndWhichRanLast() throws Exception {
        Path file = dir.resolve("w.status");
        HookTracker t = HookTracker.create(file);
        HookTracker.install(t);
        t.startRun(7);
        assertThat(HookTracker.read(file)).hasValueSatisfying(s -> {
            assertThat(s.runId()).isEqualTo(7);
            assertThat(s.insidePolicy()).isFalse();
            assertThat(s.kind()).isEmpty();
            assertThat(s.hookOrNone()).isEqualTo("no hook");
        });

        HookTracker.enter(PolicyKind.SELECTION, "configure_vm");
        assertThat(HookTracker.read(file)).hasValueSatisfying(s -> {
            assertThat(s.insidePolicy()).isTrue();
            assertThat(s.kind()).contains(PolicyKind.SELECTION);
            assertThat(s.hook()).contains("configure_vm");
        });
        HookTracker.exit();
        // Left, but still the last hook: a worker that hangs outside policy code says where it was.
        assertThat(HookTracker.read(file)).hasValueSatisfying(s -> {
            assertThat(s.insidePolicy()).isFalse();
            assertThat(s.hook()).contains("configure_vm");
            assertThat(s.faulted()).isFalse();
        });
    }

    @Test
    void anErrorLeavingAHookIsAFaultThatTheExitInFinallyDoesNotClear() throws Exception {
        Path file = dir.resolve("w.status");
        HookTracker t = HookTracker.create(file);
        HookTracker.install(t);
        t.startRun(1);
        HookTracker.enter(PolicyKind.ALLOCATION, "vcpu_load");
        HookTracker.fault();
        HookTracker.exit();
        assertThat(t.snapshot().faulted()).isTrue();
        assertThat(t.snapshot().hook()).contains("vcpu_load");
        assertThat(t.snapshot().exiting()).isFalse();
        t.exiting();
        assertThat(HookTracker.read(file).orElseThrow().exiting()).isTrue();
    }

    @Test
    void theGuardsReportThroughPluginCallsAndNestedCallsLeaveOnlyAtTheOutermost() throws Exception {
        Path file = dir.resolve("w.status");
        HookTracker t = HookTracker.create(file);
        HookTracker.install(t);
        t.startRun(2);
        PolicyRegistry registry = PolicyRegistry.discover(getClass().getClassLoader());
        LoadedPolicy p = registry.get(PolicyKind.ALLOCATION, "test-reserving");
        PluginCalls.run(p, "host_boot", () -> {
            assertThat(t.snapshot().insidePolicy()).isTrue();
            PluginCalls.run(
                    p, "admin_write", () -> assertThat(t.snapshot().hook()).contains("admin_write"));
            assertThat(t.snapshot().insidePolicy()).isTrue();
        });
        assertThat(t.snapshot().insidePolicy()).isFalse();
    }

    @Test
    void aFileThatNoWorkerWroteReadsAsNothing() throws Exception {
        assertThat(HookTracker.read(dir.resolve("missing"))).isEmpty();
        Path junk = Files.write(dir.resolve("junk"), new byte[64]);
        assertThat(HookTracker.read(junk)).isEqualTo(Optional.empty());
    }

    @Test
    void withoutATrackerTheGuardsRecordNothing() {
        HookTracker.enter(PolicyKind.ALLOCATION, "vcpu_load"); // no tracker installed: nothing to do, nothing thrown
        HookTracker.exit();
        HookTracker.fault();
    }
}
