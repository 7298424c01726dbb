package dev.pmulab.hw.io;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a hand-written input file (a scenario, a pmuscript) or refuses it with one clear line
 * before any parser sees it: a missing file, a directory, a file above the size limit of its kind
 * (a parser given 50 MB spins for minutes with no output), or bytes that are not UTF-8 text. At
 * most {@code limit + 1} bytes are ever read, so {@code /dev/zero} or a pipe that never ends is
 * refused as too large rather than read forever.
 */
public final class TextFiles {
    private TextFiles() {}

    /**
     * The file's text.
     *
     * @param what what the file is, for messages ("scenario file", "pmuscript")
     * @param limitBytes the largest accepted size
     * @throws TextFileException {@code FILE: no such file}, {@code FILE: is a directory ...},
     *     {@code FILE: is larger than ...}, {@code FILE: not UTF-8 text at byte N ...} (N counts
     *     from 0, as {@code xxd} and {@code cmp -l} less one show it), or {@code FILE: cannot read ...}
     */
    public static String read(Path file, String what, long limitBytes) throws TextFileException {
        requireNonNull(file, "file is null");
        requireNonNull(what, "what is null");
        if (Files.isDirectory(file)) {
            throw new TextFileException(
                    TextFileException.Problem.DIRECTORY, file + ": is a directory, not a " + what, null);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limitBytes + 1));
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw new TextFileException(TextFileException.Problem.NO_SUCH_FILE, file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new TextFileException(
                    TextFileException.Problem.UNREADABLE, file + ": cannot read it: permission denied", e);
        } catch (IOException e) {
            throw new TextFileException(
                    TextFileException.Problem.UNREADABLE,
                    file + ": cannot read it: "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        }
        if (bytes.length > limitBytes) {
            throw new TextFileException(
                    TextFileException.Problem.TOO_LARGE,
                    file + ": is larger than " + size(limitBytes) + ", the limit for a " + what
                            + " (a hand-written one is a few kB)",
                    null);
        }
        return decode(file.toString(), bytes);
    }

    /**
     * {@code bytes} as UTF-8 text, or a refusal naming the first byte that is not: a malformed
     * sequence, or a C0 control character other than tab, line feed, form feed and carriage return
     * (a NUL is the usual sign of a binary file, and is valid UTF-8).
     */
    public static String decode(String name, byte[] bytes) throws TextFileException {
        int control = -1;
        for (int i = 0; i < bytes.length && control < 0; i++) {
            int b = bytes[i];
            if ((b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\f' && b != '\r') || b == 0x7f) {
                control = i;
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        int malformed = r.isError() ? in.position() : -1;
        // Whichever comes first: a UTF-16 file's BOM (0xff) before its NUL bytes, a NUL before a Latin-1 letter.
        if (malformed >= 0 && (control < 0 || malformed < control)) {
            throw new TextFileException(
                    TextFileException.Problem.NOT_UTF8_TEXT,
                    name + ": not UTF-8 text at byte "
                            + malformed + " (0x" + String.format(Locale.ROOT, "%02x", bytes[malformed] & 0xff)
                            + "); save it as UTF-8",
                    null);
        }
        if (control >= 0) {
            throw new TextFileException(
                    TextFileException.Problem.NOT_UTF8_TEXT,
                    name + ": not UTF-8 text at byte " + control + " (control character 0x"
                            + String.format(Locale.ROOT, "%02x", bytes[control]) + ")",
                    null);
        }
        out.flip();
        return out.toString();
    }

    /** {@code 1 MiB}, {@code 64 KiB}, {@code 512 bytes}. */
    public static String size(long bytes) {
        if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }
}
