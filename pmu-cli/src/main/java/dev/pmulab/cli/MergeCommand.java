package dev.pmulab.cli;

import dev.pmulab.sim.sweep.PointResult;
import dev.pmulab.sim.sweep.SweepOutput;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pmulab merge}: joins a sweep's parts (the shards of a job array) into the whole sweep's output. */
@Command(
        name = "merge",
        mixinStandardHelpOptions = true,
        description = {
            "Join the parts of one sweep (each a directory pmulab sweep --shard wrote, or its points.jsonl)",
            "and write the whole sweep's output into DIR, in plan order: the same bytes as the sweep run",
            "unsharded. Refuses parts of different sweeps and reports the points no part has.",
            "Exit status: 0 merged and every run finished; 1 merged, a run failed; 2 bad input."
        })
final class MergeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PART", description = "A shard's output directory or points.jsonl.")
    private List<Path> parts;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the merged output goes.")
    private Path out;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<PointResult> results = SweepOutput.merge(parts, out);
        err.println("pmulab merge: " + parts.size() + " parts, " + results.size() + " points -> " + out);
        return results.stream().allMatch(PointResult::ok) ? 0 : Pmulab.EXIT_RUN_FAILED;
    }
}
