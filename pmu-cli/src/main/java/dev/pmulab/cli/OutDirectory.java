package dev.pmulab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code --out DIR}, checked before anything runs: a run of minutes must not end in "cannot write
 * there". The report is later written atomically (ReportWriter), so a run that fails leaves the
 * directory as it was.
 */
final class OutDirectory {
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

    private OutDirectory() {}

    /**
     * Checks that the report {@code fileName} can be written into {@code out}, creating nothing:
     * the path is not empty, it is a directory or can become one, a file can be created there, and
     * the report's own path is not a directory.
     *
     * @return the report file it will replace, if there is one
     * @throws IllegalArgumentException naming {@code --out} and the reason (exit 2)
     */
    static Optional<Path> check(Path out, String fileName) {
        String given = out.toString();
        if (given.isBlank()) {
            throw new IllegalArgumentException("--out is an empty path; give the directory the report goes into");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + given + " is a file, not a directory; --out names the "
                    + "directory the report goes into (as " + fileName + ")");
        }
        Path existing = out.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IllegalArgumentException("--out " + given + ": no part of the path exists");
        }
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException(
                    "--out " + given + " cannot be created: " + existing + " is a file, not a directory");
        }
        try {
            // The honest test of "can a file be created there": create one (read-only mounts, ACLs, root squash).
            Path probe = Files.createTempFile(existing, ".pmulab-out-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(
                    "--out " + given + ": cannot write in " + existing + " (" + reason(e) + ")");
        }
        Path target = out.resolve(fileName);
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException(
                    "--out " + given + ": " + target + " is a directory, where the report " + "file would go");
        }
        return Files.isRegularFile(target) ? Optional.of(target) : Optional.empty();
    }

    /** {@code FILE (written 2026-12-05 10:41)}, for the line that says what a report replaces. */
    static String describe(Path report) {
        try {
            Instant t = Files.getLastModifiedTime(report).toInstant();
            return report + " (written " + WHEN.format(t) + ")";
        } catch (IOException e) {
            return report.toString();
        }
    }

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
