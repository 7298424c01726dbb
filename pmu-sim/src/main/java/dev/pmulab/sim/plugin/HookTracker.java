package dev.pmulab.sim.plugin;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Where a worker JVM's run is, written to a small memory-mapped status file that the JVM that
 * started the worker reads after the worker died or was stopped: which kind of policy's code it
 * was in, which hook, whether it had left it, whether {@code System.exit} was under way, and
 * whether an Error such as StackOverflowError left a hook. A policy that halts the JVM, exits it
 * or never returns leaves no other trace, and a mapped page outlives its process: what was
 * stored is in the file even after {@code Runtime.halt} or SIGKILL.
 *
 * <p>Only a worker installs one ({@link #install}); otherwise every call here is one volatile
 * read. Entering and leaving a hook stores two ints into the mapping and allocates nothing, so the
 * hot hooks (vcpu_load, vcpu_put) stay allocation-free.
 */
public final class HookTracker {
    /** The hooks a guard names, by index: the status file stores the index. Unknown hooks store -1. */
    static final List<String> HOOKS = List.of(
            "module",
            "injection",
            "host_boot",
            "vcpu_load",
            "vcpu_put",
            "guest_access_outside_share",
            "admin_write",
            "configure_vm",
            "event_filters");

    /** Bytes of the status file. */
    static final int SIZE = 32;

    private static final int MAGIC = 0x504d5531; // "PMU1"
    private static final int AT_MAGIC = 0;
    private static final int AT_STATE = 4;
    private static final int AT_KIND = 8;
    private static final int AT_HOOK = 12;
    private static final int AT_EXITING = 16;
    private static final int AT_RUN = 20;

    private static final int OUTSIDE = 0;
    private static final int INSIDE = 1;
    private static final int FAULT = 2;

    private static volatile HookTracker installed;

    private final MappedByteBuffer map;
    /** Nesting of policy calls on the run's thread (a worker runs one run at a time). */
    private int depth;

    private HookTracker(MappedByteBuffer map) {
        this.map = map;
    }

    /** What the status file says. */
    public record Snapshot(
            long runId,
            boolean insidePolicy,
            boolean faulted,
            Optional<PolicyKind> kind,
            Optional<String> hook,
            boolean exiting) {
        /** The hook last entered, or {@code "no hook"}. */
        public String hookOrNone() {
            return hook.orElse("no hook");
        }
    }

    /** Maps {@code file} (created or truncated to {@link #SIZE} bytes) for writing. */
    public static HookTracker create(Path file) throws IOException {
        requireNonNull(file, "file is null");
        try (FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(ByteBuffer.allocate(SIZE));
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
            map.putInt(AT_MAGIC, MAGIC);
            return new HookTracker(map);
        }
    }

    /** Makes {@code tracker} the one every guarded policy call reports to (a worker, before it runs anything). */
    public static void install(HookTracker tracker) {
        installed = requireNonNull(tracker, "tracker is null");
    }

    /** No tracker: policy calls report nothing (the state of a JVM that is not a worker). */
    static void uninstall() {
        installed = null;
    }

    /** A run starts: nothing entered yet. */
    public void startRun(long runId) {
        depth = 0;
        map.putInt(AT_STATE, OUTSIDE);
        map.putInt(AT_KIND, -1);
        map.putInt(AT_HOOK, -1);
        map.putInt(AT_RUN, (int) runId);
    }

    /** The JVM is exiting ({@code System.exit} runs the shutdown hooks; {@code Runtime.halt} does not). */
    public void exiting() {
        map.putInt(AT_EXITING, 1);
    }

    /** This JVM's own view of the file, for the worker reporting an Error it caught. */
    public Snapshot snapshot() {
        return snapshot(map);
    }

    static void enter(PolicyKind kind, String hook) {
        HookTracker t = installed;
        if (t != null) {
            t.depth++;
            t.map.putInt(AT_KIND, kind.ordinal());
            t.map.putInt(AT_HOOK, indexOf(hook));
            t.map.putInt(AT_STATE, INSIDE);
        }
    }

    static void exit() {
        HookTracker t = installed;
        if (t != null) {
            t.depth = Math.max(0, t.depth - 1);
            if (t.depth == 0 && t.map.getInt(AT_STATE) == INSIDE) {
                t.map.putInt(AT_STATE, OUTSIDE);
            }
        }
    }

    /** An Error (stack overflow, out of memory) is leaving the hook last entered. */
    static void fault() {
        HookTracker t = installed;
        if (t != null) {
            t.map.putInt(AT_STATE, FAULT);
        }
    }

    private static int indexOf(String hook) {
        for (int i = 0; i < HOOKS.size(); i++) {
            if (HOOKS.get(i) == hook) { // the guards pass literals: identity first, no hashing
                return i;
            }
        }
        return HOOKS.indexOf(hook);
    }

    /**
     * Reads a status file another JVM wrote.
     *
     * @return empty if the file is missing, short, or was never set up by a worker
     */
    public static Optional<Snapshot> read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < SIZE) {
                return Optional.empty();
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            return b.getInt(AT_MAGIC) == MAGIC ? Optional.of(snapshot(b)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Snapshot snapshot(ByteBuffer b) {
        int state = b.getInt(AT_STATE);
        int kind = b.getInt(AT_KIND);
        int hook = b.getInt(AT_HOOK);
        return new Snapshot(
                b.getInt(AT_RUN),
                state == INSIDE,
                state == FAULT,
                kind >= 0 && kind < PolicyKind.values().length
                        ? Optional.of(PolicyKind.values()[kind])
                        : Optional.empty(),
                hook >= 0 && hook < HOOKS.size() ? Optional.of(HOOKS.get(hook)) : Optional.empty(),
                b.getInt(AT_EXITING) == 1);
    }
}
