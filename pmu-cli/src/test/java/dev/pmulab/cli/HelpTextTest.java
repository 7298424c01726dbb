package dev.pmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's --help renders cleanly: picocli formats descriptions with String.format, so an
 * unescaped '%' makes it print a warning and the raw text ("%n" left in place) instead of the help.
 */
final class HelpTextTest {
    private static List<CommandLine> allCommands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            all.addAll(allCommands(sub));
        }
        return all;
    }

    @Test
    void everyCommandsHelpFormatsWithoutAPicocliWarning() {
        List<CommandLine> commands = allCommands(new CommandLine(new Pmulab()));
        assertThat(commands).hasSizeGreaterThan(5);
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (CommandLine c : commands) {
                StringWriter help = new StringWriter();
                c.usage(new PrintWriter(help, true), CommandLine.Help.Ansi.OFF);
                assertThat(help.toString())
                        .as("help of %s", c.getCommandName())
                        .contains("Usage:")
                        .doesNotContain("%n");
            }
        } finally {
            System.setErr(saved);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }
}
