package dev.pmulab.hw.regs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The register vocabulary against the Arm ARM's bit positions, written out here by hand from the
 * layouts in pmuv3-architecture.md §1 and §3.1 (Arm ARM D24.3, D24.5, D24.8), so that a field moved
 * by mistake fails here rather than in every model that uses it.
 */
final class RegisterFieldsTest {
    private static long bit(int position) {
        return 1L << position;
    }

    @Test
    void pmcrFieldsStandWhereTheArmArmPutsThem() {
        // E[0] P[1] C[2] D[3] X[4] DP[5] LC[6] LP[7] FZO[9] N[15:11] IDCODE[23:16] IMP[31:24]
        assertThat(new long[] {
                    PmcrEl0.E,
                    PmcrEl0.P,
                    PmcrEl0.C,
                    PmcrEl0.D,
                    PmcrEl0.X,
                    PmcrEl0.DP,
                    PmcrEl0.LC,
                    PmcrEl0.LP,
                    PmcrEl0.FZO
                })
                .containsExactly(bit(0), bit(1), bit(2), bit(3), bit(4), bit(5), bit(6), bit(7), bit(9));
        assertThat(PmcrEl0.N_MASK).isEqualTo(0xf800L); // bits 15..11
        assertThat(PmcrEl0.IDCODE_SHIFT).isEqualTo(16);
        assertThat(PmcrEl0.IMP_SHIFT).isEqualTo(24);
        assertThat(PmcrEl0.MASK).as("ARMV8_PMU_PMCR_MASK: bits [7:0]").isEqualTo(0xffL);
    }

    @Test
    void pmcrNIsExtractedAndInsertedWithoutTouchingTheOtherFields() {
        // 0x4101_3041: IMP 0x41, IDCODE 0x01, N = 0b00110 (6) in bits 15..11 (0x3000), E and LC (0x41).
        assertThat(PmcrEl0.n(0x4101_3041L)).isEqualTo(6);
        // N = 20 = 0b10100 -> 0xa000 in bits 15..11; the old N (0x3000) goes, E|LC and IDCODE stay.
        assertThat(PmcrEl0.withN(0x4101_3041L, 20)).isEqualTo(0x4101_a041L);
        assertThat(PmcrEl0.withN(0x41L, 31)).isEqualTo(0xf841L);
    }

    @Test
    void mdcrFieldsStandWhereTheArmArmPutsThem() {
        // HPMN[4:0] TPMCR[5] TPM[6] HPME[7] TDE[8] TDA[9] TDOSA[10] TDRA[11] HPMD[17] HCCD[23] HLP[26] HPMFZO[29]
        assertThat(MdcrEl2.HPMN_MASK).isEqualTo(0x1fL);
        assertThat(new long[] {
                    MdcrEl2.TPMCR,
                    MdcrEl2.TPM,
                    MdcrEl2.HPME,
                    MdcrEl2.TDE,
                    MdcrEl2.TDA,
                    MdcrEl2.TDOSA,
                    MdcrEl2.TDRA,
                    MdcrEl2.HPMD,
                    MdcrEl2.HCCD,
                    MdcrEl2.HLP,
                    MdcrEl2.HPMFZO
                })
                .containsExactly(
                        bit(5), bit(6), bit(7), bit(8), bit(9), bit(10), bit(11), bit(17), bit(23), bit(26), bit(29));
    }

    @Test
    void hpmnIsExtractedAndInsertedWithoutTouchingTheOtherFields() {
        // 0x46 = TPM (0x40) | HPMN 6.
        assertThat(MdcrEl2.hpmn(0x46L)).isEqualTo(6);
        // HPMN 6 -> 2 keeps TPM and HPME: 0x40 | 0x80 | 2 = 0xc2.
        assertThat(MdcrEl2.withHpmn(0xc6L, 2)).isEqualTo(0xc2L);
        assertThat(MdcrEl2.withHpmn(0xc6L, 0)).isEqualTo(0xc0L);
    }

    @Test
    void pmevtyperFilterBitsStandWhereTheArmArmPutsThem() {
        // SH[24] MT[25] M[26] NSH[27] NSU[28] NSK[29] U[30] P[31]; evtCount[15:0], [9:0] before p1
        assertThat(new long[] {
                    PmevtyperEl0.SH,
                    PmevtyperEl0.MT,
                    PmevtyperEl0.M,
                    PmevtyperEl0.NSH,
                    PmevtyperEl0.NSU,
                    PmevtyperEl0.NSK,
                    PmevtyperEl0.U,
                    PmevtyperEl0.P
                })
                .containsExactly(bit(24), bit(25), bit(26), bit(27), bit(28), bit(29), bit(30), bit(31));
        assertThat(PmevtyperEl0.EVTCOUNT_MASK).isEqualTo(0xffffL);
        assertThat(PmevtyperEl0.EVTCOUNT_V3_MASK).isEqualTo(0x3ffL);
    }

    @Test
    void pmuserenrAndPmselrFieldsStandWhereTheArmArmPutsThem() {
        // EN[0] SW[1] CR[2] ER[3] UEN[4] IR[5] TID[6]; Linux keeps EN|SW|CR|ER = 0xf
        assertThat(new long[] {
                    PmuserenrEl0.EN,
                    PmuserenrEl0.SW,
                    PmuserenrEl0.CR,
                    PmuserenrEl0.ER,
                    PmuserenrEl0.UEN,
                    PmuserenrEl0.IR,
                    PmuserenrEl0.TID
                })
                .containsExactly(bit(0), bit(1), bit(2), bit(3), bit(4), bit(5), bit(6));
        assertThat(PmuserenrEl0.MASK).isEqualTo(0xfL);
        // SEL[4:0]: 0x3f keeps 31 (0x1f), dropping bit 5.
        assertThat(PmselrEl0.sel(0x3fL)).isEqualTo(31);
        assertThat(PmselrEl0.sel(0x25L)).isEqualTo(5);
    }

    @Test
    void brbeFieldsStandWhereTheArmArmPutsThem() {
        // BRBCR_ELx: E0BRE[0] ExBRE[1] CC[3] MPRED[4] TS[6:5] FZP[8] ERTN[22] EXCEPTION[23]
        assertThat(new long[] {
                    BrbcrElx.E0BRE,
                    BrbcrElx.EXBRE,
                    BrbcrElx.CC,
                    BrbcrElx.MPRED,
                    BrbcrElx.FZP,
                    BrbcrElx.ERTN,
                    BrbcrElx.EXCEPTION
                })
                .containsExactly(bit(0), bit(1), bit(3), bit(4), bit(8), bit(22), bit(23));
        assertThat(BrbcrElx.TS_MASK).isEqualTo(0x60L);
        // BRBFCR_EL1: LASTFAILED[6] PAUSED[7] BANK[29:28]
        assertThat(BrbfcrEl1.LASTFAILED).isEqualTo(bit(6));
        assertThat(BrbfcrEl1.PAUSED).isEqualTo(bit(7));
        assertThat(BrbfcrEl1.BANK_MASK).isEqualTo(0x3000_0000L);
    }

    @Test
    void fineGrainedTrapBitsStandWhereTheArmArmPutsThem() {
        // PMEVCNTRn[12] PMEVTYPERn[13] PMCCFILTR[14] PMCCNTR[15] PMCNTEN[16] PMINTEN[17] PMOVS[18] PMSELR[19]
        // PMSWINC[20] (W) PMCR[21] (W) PMMIR[22] (R) PMUSERENR[57] PMCEIDn[58] (R)
        assertThat(new long[] {
                    HdfgxtrEl2.PMEVCNTRN_EL0,
                    HdfgxtrEl2.PMEVTYPERN_EL0,
                    HdfgxtrEl2.PMCCFILTR_EL0,
                    HdfgxtrEl2.PMCCNTR_EL0,
                    HdfgxtrEl2.PMCNTEN,
                    HdfgxtrEl2.PMINTEN,
                    HdfgxtrEl2.PMOVS,
                    HdfgxtrEl2.PMSELR_EL0,
                    HdfgxtrEl2.PMSWINC_EL0,
                    HdfgxtrEl2.PMCR_EL0,
                    HdfgxtrEl2.PMMIR_EL1,
                    HdfgxtrEl2.PMUSERENR_EL0,
                    HdfgxtrEl2.PMCEIDN_EL0
                })
                .containsExactly(
                        bit(12), bit(13), bit(14), bit(15), bit(16), bit(17), bit(18), bit(19), bit(20), bit(21),
                        bit(22), bit(57), bit(58));
        // Shared bits 12..19 are 0xff000; the read register adds 22, 57, 58, the write one 20, 21, 57.
        assertThat(HdfgxtrEl2.READ_PMU_MASK).isEqualTo(0xff000L | bit(22) | bit(57) | bit(58));
        assertThat(HdfgxtrEl2.WRITE_PMU_MASK).isEqualTo(0xff000L | bit(20) | bit(21) | bit(57));
    }

    @Test
    void a32BitOverflowIsTheCarryOutOfBit31() {
        // 0xffff_fff0 + 0x10 = 0x1_0000_0000: one carry out of bit 31.
        assertThat(PmevcntrEl0.overflows(0xffff_fff0L, 0x10, false)).isEqualTo(1);
        assertThat(PmevcntrEl0.overflows(0xffff_fff0L, 0xf, false)).isZero();
        // The upper half of a 64-bit counter does not matter: 0x5_ffff_ffff + 1 carries out of bit 31.
        assertThat(PmevcntrEl0.overflows(0x5_ffff_ffffL, 1, false)).isEqualTo(1);
        // 0 + 3 * 2^32 carries three times (a CHAIN neighbour takes all three).
        assertThat(PmevcntrEl0.overflows(0, 3L << 32, false)).isEqualTo(3);
    }

    @Test
    void a64BitOverflowIsTheCarryOutOfBit63() {
        assertThat(PmevcntrEl0.overflows(-1L, 1, true)).isEqualTo(1); // 2^64 - 1 + 1 wraps to 0
        assertThat(PmevcntrEl0.overflows(0xffff_ffffL, 1, true))
                .as("bit 31 is not the overflow")
                .isZero();
        assertThat(PmevcntrEl0.overflows(Long.MAX_VALUE, 1, true))
                .as("into bit 63 is not out of it")
                .isZero();
    }

    @Test
    void incrementsToOverflowCountToTheCarry() {
        // 2^32 - 0xffff_fff0 = 16; at 0 a whole 2^32; the upper half is ignored.
        assertThat(PmevcntrEl0.incrementsToOverflow(0xffff_fff0L, false)).isEqualTo(16);
        assertThat(PmevcntrEl0.incrementsToOverflow(0, false)).isEqualTo(1L << 32);
        assertThat(PmevcntrEl0.incrementsToOverflow(0x7_ffff_fffeL, false)).isEqualTo(2);
        // 2^64 - (2^64 - 5) = 5; at 0, 2^64, which is 0 unsigned.
        assertThat(PmevcntrEl0.incrementsToOverflow(-5L, true)).isEqualTo(5);
        assertThat(PmevcntrEl0.incrementsToOverflow(0, true)).isZero();
    }
}
