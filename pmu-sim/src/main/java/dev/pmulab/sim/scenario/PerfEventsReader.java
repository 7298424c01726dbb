package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.scenario.FieldReader.Fields;
import dev.pmulab.sim.scenario.YamlTree.ListNode;
import dev.pmulab.sim.scenario.YamlTree.Mark;
import dev.pmulab.sim.scenario.YamlTree.Node;
import dev.pmulab.sim.scenario.YamlTree.ScalarNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields a perf user is described with, wherever it runs (a host perf session, a guest's
 * perf stat, perf record or BRBE usage): {@code events} and {@code groups}, {@code scope},
 * {@code frequency} or {@code period}. The sections that use them declare the keys.
 */
final class PerfEventsReader {
    /** An event group as read, with where it was written (for the host's fits-the-PMU check). */
    record ReadGroup(EventGroup group, Mark mark, String path, boolean fromGroups) {}

    private final FieldReader in;

    PerfEventsReader(FieldReader in) {
        this.in = requireNonNull(in, "in is null");
    }

    static List<EventGroup> plain(List<ReadGroup> groups) {
        return groups.stream().map(ReadGroup::group).toList();
    }

    /**
     * {@code events} (each a group of one) then {@code groups} (lists, leader first); at least one
     * event in all. Null if anything was wrong.
     */
    List<ReadGroup> eventGroups(Fields o, boolean groupsAllowed) {
        List<ReadGroup> singles = List.of();
        if (o.has("events")) {
            ListNode l = in.list(o.get("events"), o.at("events"));
            singles = l == null
                    ? null
                    : in.allOf(l.items(), o.at("events"), (item, p) -> {
                        EventRef e = event(item, p);
                        return e == null ? null : new ReadGroup(EventGroup.of(e), item.mark(), p, false);
                    });
        }
        List<ReadGroup> groups = List.of();
        if (groupsAllowed && o.has("groups")) {
            ListNode l = in.list(o.get("groups"), o.at("groups"));
            groups = l == null ? null : in.allOf(l.items(), o.at("groups"), this::group);
        }
        if (singles == null || groups == null) {
            return null;
        }
        List<ReadGroup> out = new ArrayList<>(singles);
        out.addAll(groups);
        if (out.isEmpty()) {
            in.problem(
                    o.mark(),
                    o.path(),
                    groupsAllowed ? "needs at least one event: give events or groups" : "needs at least one event");
            return null;
        }
        return out;
    }

    /** One entry of {@code groups}: a list of events, the leader first. */
    private ReadGroup group(Node node, String path) {
        ListNode g = in.list(node, path);
        if (g == null) {
            return null;
        }
        if (g.items().isEmpty()) {
            in.problem(g.mark(), path, "an event group needs at least one event");
            return null;
        }
        List<EventRef> events = in.allOf(g.items(), path, this::event);
        return events == null ? null : new ReadGroup(new EventGroup(events), g.mark(), path, true);
    }

    private EventRef event(Node node, String path) {
        ScalarNode s = in.scalar(node, path, "an event name");
        if (s == null) {
            return null;
        }
        try {
            return EventRef.of(s.text());
        } catch (IllegalArgumentException e) {
            in.problem(node.mark(), path, e.getMessage());
            return null;
        }
    }

    /** {@code scope}: {@code system} or {@code task}; {@code dflt} when absent, null when wrong. */
    PerfScope scope(Fields o, PerfScope dflt) {
        if (!o.has("scope")) {
            return dflt;
        }
        return in.choice(
                o.get("scope"), o.at("scope"), List.of(PerfScope.SYSTEM, PerfScope.TASK), PerfScope::configName);
    }

    /** {@code frequency} or {@code period}; perf record's default 4000 Hz when neither is given. */
    Sampling sampling(Fields o) {
        if (o.has("frequency") && o.has("period")) {
            in.problem(o.keyMark("period"), o.at("period"), "give frequency or period, not both");
            return null;
        }
        if (o.has("period")) {
            Long p = in.atLeast(o.get("period"), o.at("period"), 1);
            return p == null ? null : Sampling.period(p);
        }
        if (o.has("frequency")) {
            Long f = in.atLeast(o.get("frequency"), o.at("frequency"), 1);
            if (f != null && f > Sampling.MAX_FREQUENCY_HZ) {
                in.problem(
                        o.get("frequency").mark(),
                        o.at("frequency"),
                        "must be at most " + Sampling.MAX_FREQUENCY_HZ
                                + " Hz (kernel.perf_event_max_sample_rate's default), was " + f);
                return null;
            }
            return f == null ? null : Sampling.frequencyHz(f);
        }
        return Sampling.frequencyHz(Sampling.DEFAULT_FREQUENCY_HZ);
    }
}
