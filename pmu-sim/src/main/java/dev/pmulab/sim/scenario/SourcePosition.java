package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

/**
 * Where a value was written: the file, its 1-based line and column, and the field path
 * ({@code policies.allocation[1]}). Kept on the values a later step may still reject (policy
 * choices, checked against the installed plugins only when a run starts), so that step can point
 * at the line too.
 */
public record SourcePosition(String file, int line, int column, String path) {
    public SourcePosition {
        requireNonNull(file, "file is null");
        requireNonNull(path, "path is null");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column are not negative: " + line + ":" + column);
        }
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + (path.isEmpty() ? "" : " (" + path + ")");
    }
}
