package dev.pmulab.policy.filter;

import dev.pmulab.api.EventFilter;
import dev.pmulab.api.FilterAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code filters} setting: an ordered list of {@code allow:<events>} and {@code deny:<events>}
 * entries, separated by commas or white space, where {@code <events>} is one event number or an
 * inclusive range {@code first-last} (the notation of kvmtool's {@code --pmu-filter}, kvm-vpmu-uapi.md
 * §5), each number decimal or {@code 0x} hexadecimal. Example: {@code "deny:0x10-0x1f, allow:0x11"}.
 * Each entry becomes one {@code struct kvm_pmu_event_filter}; a range longer than a __u16 nevents
 * can hold (the whole 16-bit space) becomes two.
 */
final class EventFilterSyntax {
    static final String FORMAT =
            "allow:<event> or deny:<first>-<last>, separated by commas, event numbers " + "decimal or 0x-hexadecimal";

    private EventFilterSyntax() {}

    /**
     * Parses the setting.
     *
     * @throws IllegalArgumentException naming the setting and the entry that cannot be read
     */
    static List<EventFilter> parse(String text) {
        try {
            return parseEntries(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    EventFilterSettings.FILTERS + ": " + e.getMessage() + " (expected " + FORMAT + ")", e);
        }
    }

    private static List<EventFilter> parseEntries(String text) {
        List<EventFilter> out = new ArrayList<>();
        // "allow: 0x10 - 0x1f" reads as "allow:0x10-0x1f": YAML authors put spaces there.
        String compact = text.replaceAll("\\s*:\\s*", ":").replaceAll("\\s*-\\s*", "-");
        for (String entry : compact.strip().split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            out.addAll(parseEntry(entry));
        }
        return List.copyOf(out);
    }

    private static List<EventFilter> parseEntry(String entry) {
        int colon = entry.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + entry + "' is not " + FORMAT);
        }
        String verb = entry.substring(0, colon).toLowerCase(Locale.ROOT);
        FilterAction action;
        if (verb.equals("allow")) {
            action = FilterAction.ALLOW;
        } else if (verb.equals("deny")) {
            action = FilterAction.DENY;
        } else {
            throw new IllegalArgumentException("'" + entry + "' must start with allow: or deny:");
        }
        String events = entry.substring(colon + 1);
        int dash = events.indexOf('-');
        int first = event(entry, dash < 0 ? events : events.substring(0, dash));
        int last = dash < 0 ? first : event(entry, events.substring(dash + 1));
        if (last < first) {
            throw new IllegalArgumentException("'" + entry + "': the range ends before it starts");
        }
        List<EventFilter> filters = new ArrayList<>();
        int base = first;
        int remaining = last - first + 1;
        while (remaining > 0) {
            int n = Math.min(remaining, 0xffff);
            filters.add(new EventFilter(base, n, action));
            base += n;
            remaining -= n;
        }
        return filters;
    }

    private static int event(String entry, String number) {
        int v;
        try {
            v = number.startsWith("0x") || number.startsWith("0X")
                    ? Integer.parseInt(number.substring(2), 16)
                    : Integer.parseInt(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + entry + "': '" + number + "' is not an event number");
        }
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("'" + entry + "': event numbers are 0..0xffff, not " + number);
        }
        return v;
    }
}
