package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with a scenario file, where it is and what to do about it.
 *
 * @param file the file name as the user gave it (or a built-in scenario's resource name)
 * @param line 1-based line; 0 when the problem concerns the file as a whole (it cannot be read)
 * @param column 1-based column; 0 with line 0
 * @param path the field, as {@code vms[0].placement.cpus}; empty for the document itself
 * @param message what is wrong, and what is accepted
 */
public record ScenarioProblem(String file, int line, int column, String path, String message) {
    public ScenarioProblem {
        requireNonNull(file, "file is null");
        requireNonNull(path, "path is null");
        requireNonNull(message, "message is null");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column are not negative: " + line + ":" + column);
        }
    }

    /** A problem at a position. */
    public static ScenarioProblem at(SourcePosition where, String message) {
        return new ScenarioProblem(where.file(), where.line(), where.column(), where.path(), message);
    }

    /** {@code file:line:column: path: message}, as compilers print it so editors can jump to it. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
