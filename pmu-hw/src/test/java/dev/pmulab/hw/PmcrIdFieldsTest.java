package dev.pmulab.hw;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PMCR_EL0.IMP [31:24] and IDCODE [23:16]: as configured before PMUv3p7, both RAZ from it. */
final class PmcrIdFieldsTest {
    private static long pmcrAtEl2(PmuVersion version) {
        Pe pe = new Pe(
                PmuConfig.builder().n(6).version(version).imp(0x41).idcode(0x01).build());
        Pe.Access a = pe.read(PmuRegister.PMCR_EL0, 0);
        assertThat(a.outcome()).isEqualTo(AccessOutcome.OK);
        return a.value();
    }

    /** 0x41 << 24 | 0x01 << 16 | 6 << 11 = 0x41013000, the value QEMU's cortex-a57 reads at EL2. */
    @ParameterizedTest
    @EnumSource(
            value = PmuVersion.class,
            names = {"V3", "P1", "P4", "P5"})
    void beforePmuV3p7BothFieldsReadAsConfigured(PmuVersion version) {
        assertThat(pmcrAtEl2(version)).isEqualTo(0x4101_3000L);
    }

    /** FEAT_PMUv3p7: IMP and IDCODE are RAZ, so only N = 6 (6 << 11 = 0x3000) is left. */
    @ParameterizedTest
    @EnumSource(
            value = PmuVersion.class,
            names = {"P7", "P8", "P9"})
    void fromPmuV3p7BothFieldsAreRaz(PmuVersion version) {
        assertThat(pmcrAtEl2(version)).isEqualTo(0x3000L);
    }

    /** The fields are read-only: a write of all ones leaves them as they read. */
    @Test
    void writesDoNotChangeThem() {
        Pe pe = new Pe(PmuConfig.builder()
                .n(6)
                .version(PmuVersion.P7)
                .imp(0x41)
                .idcode(0x01)
                .build());
        assertThat(pe.write(PmuRegister.PMCR_EL0, 0, 0xffff_0000L)).isEqualTo(AccessOutcome.OK);
        assertThat(pe.read(PmuRegister.PMCR_EL0, 0).value() & 0xffff_0000L).isZero();
    }
}
