package dev.pmulab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * pmu-api's public API must equal the checked-in {@code pmu-api/api-signature.txt}, so that every
 * change to the SPI that policies compile against shows in review as a change to that file.
 * {@code -Dpmulab.updateApiSignature=true} rewrites the file instead of comparing.
 */
final class ApiSignatureTest {
    static final String UPDATE_PROPERTY = "pmulab.updateApiSignature";
    static final String UPDATE_COMMAND = "mvn -o -pl pmu-api test -D" + UPDATE_PROPERTY + "=true";
    private static final String FILE = "api-signature.txt";

    @Test
    void publicApiMatchesTheCheckedInSignature() throws Exception {
        String actual = ApiSignature.of(PolicyDescriptor.class, UPDATE_COMMAND);
        // Surefire runs in the module's directory and sets basedir to it; the file is read from the
        // source tree, not from the class path, so a stale copy can never pass.
        Path file = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .resolve(FILE);
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            System.out.println("Wrote " + file + "; review it and commit it with the API change.");
            return;
        }
        if (!Files.exists(file)) {
            fail("pmu-api/%s is missing. Generate it with:%n  %s", FILE, UPDATE_COMMAND);
        }
        String expected = Files.readString(file, StandardCharsets.UTF_8);
        String diff = UnifiedDiff.of(
                "pmu-api/" + FILE + " (checked in)",
                expected.lines().toList(),
                "pmu-api's compiled public API",
                actual.lines().toList());
        if (!diff.isEmpty()) {
            fail(
                    "pmu-api's public API differs from pmu-api/%s:%n%s%nIf the change is intended, regenerate the"
                            + " file and commit it with the change:%n  %s%n",
                    FILE, diff, UPDATE_COMMAND);
        }
    }

    @Test
    void theDiffShowsRemovedAndAddedLinesWithContext() {
        List<String> before = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        List<String> after = List.of("a", "b", "c", "d", "E", "f", "g", "h", "i", "j", "k");
        // Line 5 changed (context lines 2-4 and 6-8), and k appended after j (context 8-10): the two
        // changes are 4 unchanged lines apart, at most 2 * 3, so they share one hunk, lines 2-10 of
        // the old side (9 lines) and 2-11 of the new (10 lines).
        assertThat(UnifiedDiff.of("old", before, "new", after)).isEqualTo("""
                --- old
                +++ new
                @@ -2,9 +2,10 @@
                 b
                 c
                 d
                -e
                +E
                 f
                 g
                 h
                 i
                 j
                +k
                """);
        assertThat(UnifiedDiff.of("old", before, "new", before)).isEmpty();
    }

    /** Declarations of each kind the SPI may grow: the renderer must spell them all. */
    public sealed interface Shape permits Circle, Polygon {}

    public record Circle(java.util.List<? extends Number> radii) implements Shape {}

    public abstract static non-sealed class Polygon implements Shape {
        public static final String NAME = "poly\"gon";
        protected transient int sides;

        protected Polygon() {}

        public abstract <T extends Comparable<T>> T largest(java.util.List<T> all, String... labels)
                throws java.io.IOException;

        public synchronized void grow() {}
    }

    public enum Unit {
        MM,
        INCH
    }

    @Test
    void rendersEachKindOfDeclaration() {
        String prefix = "dev.pmulab.api.ApiSignatureTest$";
        assertThat(ApiSignature.header(Shape.class))
                .isEqualTo("public sealed interface " + prefix + "Shape permits " + prefix + "Circle, " + prefix
                        + "Polygon");
        assertThat(ApiSignature.header(Circle.class))
                .isEqualTo("public record " + prefix
                        + "Circle(java.util.List<? extends java.lang.Number> radii) implements " + prefix + "Shape");
        assertThat(ApiSignature.header(Polygon.class))
                .isEqualTo(
                        "public abstract static non-sealed class " + prefix + "Polygon implements " + prefix + "Shape");
        assertThat(ApiSignature.header(Unit.class)).isEqualTo("public enum " + prefix + "Unit { MM, INCH }");
        // transient and synchronized are left out: they say how, not what.
        assertThat(ApiSignature.members(Polygon.class))
                .containsExactly(
                        "constructor protected " + prefix + "Polygon()",
                        "field protected int sides",
                        "field public static final java.lang.String NAME = \"poly\\\"gon\"",
                        "method public abstract <T extends java.lang.Comparable<T>> T largest(java.util.List<T>, java.lang.String...)"
                                + " throws java.io.IOException",
                        "method public void grow()");
        assertThat(ApiSignature.header(Experimental.class)).isEqualTo("public @interface dev.pmulab.api.Experimental");
    }
}
