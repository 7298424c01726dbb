package dev.pmulab.cli;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.sim.plugin.LoadedPolicy;
import dev.pmulab.sim.plugin.PolicyRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pmulab policies}: every policy found, with its kind, source, description and settings. */
@Command(
        name = "policies",
        mixinStandardHelpOptions = true,
        description = "List every policy found on the classpath and in plugin directories.")
final class PoliciesCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PolicyRegistry registry = common.registry();
        for (PolicyKind kind : PolicyKind.values()) {
            out.println(kind.configName() + " policies:");
            for (LoadedPolicy p : registry.ofKind(kind)) {
                out.println("  " + p.name() + "  (" + p.source() + ")");
                out.println("      " + p.descriptor().description());
                for (SettingSpec s : p.descriptor().settings()) {
                    out.println("      - " + s.describe());
                }
            }
            if (registry.ofKind(kind).isEmpty()) {
                out.println("  (none)");
            }
        }
        return 0;
    }
}
