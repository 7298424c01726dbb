package dev.pmulab.hw.io;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * A text input that was refused before anything read its contents: the message is one line,
 * {@code FILE: what is wrong}, and {@link #problem()} says which check refused it.
 */
public final class TextFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why a file was refused. */
    public enum Problem {
        /** The path names nothing. */
        NO_SUCH_FILE,
        /** The path names a directory. */
        DIRECTORY,
        /** More bytes than the limit for its kind of file. */
        TOO_LARGE,
        /** Bytes that are not UTF-8, or control characters that no text file holds. */
        NOT_UTF8_TEXT,
        /** The operating system refused to read it (permissions, I/O error). */
        UNREADABLE
    }

    private final Problem problem;

    public TextFileException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = requireNonNull(problem, "problem is null");
    }

    public Problem problem() {
        return problem;
    }
}
