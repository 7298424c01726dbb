package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a rendered report to standard output or to a file under {@code --out DIR}. The report is
 * rendered completely in memory first, so a renderer that throws writes nothing. A file is written
 * to a temporary file in the target's directory, forced to disk, and renamed over the target in one
 * atomic step: a reader sees the old file or the new one, never half of either, and a failure
 * leaves the old file as it was and no temporary file behind. Text is UTF-8.
 */
public final class ReportWriter {
    private static final Set<PosixFilePermission> NEW_FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

    private ReportWriter() {}

    /** Renders {@code report} and writes it to {@code out} (not closed). */
    public static void write(ComparisonReport report, ReportFormat format, OutputStream out) throws IOException {
        requireNonNull(format, "format is null");
        write(report, format.renderer(), out);
    }

    /** Renders {@code report} and writes it to {@code out} (not closed); nothing is written if rendering throws. */
    public static void write(ComparisonReport report, ReportRenderer renderer, OutputStream out) throws IOException {
        requireNonNull(report, "report is null");
        requireNonNull(renderer, "renderer is null");
        requireNonNull(out, "out is null");
        byte[] bytes = renderer.render(report).getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        out.flush();
    }

    /**
     * Renders {@code report} into {@code dir/}{@link #fileName}, creating {@code dir} if needed.
     *
     * @return the file written
     */
    public static Path writeToDirectory(ComparisonReport report, ReportFormat format, Path dir) throws IOException {
        requireNonNull(report, "report is null");
        requireNonNull(format, "format is null");
        requireNonNull(dir, "dir is null");
        Path target = dir.resolve(fileName(report, format));
        writeFile(report, format.renderer(), target);
        return target;
    }

    /**
     * Renders {@code report} and atomically replaces {@code target} with it. If rendering or writing
     * fails, {@code target} is untouched and no temporary file remains.
     */
    public static void writeFile(ComparisonReport report, ReportRenderer renderer, Path target) throws IOException {
        requireNonNull(report, "report is null");
        requireNonNull(renderer, "renderer is null");
        requireNonNull(target, "target is null");
        String text = renderer.render(report);
        writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Renders a {@code pmulab reproduce} report into {@code dir/}{@link ReproductionFormat#fileName}
     * ({@code validation.md} for Markdown), atomically as {@link #writeFile} does, creating
     * {@code dir} if needed.
     *
     * @return the file written
     */
    public static Path writeToDirectory(ReproductionReport report, ReproductionFormat format, Path dir)
            throws IOException {
        requireNonNull(report, "report is null");
        requireNonNull(format, "format is null");
        requireNonNull(dir, "dir is null");
        Path target = dir.resolve(format.fileName());
        String text = format.renderer().render(report);
        writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
        return target;
    }

    /**
     * Renders a {@code pmulab reproduce --fit} report into {@code dir/}{@link CostFitFormat#fileName}
     * ({@code cost-fit.txt} or {@code cost-fit.csv}), atomically as {@link #writeFile} does.
     *
     * @return the file written
     */
    public static Path writeToDirectory(CostFitReport report, CostFitFormat format, Path dir) throws IOException {
        requireNonNull(report, "report is null");
        requireNonNull(format, "format is null");
        requireNonNull(dir, "dir is null");
        Path target = dir.resolve(format.fileName());
        writeAtomically(target, format.render(report).getBytes(StandardCharsets.UTF_8));
        return target;
    }

    /**
     * {@code <scenario>-<compared kind>.<extension>}, e.g. {@code flagship-allocation.html}: comparing
     * another kind of the same scenario does not overwrite it. Characters outside
     * {@code [A-Za-z0-9._-]} become {@code _}, and a leading dot too, so a scenario name cannot
     * leave the directory or hide the file.
     */
    public static String fileName(ComparisonReport report, ReportFormat format) {
        return fileName(report.scenario(), report.comparedKind(), format);
    }

    /** {@link #fileName(ComparisonReport, ReportFormat)} before the report exists (to check {@code --out} first). */
    public static String fileName(String scenario, PolicyKind comparedKind, ReportFormat format) {
        StringBuilder sb = new StringBuilder();
        String base = scenario + "-" + comparedKind.configName();
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || (c == '.' && i > 0);
            sb.append(safe ? c : '_');
        }
        return sb.append('.').append(format.extension()).toString();
    }

    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        // Same directory as the target: the rename stays within one file system, hence atomic.
        Path tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            copyPermissions(absolute, tmp);
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * A temporary file is created owner-only; the report keeps the permissions of the file it
     * replaces, or gets rw-r--r-- when new, as a plain write would under the usual umask.
     */
    private static void copyPermissions(Path target, Path tmp) throws IOException {
        PosixFileAttributeView tmpView = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (tmpView == null) {
            return;
        }
        PosixFileAttributeView targetView =
                Files.getFileAttributeView(target, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> perms = NEW_FILE_PERMISSIONS;
        if (targetView != null && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            perms = targetView.readAttributes().permissions();
        }
        tmpView.setPermissions(perms);
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // The original failure is what the caller needs to see; a stray temp file is harmless.
        }
    }
}
