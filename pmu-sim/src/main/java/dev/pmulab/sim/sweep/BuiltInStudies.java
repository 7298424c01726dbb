package dev.pmulab.sim.sweep;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The studies that ship with pmulab, as sweep files under {@code dev/pmulab/sim/studies/}; found
 * by name as built-in scenarios are ({@code pmulab sweep reservation}).
 */
public final class BuiltInStudies {
    private static final String RESOURCE_DIR = "/dev/pmulab/sim/studies/";

    /** The seeds' central question: how many counters should the host keep. */
    public static final String RESERVATION = "reservation";

    private static final List<String> NAMES = List.of(RESERVATION);

    private BuiltInStudies() {}

    public static List<String> names() {
        return NAMES;
    }

    /** The sweep file name messages call a built-in study by. */
    public static String fileName(String name) {
        return name + ".yaml";
    }

    /**
     * The YAML text of the built-in study {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static String yaml(String name) {
        requireNonNull(name, "name is null");
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException(
                    "unknown built-in study '" + name + "'; known: " + String.join(", ", NAMES));
        }
        try (InputStream in = BuiltInStudies.class.getResourceAsStream(RESOURCE_DIR + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("built-in study " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in study " + name, e);
        }
    }

    /** The built-in study {@code name}, read. */
    public static SweepSpec spec(String name) {
        return SweepReader.read(fileName(name), yaml(name));
    }
}
