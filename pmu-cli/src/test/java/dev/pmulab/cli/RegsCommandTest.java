package dev.pmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RegsCommandTest {
    /** The shared reference vectors, as copied into pmu-hw's test resources. */
    private static final Path VECTORS = Paths.get("../pmu-hw/src/test/resources/vectors/pmuv3");

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {}

    private static Result pmulab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Pmulab.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void everySharedVectorPassesThroughRegsCheck() {
        Result r = pmulab("regs", "--check", VECTORS.toString());
        assertThat(r.out()).endsWith("54 passed, 0 failed" + System.lineSeparator());
        assertThat(r.out()).doesNotContain("FAIL");
        assertThat(r.status()).isZero();
    }

    @Test
    void printsTheOutcomeOfEveryAccess() throws IOException {
        Path s = write(
                "a.pmuscript", "read PMCR_EL0\nwrite MDCR_EL2 70  # HPMN=6, TPM\nel 1\nread PMCR_EL0\nread PMUIRQ\n");
        Result r = pmulab("regs", s.toString());
        assertThat(r.out().lines())
                .containsExactly(
                        "read PMCR_EL0 -> 0x0000000041013000",
                        "write MDCR_EL2 0x46 -> ok",
                        "read PMCR_EL0 -> TRAP EL2 EC=0x18",
                        "read PMUIRQ -> 0x0000000000000000");
        assertThat(r.status()).isZero();
    }

    @Test
    void checkPrintsEachDifferenceAndFails() throws IOException {
        Path s = write("b.pmuscript", "read PMCR_EL0\nread MDCR_EL2\nread PMSELR_EL0\n");
        write("b.expected", "read PMCR_EL0 -> 0x0000000041013000\nread MDCR_EL2 -> 0x0000000000000004\n");
        Result r = pmulab("regs", "--check", s.toString());
        assertThat(r.out())
                .contains("FAIL " + s)
                .contains("output line 2: expected     read MDCR_EL2 -> 0x0000000000000004")
                .contains("output line 2: but model    read MDCR_EL2 -> 0x0000000000000006")
                .contains("output line 3: unexpected   read PMSELR_EL0 -> 0x0000000000000000")
                .endsWith("0 passed, 1 failed" + System.lineSeparator());
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void missingExpectedFileIsAFailure() throws IOException {
        Path s = write("c.pmuscript", "read PMCR_EL0\n");
        Result r = pmulab("regs", "--check", s.toString());
        assertThat(r.out()).contains("no expected output").contains("0 passed, 1 failed");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void syntaxErrorNamesFileAndLineAndRunsNothing() throws IOException {
        Path good = write("good.pmuscript", "read PMCR_EL0\n");
        Path bad = write("bad.pmuscript", "read PMCR_EL0\n\nwrte PMCR_EL0 0x1\n");
        Result r = pmulab("regs", good.toString(), bad.toString());
        assertThat(r.err()).contains(bad + ":3: unknown statement 'wrte'").contains("nothing was run");
        assertThat(r.out()).as("no script ran, not even the good one").isEmpty();
        assertThat(r.status()).isEqualTo(Pmulab.EXIT_BAD_INPUT);
    }

    @Test
    void unknownRegisterAndBadConfigAreNamed() throws IOException {
        Path reg = write("reg.pmuscript", "read PMEVCNTR31_EL0\n");
        Path cfg = write("cfg.pmuscript", "config n=40\nread PMCR_EL0\n");
        Path late = write("late.pmuscript", "read PMCR_EL0\nconfig n=4\n");
        Path key = write("key.pmuscript", "config colour=blue\n");
        assertThat(pmulab("regs", reg.toString()).err()).contains(reg + ":1: unknown register PMEVCNTR31_EL0");
        assertThat(pmulab("regs", cfg.toString()).err()).contains(cfg + ":1: bad config value n=40");
        assertThat(pmulab("regs", late.toString()).err()).contains(late + ":2: config must come before");
        assertThat(pmulab("regs", key.toString()).err())
                .contains(key + ":1: unknown config key 'colour'")
                .contains("known: n, pmuver");
    }

    @Test
    void missingFileIsBadInput() {
        Result r = pmulab("regs", dir.resolve("nope.pmuscript").toString());
        assertThat(r.err()).contains("nope.pmuscript: no such file");
        assertThat(r.status()).isEqualTo(Pmulab.EXIT_BAD_INPUT);
    }

    @Test
    void unknownSubcommandIsRefused() {
        Result r = pmulab("frobnicate");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("frobnicate");
    }
}
