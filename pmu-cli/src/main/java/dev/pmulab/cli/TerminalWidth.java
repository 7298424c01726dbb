package dev.pmulab.cli;

import dev.pmulab.sim.report.ReportFormat;
import dev.pmulab.sim.report.ReportRenderer;
import dev.pmulab.sim.report.TableRenderer;
import java.io.IOException;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * How wide compare's table may be: the terminal's width when standard output is one (JLine asks
 * the terminal), else {@code $COLUMNS} when it is a positive number, else
 * {@link TableRenderer#DEFAULT_WIDTH}. Output redirected to a file or a pipe therefore does not
 * depend on the terminal the command happened to start from.
 */
final class TerminalWidth {
    private TerminalWidth() {}

    /** {@code format}'s renderer for standard output: the table keeps within the terminal's width. */
    static ReportRenderer rendererForStandardOutput(ReportFormat format) {
        return format == ReportFormat.TABLE ? new TableRenderer(ofStandardOutput()) : format.renderer();
    }

    /** The width for the table printed on this process's standard output. */
    static int ofStandardOutput() {
        // Java 17: a console exists only when standard input and output are both terminals.
        int terminal = System.console() == null ? 0 : terminalWidth();
        return choose(terminal, System.getenv());
    }

    /** The terminal's width when positive, else {@code COLUMNS} when it is a positive number, else the default. */
    static int choose(int terminalWidth, Map<String, String> env) {
        if (terminalWidth > 0) {
            return terminalWidth;
        }
        String columns = env.get("COLUMNS");
        if (columns != null && columns.strip().matches("[0-9]{1,6}")) {
            int c = Integer.parseInt(columns.strip());
            if (c > 0) {
                return c;
            }
        }
        return TableRenderer.DEFAULT_WIDTH;
    }

    private static int terminalWidth() {
        try (Terminal t = TerminalBuilder.builder()
                .system(true)
                .systemOutput(TerminalBuilder.SystemOutput.SysOut)
                // A terminal JLine cannot drive is no reason to warn: the fallbacks apply.
                .dumb(true)
                .nativeSignals(false)
                .build()) {
            return t.getWidth();
        } catch (IOException | RuntimeException e) {
            return 0; // no terminal to ask: COLUMNS or the default
        }
    }
}
