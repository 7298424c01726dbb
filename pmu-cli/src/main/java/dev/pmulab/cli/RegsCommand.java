package dev.pmulab.cli;

import dev.pmulab.hw.io.TextFileException;
import dev.pmulab.hw.script.PmuScript;
import dev.pmulab.hw.script.PmuScriptException;
import dev.pmulab.hw.script.PmuScriptRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pmulab regs FILE... [--check]}: runs pmuscripts on the PMUv3 model (docs/pmuscript.md).
 * Every script is parsed before any runs, so a syntax error anywhere runs nothing.
 */
@Command(
        name = "regs",
        description = {
            "Run register scripts (pmuscripts) on the PMUv3 model of one PE and print the outcome of every access.",
            "A directory stands for the *.pmuscript files in it. With --check, compare each script's output with",
            "the .expected file beside it, print every difference, and end with 'N passed, M failed'."
        },
        mixinStandardHelpOptions = true)
final class RegsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--check", description = "Compare with the .expected file beside each script.")
    private boolean check;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "pmuscript files or directories of them.")
    private List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> scripts = new ArrayList<>();
        for (Path p : files) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".pmuscript"))
                            .sorted()
                            .forEach(scripts::add);
                } catch (IOException e) {
                    err.println("pmulab regs: cannot list " + p + ": " + e.getMessage());
                    return Pmulab.EXIT_BAD_INPUT;
                }
            } else {
                scripts.add(p);
            }
        }
        if (scripts.isEmpty()) {
            err.println("pmulab regs: no .pmuscript files in " + files);
            return Pmulab.EXIT_BAD_INPUT;
        }
        List<PmuScript> parsed = new ArrayList<>();
        boolean bad = false;
        for (Path p : scripts) {
            try {
                parsed.add(PmuScript.parse(p));
            } catch (TextFileException e) {
                // Already one line naming the file: no such file, too large, not UTF-8 text at byte N.
                err.println("pmulab regs: " + Messages.cut(e.getMessage()));
                bad = true;
            } catch (IOException e) {
                err.println("pmulab regs: cannot read " + p + ": " + Messages.cut(String.valueOf(e.getMessage())));
                bad = true;
            } catch (PmuScriptException e) {
                err.println("pmulab regs: " + Messages.cut(e.getMessage()));
                bad = true;
            }
        }
        if (bad) {
            err.println("pmulab regs: nothing was run");
            return Pmulab.EXIT_BAD_INPUT;
        }
        return check ? check(parsed, scripts, out, err) : print(parsed, out);
    }

    private static int print(List<PmuScript> parsed, PrintWriter out) {
        for (PmuScript script : parsed) {
            if (parsed.size() > 1) {
                out.println("# " + script.name());
            }
            PmuScriptRunner.run(script).forEach(out::println);
        }
        return 0;
    }

    private static int check(List<PmuScript> parsed, List<Path> paths, PrintWriter out, PrintWriter err) {
        int passed = 0;
        int failed = 0;
        for (int i = 0; i < parsed.size(); i++) {
            PmuScript script = parsed.get(i);
            Path expectedFile = expectedFileOf(paths.get(i));
            List<String> expected;
            try {
                expected = Files.readAllLines(expectedFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                out.println("FAIL " + script.name() + ": no expected output (" + expectedFile + ")");
                failed++;
                continue;
            }
            List<String> actual = PmuScriptRunner.run(script);
            List<String> differences = differences(expected, actual);
            if (differences.isEmpty()) {
                passed++;
            } else {
                failed++;
                out.println("FAIL " + script.name());
                differences.forEach(d -> out.println("  " + d));
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }

    static Path expectedFileOf(Path script) {
        String name = script.getFileName().toString();
        String base = name.endsWith(".pmuscript") ? name.substring(0, name.length() - ".pmuscript".length()) : name;
        return script.resolveSibling(base + ".expected");
    }

    /** Line-by-line differences, each naming the output line number with the expected and actual text. */
    static List<String> differences(List<String> expected, List<String> actual) {
        List<String> d = new ArrayList<>();
        int lines = Math.max(expected.size(), actual.size());
        for (int i = 0; i < lines; i++) {
            String e = i < expected.size() ? expected.get(i) : null;
            String a = i < actual.size() ? actual.get(i) : null;
            if (e == null) {
                d.add("output line " + (i + 1) + ": unexpected   " + a);
            } else if (a == null) {
                d.add("output line " + (i + 1) + ": missing      " + e);
            } else if (!e.equals(a)) {
                d.add("output line " + (i + 1) + ": expected     " + e);
                d.add("output line " + (i + 1) + ": but model    " + a);
            }
        }
        return d;
    }
}
