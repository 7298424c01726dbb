package dev.pmulab.sim.metrics;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * Who paid: a run's metrics broken down per VM and per perf session ({@code --by vm},
 * {@code --by session}). A VM's part holds the guest metrics over its vCPUs only; a host session's
 * part its events' coverage, naming the least-covered event; a guest session's part the guest's
 * own multiplexing (time_running / time_enabled as its perf reports it), naming the event that ran
 * least, and the samples and throttles of its events. Metrics that do not apply to a part are not applicable there.
 *
 * @param parts in scenario order: VMs, then host sessions, then each VM's guest sessions
 */
public record Breakdown(List<Part> parts) {
    /** No breakdown (a failed run, or a result from before breakdowns). */
    public static final Breakdown NONE = new Breakdown(List.of());

    public Breakdown {
        parts = List.copyOf(parts);
    }

    /** What a part is of. */
    public enum By {
        /** One VM: its vCPUs. */
        VM,
        /** One perf session, on the host or in a guest. */
        SESSION;

        /** The command line's spelling: {@code vm}, {@code session}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException for anything but {@code vm} or {@code session} */
        public static By fromKey(String key) {
            for (By b : values()) {
                if (b.key().equals(key)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("--by takes vm or session, not '" + key + "'");
        }
    }

    /** The parts of one kind, in order. */
    public List<Part> of(By by) {
        return parts.stream().filter(p -> p.by() == by).toList();
    }

    /**
     * One part.
     *
     * @param by what it is of
     * @param name the VM's name; a host session's {@code host/NAME}; a guest session's
     *     {@code VM/KIND#I} (its pmu_usage kind and its index among the VM's perf sessions)
     * @param metrics the metrics that apply to it
     * @param leastCovered the event with the smallest time_running / time_enabled in a session, as
     *     {@code EVENT on CPU n (P %)}; empty for a VM or a session without events
     */
    public record Part(By by, String name, MetricValues metrics, String leastCovered) {
        public Part {
            requireNonNull(by, "by is null");
            requireNonNull(name, "name is null");
            requireNonNull(metrics, "metrics is null");
            requireNonNull(leastCovered, "leastCovered is null");
        }
    }
}
