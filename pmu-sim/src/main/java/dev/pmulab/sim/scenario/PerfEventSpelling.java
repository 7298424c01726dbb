package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.regs.PmevtyperEl0;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An event as perf's command line spells it (tools/perf/util/parse-events.y and parse-events.c),
 * for the workload's {@code rates}, which may be copied from {@code perf stat} output:
 *
 * <ul>
 *   <li>a name {@link EventNames} knows ({@code cycles}, {@code l1d_cache_refill}) or a raw number
 *       ({@code r0011}, {@code r11}, {@code 0x11});
 *   <li>a PMU's event, {@code PMU/TERM/}: PMU is an arm_pmu instance as Linux names it in
 *       /sys/bus/event_source/devices ({@code armv8_pmuv3_0} under ACPI, {@code armv8_pmuv3},
 *       {@code armv8_cortex_a57}, {@code armv9_neoverse_n2}, ...: drivers/perf/arm_pmuv3.c and
 *       arm_pmu_acpi.c); TERM is one of its sysfs event names (its {@code events/} directory: the
 *       Arm common event names, {@code l1d_cache_refill}), one of perf's generic hardware names
 *       ({@code armv8_cortex_a53/cycles/}, as perf prints an event opened on each PMU of a
 *       big.LITTLE system) or {@code event=0x11} / {@code config=0x11} (its {@code format/event} is
 *       {@code config:0-15});
 *   <li>either followed by modifiers, after {@code :} (or directly after a PMU event's closing
 *       {@code /}): {@code u k h} (count at user, kernel, hypervisor level) and {@code G H} (count
 *       in guests, on the host). As parse-events.c applies them: once any of u, k, h is given,
 *       {@code exclude_user = !u}, {@code exclude_kernel = !k}, {@code exclude_hv = !h}; G alone
 *       sets {@code exclude_host}, H alone {@code exclude_guest}, both neither.
 * </ul>
 *
 * Other modifiers (precise {@code p}, {@code S}, {@code D}, {@code W}, ...) are refused: none of
 * them changes what a count is, and a rate that carried one would hide that it is ignored.
 *
 * @param number the PMUv3 event number
 * @param excludeUser {@code attr.exclude_user}
 * @param excludeKernel {@code attr.exclude_kernel}
 * @param excludeHv {@code attr.exclude_hv}
 * @param excludeHost {@code attr.exclude_host}
 * @param excludeGuest {@code attr.exclude_guest}
 */
public record PerfEventSpelling(
        int number,
        boolean excludeUser,
        boolean excludeKernel,
        boolean excludeHv,
        boolean excludeHost,
        boolean excludeGuest) {
    /** An arm_pmu instance's name: armv8_pmuv3, armv8_cortex_a57, armv9_neoverse_n2, with _N under ACPI. */
    private static final Pattern PMU = Pattern.compile("armv[89]_[a-z0-9_]+");

    private static final Pattern PMU_EVENT = Pattern.compile("([^/]+)/([^/]*)/(?::?([^/]*))");
    private static final Pattern TERM_NUMBER = Pattern.compile("(event|config)=(0x[0-9a-f]+|\\d+)");
    private static final String MODIFIERS = "ukhGH";

    /**
     * Parses perf's spelling of an event.
     *
     * @throws IllegalArgumentException for an unknown event, PMU, term or modifier, naming close
     *     matches where there are some
     */
    public static PerfEventSpelling parse(String spelling) {
        requireNonNull(spelling, "spelling is null");
        String s = spelling.strip();
        int number;
        String mods;
        if (s.indexOf('/') >= 0) {
            Matcher m = PMU_EVENT.matcher(s);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + spelling + "' is not perf's PMU/TERM/ form (as in"
                        + " armv8_pmuv3_0/l1d_cache_refill/ or armv8_pmuv3_0/event=0x03/:u)");
            }
            String pmu = m.group(1);
            if (!PMU.matcher(pmu).matches()) {
                throw new IllegalArgumentException("unknown PMU '" + pmu + "' in '" + spelling
                        + "': an Arm PMUv3 is named armv8_pmuv3_0 (ACPI), armv8_pmuv3, armv8_<core> or armv9_<core>,"
                        + " as /sys/bus/event_source/devices lists it");
            }
            number = term(m.group(2), spelling);
            mods = m.group(3) == null ? "" : m.group(3);
        } else {
            int colon = s.indexOf(':');
            String name = colon < 0 ? s : s.substring(0, colon);
            mods = colon < 0 ? "" : s.substring(colon + 1);
            number = name(name, spelling);
        }
        return withModifiers(number, mods, spelling);
    }

    /** No modifier: every level, host and guest, as perf opens a bare name. */
    public boolean countsEverywhere() {
        return !excludeUser && !excludeKernel && !excludeHv && !excludeHost && !excludeGuest;
    }

    private static int name(String name, String spelling) {
        try {
            return EventNames.number(name);
        } catch (IllegalArgumentException e) {
            List<String> close = closeMatches(name.toLowerCase(Locale.ROOT), allNames());
            throw new IllegalArgumentException(
                    "unknown event '" + name + "'"
                            + (name.equals(spelling.strip()) ? "" : " in '" + spelling + "'")
                            + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?")
                            + "; write a perf name (cycles, instructions, branch-misses, ...), an Arm name"
                            + " (cpu_cycles, l1d_cache_refill, ...), a raw number (r0011, 0x11) or a PMU"
                            + " event (armv8_pmuv3_0/l1d_cache_refill/), optionally with :u, :k, :h, :G, :H",
                    e);
        }
    }

    /** A PMU event's term: a sysfs event name (the Arm names) or event= / config=. */
    private static int term(String term, String spelling) {
        String t = term.strip().toLowerCase(Locale.ROOT);
        Matcher n = TERM_NUMBER.matcher(t);
        if (n.matches()) {
            String v = n.group(2);
            long value = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
            if (value > PmevtyperEl0.EVTCOUNT_MASK) {
                throw new IllegalArgumentException("'" + spelling + "': " + n.group(1)
                        + " is at most 0xffff (the PMUv3 driver's format/event is config:0-15)");
            }
            return (int) value;
        }
        Integer known = EventNames.armNames().get(t);
        if (known == null) {
            // perf 6.x also takes its generic hardware names as a PMU's terms (parse_events_term__num
            // with a legacy hardware term), which is how it prints cycles on a system with two PMUs.
            known = EventNames.perfNames().get(t);
        }
        if (known != null) {
            return known;
        }
        List<String> close =
                closeMatches(t, new ArrayList<>(EventNames.armNames().keySet()));
        throw new IllegalArgumentException("unknown term '" + term + "' in '" + spelling + "'"
                + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?")
                + "; a PMUv3 PMU's sysfs events are the Arm common event names (cpu_cycles, inst_retired,"
                + " l1d_cache_refill, ...), or write event=0xNN");
    }

    private static PerfEventSpelling withModifiers(int number, String mods, String spelling) {
        boolean u = false;
        boolean k = false;
        boolean h = false;
        boolean g = false;
        boolean hostOnly = false;
        for (int i = 0; i < mods.length(); i++) {
            char c = mods.charAt(i);
            if (MODIFIERS.indexOf(c) < 0) {
                throw new IllegalArgumentException("modifier '" + c + "' in '" + spelling
                        + "' is not one a rate can carry; perf's level and host/guest modifiers are u, k, h, G, H");
            }
            switch (c) {
                case 'u' -> u = true;
                case 'k' -> k = true;
                case 'h' -> h = true;
                case 'G' -> g = true;
                default -> hostOnly = true;
            }
        }
        boolean level = u || k || h;
        return new PerfEventSpelling(number, level && !u, level && !k, level && !h, g && !hostOnly, hostOnly && !g);
    }

    private static List<String> allNames() {
        List<String> all = new ArrayList<>(EventNames.perfNames().keySet());
        all.addAll(EventNames.armNames().keySet());
        return all;
    }

    /** Up to three names within an edit distance of a third of the word's length (at least 2), closest first. */
    static List<String> closeMatches(String word, List<String> names) {
        int limit = Math.max(2, word.length() / 3);
        return names.stream()
                .map(n -> new Object() {
                    final String name = n;
                    final int d = distance(word, n.toLowerCase(Locale.ROOT));
                })
                .filter(o -> o.d <= limit)
                .sorted(Comparator.comparingInt(o -> o.d))
                .limit(3)
                .map(o -> o.name)
                .toList();
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
