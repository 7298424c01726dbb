package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A report format as {@code --format} names it, for {@code pmulab compare} ({@link ReportFormat}) and
 * {@code pmulab reproduce} ({@link ReproductionFormat}) alike: one naming rule (the constant's name in
 * lower case) and one parse rule (an unknown name is refused, listing the known ones).
 */
public interface CliFormat {
    /** The enum constant's name ({@link Enum#name}). */
    String name();

    /** The file extension under {@code --out}, without the dot. */
    String extension();

    /** The name on the command line: the constant's name in lower case ({@code table}, {@code json}). */
    default String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown name, listing the known ones in declaration order */
    static <F extends Enum<F> & CliFormat> F fromCliName(Class<F> formats, String name) {
        requireNonNull(name, "name is null");
        F[] known = formats.getEnumConstants();
        for (F f : known) {
            if (f.cliName().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown report format '" + name + "'; known: "
                + Arrays.stream(known).map(CliFormat::cliName).collect(Collectors.joining(", ")));
    }
}
