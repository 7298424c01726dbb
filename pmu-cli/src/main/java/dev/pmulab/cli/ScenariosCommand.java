package dev.pmulab.cli;

import dev.pmulab.sim.scenario.BuiltInScenarios;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pmulab scenarios}: the built-in scenarios, one line each. */
@Command(name = "scenarios", mixinStandardHelpOptions = true, description = "List the built-in scenarios.")
final class ScenariosCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int width =
                BuiltInScenarios.names().stream().mapToInt(String::length).max().orElse(10);
        for (BuiltInScenarios.BuiltIn b : BuiltInScenarios.all()) {
            out.printf("%-" + width + "s  %s%n", b.name(), b.description());
        }
        return 0;
    }
}
