package dev.pmulab.hw.script;

/** A pmuscript that cannot run: a syntax error, an unknown register or a bad config value. */
public final class PmuScriptException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    public PmuScriptException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }
}
