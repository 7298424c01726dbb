package dev.pmulab.hw.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reference vector of shared/vectors/pmuv3 (copied into the test resources) must produce its
 * .expected output exactly.
 */
final class PmuV3VectorsTest {

    static Stream<Path> vectors() throws IOException, URISyntaxException {
        Path dir =
                Paths.get(PmuV3VectorsTest.class.getResource("/vectors/pmuv3").toURI());
        return Files.list(dir).filter(p -> p.toString().endsWith(".pmuscript")).sorted();
    }

    @Test
    void allVectorsArePresent() throws Exception {
        // 24 named scripts and 30 random ones ship with the reference set.
        assertThat(vectors().count()).isEqualTo(54);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vectorProducesExpectedOutput(Path script) throws Exception {
        Path expectedFile = Paths.get(script.toString().replaceFirst("\\.pmuscript$", ".expected"));
        List<String> expected = Files.readAllLines(expectedFile, StandardCharsets.UTF_8);
        List<String> actual = PmuScriptRunner.run(PmuScript.parse(script));
        assertThat(actual).containsExactlyElementsOf(expected);
    }
}
