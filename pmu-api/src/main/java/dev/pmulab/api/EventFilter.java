package dev.pmulab.api;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One {@code struct kvm_pmu_event_filter}: allow or deny the events {@code baseEvent} to
 * {@code baseEvent + nevents - 1}.
 */
@Stable(since = "0.1")
public record EventFilter(int baseEvent, int nevents, FilterAction action) {
    public EventFilter {
        requireNonNull(action, "action is null");
        if (baseEvent < 0 || baseEvent > 0xffff || nevents < 0 || nevents > 0xffff) {
            throw new IllegalArgumentException("base_event and nevents are __u16: " + baseEvent + ", " + nevents);
        }
    }

    public static EventFilter allow(int baseEvent, int nevents) {
        return new EventFilter(baseEvent, nevents, FilterAction.ALLOW);
    }

    public static EventFilter deny(int baseEvent, int nevents) {
        return new EventFilter(baseEvent, nevents, FilterAction.DENY);
    }

    /**
     * kvmtool's {@code --pmu-filter} notation with the last event included: {@code deny:0x0010-0x001f},
     * {@code allow:0x0011}, {@code allow:0x0000 (no events)}.
     */
    @Override
    public String toString() {
        String range = nevents == 0
                ? String.format("0x%04x (no events)", baseEvent)
                : nevents == 1
                        ? String.format("0x%04x", baseEvent)
                        : String.format("0x%04x-0x%04x", baseEvent, baseEvent + nevents - 1);
        return action.name().toLowerCase(Locale.ROOT) + ":" + range;
    }
}
