package dev.pmulab.sim.scenario;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A scenario that cannot run, with every problem found (not just the first), each naming
 * {@code file:line:column} and the field. The message is the problems, one per line, in file order.
 */
public final class ScenarioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<ScenarioProblem> problems;

    public ScenarioException(List<ScenarioProblem> problems) {
        super(join(problems));
        this.problems = List.copyOf(problems);
        if (this.problems.isEmpty()) {
            throw new IllegalArgumentException("a ScenarioException needs at least one problem");
        }
    }

    public ScenarioException(List<ScenarioProblem> problems, Throwable cause) {
        this(problems);
        initCause(cause);
    }

    public List<ScenarioProblem> problems() {
        return problems;
    }

    private static String join(List<ScenarioProblem> problems) {
        return problems.stream().map(ScenarioProblem::toString).collect(Collectors.joining("\n"));
    }
}
