package dev.pmulab.cli;

import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioPolicies;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pmulab validate FILE...}: checks scenarios (format, values, policies) without running them. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Check scenario files without running them: the format, every value, and the policies and "
                + "their settings against those installed.")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Parameters(arity = "1..*", paramLabel = "SCENARIO", description = "Scenario files or built-in names.")
    private List<String> scenarios;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        var registry = common.registry();
        for (String name : scenarios) {
            Scenario s = CommonOptions.scenario(name);
            ScenarioPolicies.select(s, registry);
            out.println(name + ": ok (" + s.name() + ")");
        }
        return 0;
    }
}
