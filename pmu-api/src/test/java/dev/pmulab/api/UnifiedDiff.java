package dev.pmulab.api;

import java.util.ArrayList;
import java.util.List;

/** A line diff in the unified format ({@code diff -u}): hunks of changed lines with 3 lines of context. */
final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private UnifiedDiff() {}

    /** The diff from {@code before} to {@code after}, empty when they are equal. */
    static String of(String beforeName, List<String> before, String afterName, List<String> after) {
        List<Edit> edits = edits(before, after);
        if (edits.stream().allMatch(e -> e.kind == ' ')) {
            return "";
        }
        StringBuilder out = new StringBuilder("--- ")
                .append(beforeName)
                .append('\n')
                .append("+++ ")
                .append(afterName)
                .append('\n');
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).kind == ' ') {
                i++;
                continue;
            }
            // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change
            // that is no more than 2 * CONTEXT unchanged lines further on.
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int unchanged = 0;
            for (int j = i; j < edits.size() && unchanged <= 2 * CONTEXT; j++) {
                if (edits.get(j).kind == ' ') {
                    unchanged++;
                } else {
                    unchanged = 0;
                    end = j;
                }
            }
            end = Math.min(edits.size() - 1, end + CONTEXT);
            int oldStart = edits.get(start).oldLine;
            int newStart = edits.get(start).newLine;
            int oldCount = 0;
            int newCount = 0;
            for (int j = start; j <= end; j++) {
                oldCount += edits.get(j).kind != '+' ? 1 : 0;
                newCount += edits.get(j).kind != '-' ? 1 : 0;
            }
            out.append("@@ -")
                    .append(oldStart + 1)
                    .append(',')
                    .append(oldCount)
                    .append(" +")
                    .append(newStart + 1)
                    .append(',')
                    .append(newCount)
                    .append(" @@\n");
            for (int j = start; j <= end; j++) {
                out.append(edits.get(j).kind).append(edits.get(j).text).append('\n');
            }
            i = end + 1;
        }
        return out.toString();
    }

    /** One line of the diff: kept (' '), removed ('-') or added ('+'), with its 0-based line in each side. */
    private record Edit(char kind, String text, int oldLine, int newLine) {}

    /** The edit script of a longest common subsequence (the files are a few hundred lines). */
    private static List<Edit> edits(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                edits.add(new Edit(' ', a.get(i), i, j));
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                // Removals before additions, as diff -u prints a changed line.
                edits.add(new Edit('-', a.get(i), i, j));
                i++;
            } else {
                edits.add(new Edit('+', b.get(j), i, j));
                j++;
            }
        }
        return edits;
    }
}
