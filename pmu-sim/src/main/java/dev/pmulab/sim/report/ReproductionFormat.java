package dev.pmulab.sim.report;

/** The formats of {@code pmulab reproduce --format}. */
public enum ReproductionFormat implements CliFormat {
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

    @Override
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

    /** {@code table}, {@code json}, {@code html}, {@code markdown}; see {@link CliFormat#fromCliName(Class, String)}. */
    public static ReproductionFormat fromCliName(String name) {
        return CliFormat.fromCliName(ReproductionFormat.class, name);
    }
}
