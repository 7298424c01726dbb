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
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(policy.classLoader());
        try {
            return body.get();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (PolicyFailure e) {
            throw e;
        } catch (ControlRefusedException e) {
            // The refusal names the policy and the rule; the report also needs the hook.
            throw new PolicyFailure(hook, e);
        } catch (RuntimeException | Error e) {
            throw new PolicyFailure(policy.name(), hook, e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    static void run(LoadedPolicy policy, String hook, Runnable body) {
        call(policy, hook, () -> {
            body.run();
            return null;
        });
    }
}
