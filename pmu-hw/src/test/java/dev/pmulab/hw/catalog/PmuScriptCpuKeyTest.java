package dev.pmulab.hw.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.hw.script.PmuScript;
import dev.pmulab.hw.script.PmuScriptException;
import dev.pmulab.hw.script.PmuScriptRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pmuscript {@code cpu=NAME} config key. */
final class PmuScriptCpuKeyTest {

    private static List<String> run(String text) throws PmuScriptException {
        return PmuScriptRunner.run(PmuScript.parse("test.pmuscript", text));
    }

    @Test
    void cortexA710ReadsTwentyCountersAtEl2() throws Exception {
        // PMCR_EL0.N is bits [15:11]: 20 << 11 = 0xa000, QEMU's a710 reset value (IMP and IDCODE 0).
        assertThat(run("config cpu=cortex-a710\nread PMCR_EL0\n"))
                .containsExactly("read PMCR_EL0 -> 0x000000000000a000");
    }

    @Test
    void aLaterKeyOnTheSameLineOverridesN() throws Exception {
        assertThat(run("config cpu=cortex-a710 n=8\nread PMCR_EL0\n"))
                .containsExactly("read PMCR_EL0 -> 0x0000000000004000");
    }

    @Test
    void aLaterConfigLineOverridesToo() throws Exception {
        PmuScript s = PmuScript.parse("t", "config cpu=cortex-a710\nconfig n=8 fgt=1 hpmn0=1\n");
        assertThat(s.config().n()).isEqualTo(8);
        assertThat(s.config().fgt()).isTrue();
        assertThat(s.config().hpmn0()).isTrue();
        assertThat(s.config().version())
                .isEqualTo(CpuCatalog.byName("cortex-a710").version().value());
    }

    @Test
    void cpuReplacesKeysBeforeIt() throws Exception {
        PmuScript s = PmuScript.parse("t", "config n=8 imp=0x12 cu=razwi cpu=cortex-a710\n");
        assertThat(s.config().n()).isEqualTo(20);
        assertThat(s.config().imp()).isZero();
        // cu is not a catalog value, so cpu= leaves it.
        assertThat(s.config().cu().configName()).isEqualTo("razwi");
    }

    @Test
    void theConfigIsTheCatalogs() throws Exception {
        for (String name : new String[] {"neoverse-v3", "cortex-a53", "ampereone"}) {
            assertThat(PmuScript.parse("t", "config cpu=" + name + "\n").config())
                    .isEqualTo(CpuCatalog.byName(name).pmuConfig());
        }
    }

    @Test
    void cortexA76ReadsQemusResetPmcrAndPmceid() throws Exception {
        long pmceid0 = CpuCatalog.byName("cortex-a76").pmuConfig().pmceid0();
        assertThat(run("config cpu=Cortex-A76\nread PMCR_EL0\nread PMCEID0_EL0\n"))
                .containsExactly(
                        "read PMCR_EL0 -> 0x00000000410b3000", String.format("read PMCEID0_EL0 -> 0x%016x", pmceid0));
    }

    @Test
    void el1SeesHpmnWhichResetsToTheCatalogN() throws Exception {
        assertThat(run("config cpu=cortex-a710\nel 1\nread PMCR_EL0\nel 2\nwrite MDCR_EL2 0x4\nel 1\nread PMCR_EL0\n"))
                .containsExactly(
                        "read PMCR_EL0 -> 0x000000000000a000",
                        "write MDCR_EL2 0x4 -> ok",
                        "read PMCR_EL0 -> 0x0000000000002000");
    }

    @Test
    void unknownCpuNamesFileLineAndKnownCpus() {
        assertThatThrownBy(() -> PmuScript.parse("x.pmuscript", "# a comment\nconfig n=4 cpu=cortex-a99\n"))
                .isInstanceOfSatisfying(PmuScriptException.class, e -> {
                    assertThat(e.file()).isEqualTo("x.pmuscript");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.getMessage())
                            .isEqualTo("x.pmuscript:2: bad config value cpu=cortex-a99: unknown CPU"
                                    + " 'cortex-a99'; known: " + String.join(", ", CpuCatalog.names()));
                });
    }

    @Test
    void cpuIsAConfigKey() {
        assertThat(PmuScript.CONFIG_KEYS).contains("cpu");
        assertThatThrownBy(() -> PmuScript.parse("t", "config cpus=cortex-a76\n"))
                .isInstanceOf(PmuScriptException.class)
                .hasMessageContaining("unknown config key 'cpus'")
                .hasMessageContaining(", cpu)");
    }
}
