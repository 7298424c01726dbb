package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The formats of {@code pmulab reproduce --format}. */
public enum ReproductionFormat {
    TABLE("txt", new ReproductionTableRenderer()),
    JSON("json", new ReproductionJsonRenderer()),
    HTML("html", new ReproductionHtmlRenderer()),
    /** docs/validation.md: the hand-written header, then the tables. */
    MARKDOWN("md", new ReproductionMarkdownRenderer());

    /** The file name under {@code --out DIR}, before the extension. */
    public static final String FILE_BASE = "validation";

    private final String extension;
    private final ReproductionRenderer renderer;

    ReproductionFormat(String extension, ReproductionRenderer renderer) {
        this.extension = extension;
        this.renderer = renderer;
    }

    /** The name on the command line: {@code table}, {@code json}, {@code html}, {@code markdown}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The file extension under {@code --out}, without the dot. */
    public String extension() {
        return extension;
    }

    /** {@code validation.<extension>}: with {@code --format markdown --out docs}, docs/validation.md. */
    public String fileName() {
        return FILE_BASE + "." + extension;
    }

    public ReproductionRenderer renderer() {
        return renderer;
    }

    /** @throws IllegalArgumentException for an unknown name, listing the known ones */
    public static ReproductionFormat fromCliName(String name) {
        requireNonNull(name, "name is null");
        for (ReproductionFormat f : values()) {
            if (f.cliName().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown report format '" + name + "'; known: "
                + Arrays.stream(values()).map(ReproductionFormat::cliName).collect(Collectors.joining(", ")));
    }
}
