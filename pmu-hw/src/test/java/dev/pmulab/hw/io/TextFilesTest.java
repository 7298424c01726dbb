package dev.pmulab.hw.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TextFilesTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsUtf8TextWithTabsAndCrlf() throws IOException {
        Path p = write("ok.txt", "caf\u00e9\tau lait\r\nzweite Zeile\n".getBytes(StandardCharsets.UTF_8));
        assertThat(TextFiles.read(p, "note", 100)).isEqualTo("caf\u00e9\tau lait\r\nzweite Zeile\n");
    }

    @Test
    void aMissingFileSaysNoSuchFile() {
        Path p = dir.resolve("nope.txt");
        assertThatThrownBy(() -> TextFiles.read(p, "note", 100))
                .isInstanceOf(TextFileException.class)
                .hasMessage(p + ": no such file")
                .satisfies(e -> assertThat(((TextFileException) e).problem())
                        .isEqualTo(TextFileException.Problem.NO_SUCH_FILE));
        Path under = dir.resolve("nope/below.txt");
        assertThatThrownBy(() -> TextFiles.read(under, "note", 100)).hasMessage(under + ": no such file");
    }

    @Test
    void aDirectoryIsNotAFile() {
        assertThatThrownBy(() -> TextFiles.read(dir, "pmuscript", 100))
                .hasMessage(dir + ": is a directory, not a pmuscript");
    }

    @Test
    void theLimitIsInclusiveAndOneByteMoreIsRefused() throws IOException {
        Path exact = write("exact.txt", "a".repeat(1024).getBytes(StandardCharsets.UTF_8));
        assertThat(TextFiles.read(exact, "note", 1024)).hasSize(1024);
        Path over = write("over.txt", "a".repeat(1025).getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> TextFiles.read(over, "note", 1024))
                .hasMessage(over + ": is larger than 1 KiB, the limit for a note (a hand-written one is a few kB)")
                .satisfies(e ->
                        assertThat(((TextFileException) e).problem()).isEqualTo(TextFileException.Problem.TOO_LARGE));
    }

    @Test
    void anEndlessStreamIsRefusedAsTooLargeWithoutReadingItAll() {
        Path zero = Path.of("/dev/zero");
        if (!Files.exists(zero)) {
            return; // not Linux
        }
        assertThatThrownBy(() -> TextFiles.read(zero, "note", 4096)).hasMessageContaining("is larger than 4 KiB");
    }

    @Test
    void namesTheFirstByteThatIsNotUtf8() throws IOException {
        // "ab" then 0xC3 0x28: a two-byte lead followed by '(' is malformed at byte 2 (counting from 0).
        Path p = write("bad.txt", new byte[] {'a', 'b', (byte) 0xc3, '(', 'x'});
        assertThatThrownBy(() -> TextFiles.read(p, "note", 100))
                .hasMessage(p + ": not UTF-8 text at byte 2 (0xc3); save it as UTF-8");
        // A lone continuation byte.
        Path q = write("cont.txt", new byte[] {'o', 'k', '\n', (byte) 0x80});
        assertThatThrownBy(() -> TextFiles.read(q, "note", 100))
                .hasMessage(q + ": not UTF-8 text at byte 3 (0x80); save it as UTF-8");
        // A sequence cut off by the end of the file.
        Path r = write("cut.txt", new byte[] {'z', (byte) 0xe2, (byte) 0x82});
        assertThatThrownBy(() -> TextFiles.read(r, "note", 100))
                .hasMessage(r + ": not UTF-8 text at byte 1 (0xe2); save it as UTF-8");
    }

    @Test
    void aNulOrOtherControlByteIsNotText() throws IOException {
        Path p = write("nul.bin", new byte[] {'#', ' ', 'x', 0, 'y'});
        assertThatThrownBy(() -> TextFiles.read(p, "note", 100))
                .hasMessage(p + ": not UTF-8 text at byte 3 (control character 0x00)");
        Path esc = write("esc.txt", new byte[] {'a', 0x1b, '[', '2', 'J'});
        assertThatThrownBy(() -> TextFiles.read(esc, "note", 100))
                .hasMessage(esc + ": not UTF-8 text at byte 1 (control character 0x1b)");
    }

    @Test
    void sizesAreWrittenInTheirLargestWholeUnit() {
        assertThat(TextFiles.size(1 << 20)).isEqualTo("1 MiB");
        assertThat(TextFiles.size(64 * 1024)).isEqualTo("64 KiB");
        assertThat(TextFiles.size(1000)).isEqualTo("1000 bytes");
    }
}
