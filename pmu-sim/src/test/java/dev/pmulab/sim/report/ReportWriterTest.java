package dev.pmulab.sim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    private static final ReportRenderer THROWS = r -> {
        throw new IllegalStateException("renderer broke");
    };

    @TempDir
    Path dir;

    private final ComparisonReport report = SampleReports.allocationComparison();

    private List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheRenderedReportUnderTheOutDirectory() throws IOException {
        Path out = dir.resolve("reports/new");
        Path written = ReportWriter.writeToDirectory(report, ReportFormat.JSON, out);
        assertThat(written).isEqualTo(out.resolve("flagship-gzip-allocation.json"));
        assertThat(Files.readString(written)).isEqualTo(new JsonRenderer().render(report));
        assertThat(listing(out)).containsExactly("flagship-gzip-allocation.json");
    }

    @Test
    void aRendererThatThrowsLeavesTheOldFileIntactAndNoTempFile() throws IOException {
        Path target = dir.resolve("report.html");
        Files.writeString(target, "the good report");
        assertThatThrownBy(() -> ReportWriter.writeFile(report, THROWS, target)).hasMessage("renderer broke");
        assertThat(Files.readString(target)).isEqualTo("the good report");
        assertThat(listing(dir)).containsExactly("report.html");
    }

    @Test
    void aFailedMoveLeavesNoTempFile() throws IOException {
        // The target is a non-empty directory: the rename must fail after the temp file exists.
        Path target = dir.resolve("taken");
        Files.createDirectories(target.resolve("inside"));
        assertThatThrownBy(() -> ReportWriter.writeFile(report, new TableRenderer(), target))
                .isInstanceOf(IOException.class);
        assertThat(listing(dir)).containsExactly("taken");
        assertThat(listing(target)).containsExactly("inside");
    }

    @Test
    void replacesAnOldFileWholeAndKeepsItsPermissions() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path target = dir.resolve("r.csv");
        Files.writeString(target, "x".repeat(100_000));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        ReportWriter.writeFile(report, ReportFormat.CSV.renderer(), target);
        assertThat(Files.readString(target)).isEqualTo(new CsvRenderer().render(report));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-------");
        assertThat(listing(dir)).containsExactly("r.csv");
    }

    @Test
    void aNewFileIsReadableByOthersLikeAPlainWrite() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path written = ReportWriter.writeToDirectory(report, ReportFormat.TABLE, dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written)))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void standardOutputGetsNothingWhenRenderingThrows() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> ReportWriter.write(report, THROWS, out)).hasMessage("renderer broke");
        assertThat(out.size()).isZero();
        ReportWriter.write(report, ReportFormat.TABLE, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(new TableRenderer().render(report));
    }

    @Test
    void fileNamesStayInTheDirectory() {
        ComparisonReport evil =
                new ComparisonReport("../etc/pass wd", "", 1, report.comparedKind(), report.runs(), List.of());
        String name = ReportWriter.fileName(evil, ReportFormat.HTML);
        assertThat(name).isEqualTo("_._etc_pass_wd-allocation.html").doesNotContain("/");
        assertThat(dir.resolve(name).getParent()).isEqualTo(dir);
    }

    @Test
    void formatsByCliName() {
        assertThat(ReportFormat.fromCliName("html")).isEqualTo(ReportFormat.HTML);
        assertThat(ReportFormat.TABLE.extension()).isEqualTo("txt");
        assertThatThrownBy(() -> ReportFormat.fromCliName("xml")).hasMessageContaining("known: table, csv, json, html");
    }
}
