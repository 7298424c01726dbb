package dev.pmulab.sim.report;

import dev.pmulab.api.PolicyKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Each run's key letter (A, B, …, Z, AA, AB, …) and its label as the HTML report shows it: the
 * compared policy, and the policies of the other kinds where those differ between runs. The letter
 * makes every chart label distinct however long or alike the labels are, and ties a point on the
 * trade-off chart to its bar and its table column.
 */
final class RunKeys {
    private final List<String> letters = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();

    RunKeys(ComparisonReport report) {
        List<PolicyKind> varying = new ArrayList<>();
        for (PolicyKind kind : PolicyKind.values()) {
            if (kind != report.comparedKind() && report.commonLabel(kind).isEmpty()) {
                varying.add(kind);
            }
        }
        for (int i = 0; i < report.runs().size(); i++) {
            RunReport r = report.runs().get(i);
            StringBuilder label = new StringBuilder(r.label(report.comparedKind()));
            for (PolicyKind kind : varying) {
                label.append("; ").append(kind.configName()).append(": ").append(r.label(kind));
            }
            letters.add(letter(i));
            labels.add(label.toString());
        }
    }

    /** The key of run {@code index}: A to Z, then AA to ZZ, and so on, like spreadsheet columns. */
    static String letter(int index) {
        StringBuilder sb = new StringBuilder();
        int n = index + 1;
        while (n > 0) {
            int d = (n - 1) % 26;
            sb.insert(0, (char) ('A' + d));
            n = (n - 1) / 26;
        }
        return sb.toString();
    }

    List<String> letters() {
        return letters;
    }

    List<String> labels() {
        return labels;
    }

    /**
     * {@code text} broken into lines of at most {@code width} characters, after ", " or a space
     * where it can, mid-word only where a word alone is longer than a line. Nothing is cut off.
     */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        String rest = text;
        while (rest.length() > width) {
            int cut = -1;
            for (int i = width; i > 0; i--) {
                char c = rest.charAt(i - 1);
                if (c == ' ' || c == ',' || c == '(' || c == ';') {
                    cut = i;
                    break;
                }
            }
            if (cut <= 0) {
                cut = width;
            }
            lines.add(rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
        }
        if (!rest.isEmpty() || lines.isEmpty()) {
            lines.add(rest);
        }
        return lines;
    }
}
