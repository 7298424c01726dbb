package dev.pmulab.sim.report;

/** The formats of {@code pmulab compare --format}. */
public enum ReportFormat implements CliFormat {
    TABLE("txt", new TableRenderer()),
    CSV("csv", new CsvRenderer()),
    JSON("json", new JsonRenderer()),
    HTML("html", new HtmlRenderer());

    private final String extension;
    private final ReportRenderer renderer;

    ReportFormat(String extension, ReportRenderer renderer) {
        this.extension = extension;
        this.renderer = renderer;
    }

    @Override
    public String extension() {
        return extension;
    }

    public ReportRenderer renderer() {
        return renderer;
    }

    /** {@code table}, {@code csv}, {@code json}, {@code html}; see {@link CliFormat#fromCliName(Class, String)}. */
    public static ReportFormat fromCliName(String name) {
        return CliFormat.fromCliName(ReportFormat.class, name);
    }
}
