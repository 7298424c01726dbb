package dev.pmulab.hw.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.hw.PmuVersion;
import dev.pmulab.hw.catalog.SocModel.Cluster;
import dev.pmulab.hw.catalog.SocModel.Firmware;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

final class SocCatalogTest {

    static Stream<SocModel> allSocs() {
        return SocCatalog.all().stream();
    }

    private static List<String> typeNames(SocModel soc) {
        return soc.coreTypes().stream().map(CpuModel::name).toList();
    }

    @Test
    void hasEverySocTheIssueNames() {
        assertThat(SocCatalog.names())
                .containsExactly(
                        "rk3588",
                        "sm8550",
                        "sm8650",
                        "tensor-g3",
                        "dimensity-9300",
                        "ampere-altra",
                        "graviton3",
                        "generic");
    }

    @Test
    void sm8550HasFourPmuTypesWithTheA710AtTwenty() {
        SocModel soc = SocCatalog.byName("sm8550");
        assertThat(soc.displayName()).contains("Snapdragon 8 Gen 2");
        assertThat(soc.cpuCount()).isEqualTo(8);
        assertThat(soc.heterogeneous()).isTrue();
        List<ArmPmu> pmus = soc.pmus();
        assertThat(pmus)
                .extracting(ArmPmu::name)
                .containsExactly("armv9_cortex_a510", "armv9_cortex_a715", "armv9_cortex_a710", "armv9_cortex_x3");
        ArmPmu a710 = pmus.get(2);
        assertThat(a710.supportedCpus()).containsExactly(5, 6);
        assertThat(a710.cpu().pmuConfig().n()).isEqualTo(20);
        assertThat(pmus.get(0).supportedCpus()).containsExactly(0, 1, 2);
        assertThat(pmus.get(1).supportedCpus()).containsExactly(3, 4);
        assertThat(pmus.get(3).supportedCpus()).containsExactly(7);
        // The other types' N is unknown: a result on this SoC says so.
        assertThat(soc.assumptions()).anyMatch(a -> a.startsWith("Cortex-A510 N=6 (assumed"));
        assertThat(soc.assumptions()).noneMatch(a -> a.startsWith("Cortex-A710"));
    }

    @Test
    void sm8650Cpu0AndCpu1AreTheA520s() {
        SocModel soc = SocCatalog.byName("sm8650");
        assertThat(soc.cpu(0).name()).isEqualTo("cortex-a520");
        assertThat(soc.cpu(1).name()).isEqualTo("cortex-a520");
        for (int cpu = 2; cpu <= 6; cpu++) {
            assertThat(soc.cpu(cpu).name()).isEqualTo("cortex-a720");
        }
        assertThat(soc.cpu(7).name()).isEqualTo("cortex-x4");
        assertThat(soc.pmus())
                .extracting(ArmPmu::name)
                .containsExactly("armv9_cortex_a520", "armv9_cortex_a720", "armv9_cortex_x4");
    }

    @Test
    void rk3588HasTwoPmusOfTheSameShape() {
        SocModel soc = SocCatalog.byName("rk3588");
        assertThat(typeNames(soc)).containsExactly("cortex-a55", "cortex-a76");
        assertThat(soc.pmus().get(0).supportedCpus()).containsExactly(0, 1, 2, 3);
        assertThat(soc.pmus().get(1).supportedCpus()).containsExactly(4, 5, 6, 7);
        assertThat(soc.pmus()).extracting(p -> p.cpu().pmuConfig().n()).containsExactly(6, 6);
        assertThat(soc.pmus()).extracting(p -> p.cpu().pmuConfig().version()).containsOnly(PmuVersion.P1);
    }

    @Test
    void altraIsEightyN1Homogeneous() {
        SocModel soc = SocCatalog.byName("ampere-altra");
        assertThat(soc.cpuCount()).isEqualTo(80);
        assertThat(soc.heterogeneous()).isFalse();
        assertThat(typeNames(soc)).containsExactly("neoverse-n1");
        assertThat(soc.pmus()).hasSize(1);
        ArmPmu pmu = soc.pmus().get(0);
        assertThat(pmu.supportedCpus()).containsExactly(IntStream.range(0, 80).toArray());
        // An ACPI server: Linux does not use the DT name.
        assertThat(soc.firmware()).isEqualTo(Firmware.ACPI);
        assertThat(pmu.name()).isEqualTo("armv8_pmuv3_0");
    }

    @Test
    void graviton3IsSixtyFourV1() {
        SocModel soc = SocCatalog.byName("graviton3");
        assertThat(soc.cpuCount()).isEqualTo(64);
        assertThat(soc.heterogeneous()).isFalse();
        assertThat(soc.cpu(63).name()).isEqualTo("neoverse-v1");
        assertThat(soc.pmus()).singleElement().extracting(ArmPmu::name).isEqualTo("armv8_pmuv3_0");
    }

    @Test
    void tensorG3AndDimensity9300SayWhatTheyAssume() {
        SocModel g3 = SocCatalog.byName("tensor-g3");
        assertThat(g3.cpuCount()).isEqualTo(9);
        assertThat(typeNames(g3)).containsExactly("cortex-a510", "cortex-a715", "cortex-x3");
        assertThat(g3.topologyAssumptions()).singleElement().asString().contains("DT unverified");
        assertThat(g3.assumptions().get(0)).isEqualTo(g3.topologyAssumptions().get(0));

        SocModel d9300 = SocCatalog.byName("dimensity-9300");
        assertThat(d9300.heterogeneous()).isTrue();
        assertThat(typeNames(d9300)).containsExactly("cortex-a720", "cortex-x4");
        assertThat(d9300.topologyAssumptions()).isNotEmpty();
        assertThat(SocCatalog.byName("sm8550").topologyAssumptions()).isEmpty();
    }

    @Test
    void genericDefaultIsEightN2() {
        SocModel soc = SocCatalog.byName("generic");
        assertThat(soc.name()).isEqualTo(SocCatalog.GENERIC);
        assertThat(soc.cpuCount()).isEqualTo(8);
        assertThat(typeNames(soc)).containsExactly("neoverse-n2");
        assertThat(soc.heterogeneous()).isFalse();
        assertThat(soc.assumptions()).isEmpty();
    }

    @Test
    void genericIsParameterisedByCoreAndCount() {
        SocModel soc = SocCatalog.generic("neoverse-n1", 64);
        assertThat(soc.cpuCount()).isEqualTo(64);
        assertThat(soc.pmus()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("armv8_neoverse_n1");
            assertThat(p.supportedCpus()).containsExactly(IntStream.range(0, 64).toArray());
        });
        CpuModel four = CpuCatalog.byName("cortex-a710").withN(4);
        assertThat(SocCatalog.generic(four, 2).cpu(1).pmuConfig().n()).isEqualTo(4);
        assertThatThrownBy(() -> SocCatalog.generic("cortex-a99", 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown CPU 'cortex-a99'; known: cortex-a35, ");
        assertThatThrownBy(() -> SocCatalog.generic("neoverse-n1", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownSocListsEveryKnownName() {
        assertThatThrownBy(() -> SocCatalog.byName("sm8750"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown SoC 'sm8750'; known: rk3588, sm8550, sm8650, tensor-g3, dimensity-9300,"
                        + " ampere-altra, graviton3, generic");
        assertThat(SocCatalog.byName("SM8550")).isSameAs(SocCatalog.byName("sm8550"));
    }

    @Test
    void cpuOutOfRangeIsRejected() {
        SocModel soc = SocCatalog.byName("rk3588");
        assertThatThrownBy(() -> soc.cpu(8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> soc.cpu(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allSocs")
    void pmusPartitionTheCpusByCoreType(SocModel soc) {
        List<Integer> covered = new ArrayList<>();
        for (ArmPmu pmu : soc.pmus()) {
            for (int cpu : pmu.supportedCpus()) {
                assertThat(soc.cpu(cpu)).isEqualTo(pmu.cpu());
                assertThat(soc.pmuFor(cpu)).isEqualTo(pmu);
                covered.add(cpu);
            }
            assertThat(pmu.cpu().architecturalViolations()).isEmpty();
        }
        assertThat(covered)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, soc.cpuCount()).boxed().toList());
        assertThat(soc.pmus()).hasSameSizeAs(soc.coreTypes());
        assertThat(soc.heterogeneous()).isEqualTo(soc.pmus().size() > 1);
        assertThat(soc.provenance()).isNotEmpty();
    }

    @Test
    void acpiNamesPmusByIndexInOrderOfTheirFirstCpu() {
        SocModel soc = new SocModel(
                "acpi-test",
                "ACPI big.LITTLE",
                Firmware.ACPI,
                List.of(
                        new Cluster(CpuCatalog.byName("cortex-a55"), 2),
                        new Cluster(CpuCatalog.byName("cortex-a76"), 2),
                        new Cluster(CpuCatalog.byName("cortex-a55"), 1)),
                List.of("test"),
                List.of());
        assertThat(soc.pmus()).extracting(ArmPmu::name).containsExactly("armv8_pmuv3_0", "armv8_pmuv3_1");
        assertThat(soc.pmus().get(0).supportedCpus()).containsExactly(0, 1, 4);
        assertThat(soc.pmuFor(4).name()).isEqualTo("armv8_pmuv3_0");
    }

    @Test
    void oneCoreTypeCannotHaveTwoModels() {
        CpuModel a76 = CpuCatalog.byName("cortex-a76");
        assertThatThrownBy(() -> new SocModel(
                        "bad",
                        "bad",
                        Firmware.DEVICE_TREE,
                        List.of(new Cluster(a76, 2), new Cluster(a76.withN(4), 2)),
                        List.of(),
                        List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two different cortex-a76 models");
        // Two generic-compatible cores on one DT would both register armv8_pmuv3.
        assertThatThrownBy(() -> new SocModel(
                        "bad",
                        "bad",
                        Firmware.DEVICE_TREE,
                        List.of(
                                new Cluster(CpuCatalog.byName("ampereone"), 2),
                                new Cluster(CpuCatalog.byName("a64fx"), 2)),
                        List.of(),
                        List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("armv8_pmuv3");
    }

    @Test
    void supportedCpusCannotBeChangedFromOutside() {
        ArmPmu pmu = SocCatalog.byName("rk3588").pmus().get(0);
        pmu.supportedCpus()[0] = 7;
        assertThat(pmu.supportedCpus()).containsExactly(0, 1, 2, 3);
        assertThat(pmu.covers(3)).isTrue();
        assertThat(pmu.covers(4)).isFalse();
    }
}
