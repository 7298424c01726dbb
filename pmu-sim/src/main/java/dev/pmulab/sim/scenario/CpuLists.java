package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.catalog.SocModel;
import dev.pmulab.sim.scenario.YamlTree.ListNode;
import dev.pmulab.sim.scenario.YamlTree.Node;
import dev.pmulab.sim.scenario.YamlTree.ScalarNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Host CPU numbers as a scenario writes them: {@code all}, one number, a list of numbers and
 * ranges, or a Linux cpulist string ({@code 0-3,8}, as in /sys/devices/system/cpu/online). A list
 * is ascending and without repeats. CPUs are checked against the host once it is known; when the
 * host could not be read, only against the largest host there can be.
 */
final class CpuLists {
    private final FieldReader in;
    /** The host's SoC; null when it could not be read, which turns off the checks that need it. */
    private final SocModel soc;

    CpuLists(FieldReader in, SocModel soc) {
        this.in = requireNonNull(in, "in is null");
        this.soc = soc;
    }

    /** Every CPU of the host (CPU 0 alone when the host is unknown, as a stand-in). */
    List<Integer> all() {
        int n = soc == null ? 1 : soc.cpuCount();
        return IntStream.range(0, n).boxed().toList();
    }

    /** A CPU list, or null after a problem. */
    List<Integer> read(Node node, String path) {
        if (node instanceof ListNode l) {
            if (l.items().isEmpty()) {
                in.problem(node.mark(), path, "lists no CPU");
                return null;
            }
            List<List<Integer>> parts = in.allOf(l.items(), path, (item, p) -> part(item, p, false));
            return parts == null ? null : union(parts);
        }
        if (node instanceof ScalarNode s && s.text().strip().equals("all")) {
            return all();
        }
        List<Integer> one = part(node, path, true);
        return one == null ? null : union(List.of(one));
    }

    /** One CPU number, or null after a problem. */
    Integer one(Node node, String path) {
        Long v = in.wholeNumber(node, path);
        if (v == null) {
            return null;
        }
        if (v < 0) {
            in.problem(node.mark(), path, "a CPU number is at least 0, was " + v);
            return null;
        }
        return inRange(v, node, path) ? (int) (long) v : null;
    }

    /** One scalar of a list: a number, a range, or a cpulist string; the CPUs it names, or null. */
    private List<Integer> part(Node node, String path, boolean allowAll) {
        ScalarNode s = node instanceof ScalarNode sc && !sc.isNull() && !sc.isBoolean() ? sc : null;
        String text = s == null ? null : s.text().strip();
        if (text == null || !text.matches("\\d+(-\\d+)?(\\s*,\\s*\\d+(-\\d+)?)*")) {
            in.problem(
                    node.mark(),
                    path,
                    "expected " + (allowAll ? "all, " : "") + "a CPU number, a range such as"
                            + " 0-3, or a list of them; got " + node.describe());
            return null;
        }
        List<Integer> out = new ArrayList<>();
        for (String range : text.split("\\s*,\\s*")) {
            String[] ends = range.split("-");
            long lo = Long.parseLong(ends[0]);
            long hi = ends.length == 2 ? Long.parseLong(ends[1]) : lo;
            if (hi < lo) {
                in.problem(node.mark(), path, "the range " + range + " runs backwards");
                return null;
            }
            if (!inRange(hi, node, path)) {
                return null;
            }
            for (long c = lo; c <= hi; c++) {
                out.add((int) c);
            }
        }
        return out;
    }

    private static List<Integer> union(List<List<Integer>> parts) {
        TreeSet<Integer> out = new TreeSet<>();
        parts.forEach(out::addAll);
        return List.copyOf(out);
    }

    private boolean inRange(long cpu, Node node, String path) {
        int n = soc == null ? HostReader.MAX_HOST_CPUS : soc.cpuCount();
        if (cpu >= n) {
            in.problem(
                    node.mark(),
                    path,
                    soc == null
                            ? "CPU " + cpu + " is beyond any host (at most " + HostReader.MAX_HOST_CPUS + " CPUs)"
                            : "CPU " + cpu + " is out of range: the host has " + n + " CPUs (0-" + (n - 1) + ")");
            return false;
        }
        return true;
    }
}
