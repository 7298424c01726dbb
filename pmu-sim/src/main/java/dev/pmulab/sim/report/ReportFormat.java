package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/** The formats of {@code pmulab compare --format}. */
public enum ReportFormat {
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

    /** The name on the command line: {@code table}, {@code csv}, {@code json}, {@code html}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The file extension under {@code --out}, without the dot. */
    public String extension() {
        return extension;
    }

    public ReportRenderer renderer() {
        return renderer;
    }

    /** @throws IllegalArgumentException for an unknown name, listing the known ones */
    public static ReportFormat fromCliName(String name) {
        requireNonNull(name, "name is null");
        for (ReportFormat f : values()) {
            if (f.cliName().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown report format '" + name + "'; known: table, csv, json, html");
    }
}
