package dev.pmulab.sim.plugin;

import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import java.util.Collection;
import java.util.List;

/**
 * Guice reports a policy that cannot be built as a page of text: numbered errors, the binding
 * path, links to its documentation, a rule of equals signs. A report needs one line: what the
 * policy's own code did ({@code constructor of Policy threw IllegalStateException: no counters}) or,
 * for a module that binds wrongly, the first line of Guice's first error.
 */
final class GuiceErrors {
    private GuiceErrors() {}

    /** {@code t} or the first of its causes that is a Guice error, or null. */
    static RuntimeException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ProvisionException
                    || c instanceof CreationException
                    || c instanceof ConfigurationException) {
                return (RuntimeException) c;
            }
        }
        return null;
    }

    /** The one line for a Guice error (one of {@link #find}'s results). */
    static String condense(RuntimeException guice) {
        Collection<Message> messages = guice instanceof ProvisionException p
                ? p.getErrorMessages()
                : guice instanceof CreationException c
                        ? c.getErrorMessages()
                        : guice instanceof ConfigurationException c ? c.getErrorMessages() : List.of();
        String more = messages.size() > 1 ? " (and " + (messages.size() - 1) + " more)" : "";
        if (messages.isEmpty()) {
            return firstLine(guice.getMessage());
        }
        Message first = messages.iterator().next();
        Throwable cause = first.getCause();
        if (cause == null) {
            return firstLine(first.getMessage()) + more;
        }
        return describeRoot(cause) + more;
    }

    /**
     * The deepest cause, named with where in the policy's code it was thrown when that is a
     * constructor or a static initialiser: {@code constructor of Policy threw X: message}.
     */
    static String describeRoot(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage()));
        for (StackTraceElement frame : root.getStackTrace()) {
            String cls = frame.getClassName();
            if (cls.startsWith("java.")
                    || cls.startsWith("jdk.")
                    || cls.startsWith("sun.")
                    || cls.startsWith("com.google.")) {
                continue;
            }
            String simple = cls.substring(cls.lastIndexOf('.') + 1);
            if (frame.getMethodName().equals("<init>")) {
                return "constructor of " + simple + " threw " + what;
            }
            if (frame.getMethodName().equals("<clinit>")) {
                return "static initialiser of " + simple + " threw " + what;
            }
        }
        return what;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        String line = s.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl).strip();
    }
}
