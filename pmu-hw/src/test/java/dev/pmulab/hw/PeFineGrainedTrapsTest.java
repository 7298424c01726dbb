package dev.pmulab.hw;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.regs.HdfgxtrEl2;
import dev.pmulab.hw.regs.PmcrEl0;
import org.junit.jupiter.api.Test;

/** FEAT_FGT's PMU trap bits, as KVM programs them for a guest with direct counters. */
final class PeFineGrainedTrapsTest {

    private static Pe partitioned() {
        Pe pe = new Pe(PmuConfig.builder().n(10).fgt(true).hpmn0(true).build());
        pe.write(PmuRegister.MDCR_EL2, 0, 6 | (1 << 7)); // HPMN=6, HPME; no TPM
        // The v5 set (partitioning-and-policies.md §6.2): PMOVS, PMEVTYPER/PMCCFILTR, PMCEID/PMMIR stay trapped.
        long traps = HdfgxtrEl2.PMOVS
                | HdfgxtrEl2.PMEVTYPERN_EL0
                | HdfgxtrEl2.PMCCFILTR_EL0
                | HdfgxtrEl2.PMCEIDN_EL0
                | HdfgxtrEl2.PMMIR_EL1;
        assertThat(pe.write(PmuRegister.HDFGRTR_EL2, 0, traps)).isEqualTo(AccessOutcome.OK);
        assertThat(pe.write(PmuRegister.HDFGWTR_EL2, 0, traps)).isEqualTo(AccessOutcome.OK);
        pe.setExceptionLevel(ExceptionLevel.EL1);
        return pe;
    }

    @Test
    void trappedRegistersTrapToEl2AndTheRestAreDirect() {
        Pe pe = partitioned();
        assertThat(pe.read(PmuRegister.PMOVSSET_EL0, 0).outcome()).isEqualTo(AccessOutcome.TRAP_EL2);
        assertThat(pe.write(PmuRegister.PMEVTYPER_EL0, 2, 0x11)).isEqualTo(AccessOutcome.TRAP_EL2);
        assertThat(pe.write(PmuRegister.PMXEVTYPER_EL0, 0, 0x11)).isEqualTo(AccessOutcome.TRAP_EL2);
        assertThat(pe.read(PmuRegister.PMCEID0_EL0, 0).outcome()).isEqualTo(AccessOutcome.TRAP_EL2);
        assertThat(pe.read(PmuRegister.PMEVCNTR_EL0, 2).outcome()).isEqualTo(AccessOutcome.OK);
        assertThat(pe.write(PmuRegister.PMCNTENSET_EL0, 0, 1)).isEqualTo(AccessOutcome.OK);
        assertThat(PmcrEl0.n(pe.read(PmuRegister.PMCR_EL0, 0).value())).isEqualTo(6);
        // Counters at or above HPMN still trap under FGT, and n >= N is UNDEFINED first.
        assertThat(pe.read(PmuRegister.PMEVCNTR_EL0, 7).outcome()).isEqualTo(AccessOutcome.TRAP_EL2);
        assertThat(pe.read(PmuRegister.PMEVCNTR_EL0, 12).outcome()).isEqualTo(AccessOutcome.UNDEFINED);
    }

    @Test
    void pmcrHasAWriteTrapOnly() {
        Pe pe = new Pe(PmuConfig.builder().fgt(true).build());
        pe.write(PmuRegister.HDFGRTR_EL2, 0, HdfgxtrEl2.PMCR_EL0);
        pe.write(PmuRegister.HDFGWTR_EL2, 0, HdfgxtrEl2.PMCR_EL0);
        assertThat(pe.read(PmuRegister.HDFGRTR_EL2, 0).value())
                .as("PMCR has no read trap bit")
                .isZero();
        pe.setExceptionLevel(ExceptionLevel.EL1);
        assertThat(pe.read(PmuRegister.PMCR_EL0, 0).outcome()).isEqualTo(AccessOutcome.OK);
        assertThat(pe.write(PmuRegister.PMCR_EL0, 0, 1)).isEqualTo(AccessOutcome.TRAP_EL2);
    }

    @Test
    void el0PmuserenrTrapComesBeforeTheFineGrainedTrap() {
        Pe pe = new Pe(PmuConfig.builder().fgt(true).build());
        pe.write(PmuRegister.HDFGRTR_EL2, 0, HdfgxtrEl2.PMEVCNTRN_EL0);
        pe.setExceptionLevel(ExceptionLevel.EL0);
        assertThat(pe.read(PmuRegister.PMEVCNTR_EL0, 0).outcome()).isEqualTo(AccessOutcome.TRAP_EL1);
    }

    @Test
    void withoutFgtTheRegistersAreUndefinedAndNothingTraps() {
        Pe pe = new Pe(PmuConfig.defaults());
        assertThat(pe.write(PmuRegister.HDFGRTR_EL2, 0, -1L)).isEqualTo(AccessOutcome.UNDEFINED);
        pe.setExceptionLevel(ExceptionLevel.EL1);
        assertThat(pe.read(PmuRegister.PMOVSSET_EL0, 0).outcome()).isEqualTo(AccessOutcome.OK);
    }

    @Test
    void el2IsNeverFineGrainedTrapped() {
        Pe pe = partitioned();
        pe.setExceptionLevel(ExceptionLevel.EL2);
        assertThat(pe.read(PmuRegister.PMOVSSET_EL0, 0).outcome()).isEqualTo(AccessOutcome.OK);
    }
}
