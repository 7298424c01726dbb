package dev.pmulab.hw.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.hw.PmuVersion;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

final class CpuCatalogTest {

    static Stream<CpuModel> allCpus() {
        return CpuCatalog.all().stream();
    }

    @Test
    void hasEveryCoreTheIssueNames() {
        assertThat(CpuCatalog.names())
                .contains(
                        "cortex-a53",
                        "cortex-a55",
                        "cortex-a57",
                        "cortex-a72",
                        "cortex-a76",
                        "cortex-a77",
                        "cortex-a78",
                        "cortex-x1",
                        "cortex-a510",
                        "cortex-a520",
                        "cortex-a710",
                        "cortex-a715",
                        "cortex-a720",
                        "cortex-x3",
                        "cortex-x4",
                        "neoverse-n1",
                        "neoverse-n2",
                        "neoverse-v1",
                        "neoverse-v2",
                        "neoverse-v3",
                        "ampereone");
        // The reference rows added because they were cheap.
        assertThat(CpuCatalog.names()).contains("cortex-a78ae", "cortex-a35", "a64fx", "neoverse-v3ae");
        assertThat(CpuCatalog.names()).hasSize(25);
    }

    @Test
    void cortexA710HasTwentyCountersAndNoFgt() {
        CpuModel a710 = CpuCatalog.byName("cortex-a710");
        assertThat(a710.n()).isEqualTo(Sourced.known(20, a710.n().source()));
        assertThat(a710.n().source()).contains("0xa000");
        assertThat(a710.fgt().value()).isFalse();
        assertThat(a710.fgt().provenance()).isEqualTo(Provenance.KNOWN);
        assertThat(a710.version().value()).isEqualTo(PmuVersion.P5);
        assertThat(a710.pmuConfig().n()).isEqualTo(20);
    }

    @Test
    void neoverseN1IsPmuV3p1WithSixCounters() {
        CpuModel n1 = CpuCatalog.byName("neoverse-n1");
        assertThat(n1.version().value()).isEqualTo(PmuVersion.P1);
        assertThat(n1.version().provenance()).isEqualTo(Provenance.KNOWN);
        assertThat(n1.n().value()).isEqualTo(6);
        assertThat(n1.n().provenance()).isEqualTo(Provenance.KNOWN);
        assertThat(n1.arch()).isEqualTo(ArchLevel.V8_2);
    }

    @Test
    void neoverseV3HasBrbe() {
        CpuModel v3 = CpuCatalog.byName("neoverse-v3");
        assertThat(v3.brbe().value()).isTrue();
        assertThat(v3.brbe().provenance()).isEqualTo(Provenance.KNOWN);
        assertThat(v3.pmuConfig().brbe()).isTrue();
        // FGT comes with v9.2; HPMN0 is unknown there.
        assertThat(v3.fgt())
                .extracting(Sourced::value, Sourced::provenance)
                .containsExactly(true, Provenance.ARCH_IMPLIED);
        assertThat(v3.hpmn0().provenance()).isEqualTo(Provenance.ASSUMED);
    }

    @Test
    void cortexA53IsPlainPmuV3() {
        CpuModel a53 = CpuCatalog.byName("cortex-a53");
        assertThat(a53.version().value()).isEqualTo(PmuVersion.V3);
        assertThat(a53.arch()).isEqualTo(ArchLevel.V8_0);
        assertThat(a53.n().value()).isEqualTo(6);
        assertThat(a53.fgt().provenance()).isEqualTo(Provenance.ARCH_IMPLIED);
    }

    @Test
    void unknownValuesOfTheReferenceAreAssumedNotKnown() {
        for (String name : new String[] {
            "cortex-x1",
            "cortex-a510",
            "cortex-a715",
            "cortex-x3",
            "cortex-a520",
            "cortex-a720",
            "cortex-x4",
            "neoverse-v3",
            "neoverse-v3ae",
            "ampereone"
        }) {
            assertThat(CpuCatalog.byName(name).n().provenance()).as(name).isEqualTo(Provenance.ASSUMED);
        }
        assertThat(CpuCatalog.byName("a64fx").n())
                .extracting(Sourced::value, Sourced::provenance)
                .containsExactly(8, Provenance.KNOWN);
        assertThat(CpuCatalog.byName("neoverse-v2").n().provenance()).isEqualTo(Provenance.KNOWN);
        assertThat(CpuCatalog.byName("cortex-a510").fgt().provenance()).isEqualTo(Provenance.ASSUMED);
        assertThat(CpuCatalog.byName("cortex-x4").brbe().provenance()).isEqualTo(Provenance.ASSUMED);
    }

    @Test
    void linuxNamesFollowTheDriver() {
        CpuModel a76 = CpuCatalog.byName("cortex-a76");
        assertThat(a76.dtCompatible()).isEqualTo("arm,cortex-a76-pmu");
        assertThat(a76.perfPmuName()).isEqualTo("armv8_cortex_a76");
        assertThat(CpuCatalog.byName("cortex-a510").perfPmuName()).isEqualTo("armv9_cortex_a510");
        assertThat(CpuCatalog.byName("neoverse-n2").perfPmuName()).isEqualTo("armv9_neoverse_n2");
        assertThat(CpuCatalog.byName("neoverse-v2").perfPmuName()).isEqualTo("armv8_neoverse_v2");
        // No AmpereOne compatible in Linux: the generic one, whose PMU is armv8_pmuv3.
        CpuModel ampere = CpuCatalog.byName("ampereone");
        assertThat(ampere.dtCompatible()).isEqualTo("arm,armv8-pmuv3");
        assertThat(ampere.perfPmuName()).isEqualTo("armv8_pmuv3");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allCpus")
    void everyEntryIsArchitecturallyPossible(CpuModel cpu) {
        assertThat(cpu.pmuConfig().architecturalViolations()).isEmpty();
        assertThat(cpu.architecturalViolations()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allCpus")
    void everyEntryHasSourcedValuesAndConsistentNames(CpuModel cpu) {
        for (Sourced<?> s :
                new Sourced<?>[] {cpu.n(), cpu.version(), cpu.fgt(), cpu.hpmn0(), cpu.brbe(), cpu.pmcrId()}) {
            assertThat(s.provenance()).isNotEqualTo(Provenance.OVERRIDDEN);
            assertThat(s.source()).isNotBlank();
        }
        assertThat(cpu.dtCompatible()).matches("arm,([a-z0-9-]+-pmu|armv8-pmuv3)");
        assertThat(cpu.perfPmuName()).matches("armv[89]_[a-z0-9_]+");
        if (!cpu.dtCompatible().equals("arm,armv8-pmuv3")) {
            // arm,cortex-a76-pmu -> armv8_cortex_a76
            String core = cpu.dtCompatible()
                    .substring("arm,".length(), cpu.dtCompatible().length() - "-pmu".length());
            assertThat(cpu.perfPmuName()).endsWith("_" + core.replace('-', '_'));
            assertThat(cpu.name()).isEqualTo(core);
        }
    }

    @Test
    void lookupIgnoresCase() {
        assertThat(CpuCatalog.byName("Cortex-A76")).isSameAs(CpuCatalog.byName("cortex-a76"));
        assertThat(CpuCatalog.byName("NEOVERSE-N1").displayName()).isEqualTo("Neoverse N1");
    }

    @Test
    void unknownNameListsEveryKnownName() {
        assertThatThrownBy(() -> CpuCatalog.byName("cortex-a99"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown CPU 'cortex-a99'; known: " + String.join(", ", CpuCatalog.names()));
        assertThat(CpuCatalog.names()).hasSize(CpuCatalog.all().size());
    }
}
