package dev.pmulab.sim.worker;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.plugin.HookTracker;
import dev.pmulab.sim.report.RunFailure;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one line a report gives a run that a worker contained: {@code policy X: <what happened> in
 * <hook> after <time>}. The policy is the one whose hook was running (the worker's
 * {@link HookTracker} says which kind); when no hook was running, the run's plugin policies are
 * named and the message says where the run was.
 */
final class ContainedFailure {
    private ContainedFailure() {}

    /**
     * @param names the run's policies by kind
     * @param suspects the policies to name when no hook was running (the run's plugin policies)
     * @param where the worker's status, if it could be read
     * @param what what happened, {@code called System.exit(3)}
     * @param elapsedNs wall time from the request to the event
     */
    static String message(
            Map<PolicyKind, String> names,
            List<String> suspects,
            Optional<HookTracker.Snapshot> where,
            String what,
            long elapsedNs) {
        String policy = String.join(", ", suspects.isEmpty() ? List.copyOf(names.values()) : suspects);
        String place = "outside the policies' hooks";
        if (where.isPresent()) {
            HookTracker.Snapshot s = where.get();
            if (s.kind().isPresent() && names.containsKey(s.kind().get())) {
                String owner = names.get(s.kind().get());
                if (s.insidePolicy() || s.faulted()) {
                    policy = owner;
                    place = "in " + s.hookOrNone();
                } else {
                    place = "outside its hooks (the last was " + s.hookOrNone() + " of " + owner + ")";
                }
            } else {
                place = "before any hook ran";
            }
        }
        return "policy " + policy + ": " + what + " " + place + " after " + seconds(elapsedNs);
    }

    /**
     * {@link #message} as the run's failure. The line names the policy and the hook itself, in the
     * order issue 16 asks for ({@code policy X: <what> in <hook> after <time>}), so it is the
     * failure's detail and no field is filled in twice.
     */
    static RunFailure failure(
            Map<PolicyKind, String> names,
            List<String> suspects,
            Optional<HookTracker.Snapshot> where,
            String what,
            long elapsedNs) {
        return RunFailure.unblamed(message(names, suspects, where, what, elapsedNs));
    }

    /** {@code 0.4 s}, {@code 12.0 s}. */
    static String seconds(long ns) {
        return String.format(Locale.ROOT, "%.1f s", ns / 1e9);
    }
}
