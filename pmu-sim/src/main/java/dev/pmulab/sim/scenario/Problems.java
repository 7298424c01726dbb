package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The problems found in one file so far; reading goes on after each, so the user sees them all at once. */
final class Problems {
    private final String file;
    private final List<ScenarioProblem> found = new ArrayList<>();

    Problems(String file) {
        this.file = requireNonNull(file, "file is null");
    }

    String file() {
        return file;
    }

    /**
     * Records a problem, unless one is already recorded for the same field at the same place: the
     * first says what is wrong, and what reading the stand-in value then finds would only repeat it.
     */
    void add(YamlTree.Mark at, String path, String message) {
        // A value grafted from a sweep file is reported where it is written there.
        String where = at.file() != null ? at.file() : file;
        for (ScenarioProblem p : found) {
            if (p.file().equals(where)
                    && p.line() == at.line()
                    && p.column() == at.column()
                    && p.path().equals(path)) {
                return;
            }
        }
        found.add(new ScenarioProblem(where, at.line(), at.column(), path, message));
    }

    int count() {
        return found.size();
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** Throws the problems, in file order (a stable sort keeps the order of two at one place). */
    void throwIfAny() {
        if (!found.isEmpty()) {
            List<ScenarioProblem> sorted = new ArrayList<>(found);
            sorted.sort(Comparator.comparingInt(ScenarioProblem::line).thenComparingInt(ScenarioProblem::column));
            throw new ScenarioException(sorted);
        }
    }
}
