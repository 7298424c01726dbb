package dev.pmulab.sim.scenario;

import java.util.List;

/**
 * A perf event group: scheduled onto counters all together or not at all (perf-core-and-costs.md
 * §1.2). The first event is the leader. A lone event is a group of one, as perf opens it.
 */
public record EventGroup(List<EventRef> events) {
    public EventGroup {
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("an event group has at least one event");
        }
    }

    public static EventGroup of(EventRef... events) {
        return new EventGroup(List.of(events));
    }

    public EventRef leader() {
        return events.get(0);
    }

    public int size() {
        return events.size();
    }
}
