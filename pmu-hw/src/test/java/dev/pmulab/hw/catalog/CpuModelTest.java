package dev.pmulab.hw.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuConfig;
import dev.pmulab.hw.PmuVersion;
import org.junit.jupiter.api.Test;

final class CpuModelTest {

    private static final CpuModel A710 = CpuCatalog.byName("cortex-a710");
    private static final CpuModel X4 = CpuCatalog.byName("cortex-x4");

    @Test
    void overrideChangesTheValueAndItsProvenanceOnly() {
        CpuModel eight = A710.withN(8);
        assertThat(eight.n().value()).isEqualTo(8);
        assertThat(eight.n().provenance()).isEqualTo(Provenance.OVERRIDDEN);
        assertThat(eight.n().source()).startsWith("catalog value 20 (known: ");
        assertThat(eight.pmuConfig().n()).isEqualTo(8);
        // Everything else, and the catalog entry, stay as they were.
        assertThat(eight.version()).isEqualTo(A710.version());
        assertThat(eight.fgt()).isEqualTo(A710.fgt());
        assertThat(eight.name()).isEqualTo("cortex-a710");
        assertThat(A710.n().value()).isEqualTo(20);
        assertThat(CpuCatalog.byName("cortex-a710")).isEqualTo(A710);
    }

    @Test
    void everyFieldCanBeOverridden() {
        CpuModel o = X4.withVersion(PmuVersion.P9).withFgt(true).withHpmn0(true).withBrbe(true);
        assertThat(o.version())
                .extracting(Sourced::value, Sourced::provenance)
                .containsExactly(PmuVersion.P9, Provenance.OVERRIDDEN);
        assertThat(o.fgt().provenance()).isEqualTo(Provenance.OVERRIDDEN);
        assertThat(o.hpmn0())
                .extracting(Sourced::value, Sourced::provenance)
                .containsExactly(true, Provenance.OVERRIDDEN);
        assertThat(o.brbe())
                .extracting(Sourced::value, Sourced::provenance)
                .containsExactly(true, Provenance.OVERRIDDEN);
        PmuConfig c = o.pmuConfig();
        assertThat(c.version()).isEqualTo(PmuVersion.P9);
        assertThat(c.hpmn0()).isTrue();
        assertThat(c.brbe()).isTrue();
        assertThat(o.architecturalViolations()).isEmpty();
    }

    @Test
    void overridingTwiceKeepsTheCatalogSource() {
        CpuModel twice = A710.withN(8).withN(4);
        assertThat(twice.n().value()).isEqualTo(4);
        assertThat(twice.n().source()).isEqualTo(A710.withN(8).n().source());
    }

    @Test
    void overrideOutsidePmcrNRangeIsRejected() {
        assertThatThrownBy(() -> A710.withN(32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..31");
    }

    @Test
    void assumptionsListTheUnknownValues() {
        assertThat(X4.assumptions())
                .containsExactly(
                        "Cortex-X4 N=6 (assumed: " + X4.n().source() + ")",
                        "Cortex-X4 FEAT_HPMN0=0 (assumed: " + X4.hpmn0().source() + ")",
                        "Cortex-X4 FEAT_BRBE=0 (assumed: " + X4.brbe().source() + ")",
                        "Cortex-X4 PMCR_EL0.IMP/IDCODE=0x00/0x00 (assumed: "
                                + X4.pmcrId().source() + ")");
    }

    @Test
    void fullyKnownCoresLeanOnNoAssumption() {
        assertThat(A710.assumptions()).isEmpty();
        assertThat(CpuCatalog.byName("neoverse-n1").assumptions()).isEmpty();
        assertThat(CpuCatalog.byName("neoverse-n2").assumptions()).isEmpty();
    }

    @Test
    void overridesAreListedWithTheAssumptions() {
        assertThat(A710.withN(8).assumptions())
                .containsExactly("Cortex-A710 N=8 (overridden: catalog value 20 (known: "
                        + A710.n().source() + "))");
    }

    @Test
    void overridesThatBreakTheArchitectureAreReported() {
        // FEAT_HPMN0 needs FEAT_FGT, which the A710 lacks.
        assertThat(A710.withHpmn0(true).architecturalViolations())
                .containsExactly("Cortex-A710: FEAT_HPMN0 requires FEAT_FGT");
        assertThat(CpuCatalog.byName("cortex-a76").withFgt(true).architecturalViolations())
                .containsExactly("Cortex-A76: FEAT_FGT is optional only from v8.5, not in v8.2");
        assertThat(X4.withFgt(false).architecturalViolations())
                .containsExactly("Cortex-X4: FEAT_FGT is mandatory in v9.2 with EL2");
        assertThat(X4.withVersion(PmuVersion.P5).architecturalViolations())
                .containsExactly("Cortex-X4: v9.2 requires at least PMUv3p7, not PMUv3p5");
        assertThat(CpuCatalog.byName("neoverse-n2").withBrbe(true).architecturalViolations())
                .containsExactly("Neoverse N2: FEAT_BRBE is optional only from v9.1, not in v9.0");
        assertThat(A710.withN(0).architecturalViolations())
                .containsExactly("Cortex-A710: a PMU with EL2 and zero event counters needs FEAT_HPMN0");
    }

    @Test
    void pmuConfigCarriesTheCatalogValues() {
        CpuModel a76 = CpuCatalog.byName("cortex-a76");
        PmuConfig c = a76.pmuConfig();
        assertThat(c.n()).isEqualTo(6);
        assertThat(c.version()).isEqualTo(PmuVersion.P1);
        assertThat(c.fgt()).isFalse();
        assertThat(c.hpmn0()).isFalse();
        assertThat(c.brbe()).isFalse();
        assertThat(c.imp()).isEqualTo(0x41);
        assertThat(c.idcode()).isEqualTo(0x0b);
        assertThat(c.events()).isEqualTo(a76.events());
    }

    @Test
    void everyCoreImplementsTheRequiredCommonEvents() {
        int[] required = {
            Events.SW_INCR,
            Events.INST_RETIRED,
            Events.CPU_CYCLES,
            Events.BR_MIS_PRED,
            Events.L1D_CACHE,
            Events.L1D_CACHE_REFILL,
            Events.CHAIN,
            Events.STALL_FRONTEND,
            Events.STALL_BACKEND
        };
        for (CpuModel cpu : CpuCatalog.all()) {
            assertThat(cpu.events())
                    .as(cpu.name())
                    .contains(required)
                    .isSorted()
                    .doesNotHaveDuplicates();
        }
        // PMCEID0 bit n advertises event n: INST_RETIRED (8), CPU_CYCLES (0x11), CHAIN (0x1e).
        long pmceid0 = CpuCatalog.byName("cortex-a53").pmuConfig().pmceid0();
        assertThat(pmceid0 & (1L << 0x08)).isNotZero();
        assertThat(pmceid0 & (1L << 0x11)).isNotZero();
        assertThat(pmceid0 & (1L << 0x1e)).isNotZero();
    }

    @Test
    void eventsFollowThePmuVersion() {
        assertThat(CpuModel.eventsFor(PmuVersion.V3)).doesNotContain(Events.BR_RETIRED, Events.STALL);
        assertThat(CpuModel.eventsFor(PmuVersion.P1))
                .contains(Events.BR_RETIRED, Events.L1D_TLB)
                .doesNotContain(Events.STALL);
        assertThat(CpuModel.eventsFor(PmuVersion.P5)).contains(Events.BR_RETIRED, Events.STALL);
        assertThat(CpuCatalog.byName("cortex-a53").events()).isEqualTo(CpuModel.eventsFor(PmuVersion.V3));
        assertThat(X4.events()).isEqualTo(CpuModel.eventsFor(PmuVersion.P7));
    }

    @Test
    void archLevelsKnowWhatTheyRequire() {
        assertThat(ArchLevel.V8_0.mandatoryPmuVersion()).isEqualTo(PmuVersion.V3);
        assertThat(ArchLevel.V8_2.mandatoryPmuVersion()).isEqualTo(PmuVersion.P1);
        assertThat(ArchLevel.V8_4.mandatoryPmuVersion()).isEqualTo(PmuVersion.P4);
        assertThat(ArchLevel.V8_6.mandatoryPmuVersion()).isEqualTo(PmuVersion.P5);
        assertThat(ArchLevel.V9_0.mandatoryPmuVersion()).isEqualTo(PmuVersion.P5);
        assertThat(ArchLevel.V9_2.mandatoryPmuVersion()).isEqualTo(PmuVersion.P7);
        assertThat(ArchLevel.V9_0.fgtAndHpmn0Permitted()).isTrue();
        assertThat(ArchLevel.V9_0.fgtMandatory()).isFalse();
        assertThat(ArchLevel.V8_6.fgtMandatory()).isTrue();
        assertThat(ArchLevel.V8_4.fgtAndHpmn0Permitted()).isFalse();
        assertThat(ArchLevel.V8_6.brbePermitted()).isFalse();
        assertThat(ArchLevel.V9_0.brbePermitted()).isFalse();
        assertThat(ArchLevel.V9_2.brbePermitted()).isTrue();
    }

    @Test
    void sourcedRejectsMultiLineSources() {
        assertThatThrownBy(() -> Sourced.known(1, "a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sourced.known(1, " ")).isInstanceOf(IllegalArgumentException.class);
    }
}
