package dev.pmulab.sim.plugin;

import dev.pmulab.api.ControlRefusedException;
import java.util.function.Supplier;

/**
 * Every call into policy code goes through here: the thread's context class loader is the
 * policy's (for a plugin that uses ServiceLoader or resources itself), unrecoverable errors pass,
 * a refused control action becomes a {@link PolicyFailure} naming the policy, the rule and the hook, and any
 * other throwable becomes a {@link PolicyFailure} naming the policy and the hook.
 */
final class PluginCalls {
    private PluginCalls() {}

    static <T> T call(LoadedPolicy policy, String hook, Supplier<T> body) {
        ClassLoader previous = enter(policy, hook);
        try {
            return body.get();
        } catch (RuntimeException | Error e) {
            throw blame(policy, hook, e);
        } finally {
            exit(previous);
        }
    }

    static void run(LoadedPolicy policy, String hook, Runnable body) {
        call(policy, hook, () -> {
            body.run();
            return null;
        });
    }

    /*
     * The three steps of call(), for the hooks the engine calls at every context switch or trap,
     * which must not allocate a lambda per call:
     *   ClassLoader previous = enter(policy, hook);
     *   try { ... } catch (RuntimeException | Error e) { throw blame(policy, hook, e); } finally { exit(previous); }
     */

    /**
     * Makes the policy's class loader the thread's context loader, and tells a worker's
     * {@link HookTracker} which hook runs; returns the loader to restore.
     */
    static ClassLoader enter(LoadedPolicy policy, String hook) {
        HookTracker.enter(policy.kind(), hook);
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(policy.classLoader());
        return previous;
    }

    static void exit(ClassLoader previous) {
        Thread.currentThread().setContextClassLoader(previous);
        HookTracker.exit();
    }

    /**
     * What a throwable from policy code becomes: unrecoverable errors pass as they are, a
     * PolicyFailure stays, a refused control action names the hook too, anything else blames the
     * policy and the hook.
     */
    static RuntimeException blame(LoadedPolicy policy, String hook, Throwable e) {
        if (e instanceof VirtualMachineError vme) {
            // A worker reports it with the hook it left (HookTracker); in-process it ends the comparison.
            HookTracker.fault();
            throw vme;
        }
        if (e instanceof PolicyFailure f) {
            return f;
        }
        if (e instanceof ControlRefusedException refused) {
            // The refusal names the policy and the rule; the report also needs the hook.
            return new PolicyFailure(hook, refused);
        }
        return new PolicyFailure(policy.name(), hook, e);
    }
}
