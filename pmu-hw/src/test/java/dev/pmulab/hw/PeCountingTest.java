package dev.pmulab.hw;

import static dev.pmulab.hw.ExceptionLevel.EL0;
import static dev.pmulab.hw.ExceptionLevel.EL1;
import static dev.pmulab.hw.ExceptionLevel.EL2;
import static dev.pmulab.hw.PmuRegister.BRBCR_EL1;
import static dev.pmulab.hw.PmuRegister.BRBCR_EL2;
import static dev.pmulab.hw.PmuRegister.BRBFCR_EL1;
import static dev.pmulab.hw.PmuRegister.MDCR_EL2;
import static dev.pmulab.hw.PmuRegister.PMCCFILTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMCNTENSET_EL0;
import static dev.pmulab.hw.PmuRegister.PMCR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVCNTR_EL0;
import static dev.pmulab.hw.PmuRegister.PMEVTYPER_EL0;
import static dev.pmulab.hw.PmuRegister.PMINTENSET_EL1;
import static dev.pmulab.hw.PmuRegister.PMOVSCLR_EL0;
import static dev.pmulab.hw.PmuRegister.PMOVSSET_EL0;
import static dev.pmulab.hw.regs.PmevtyperEl0.NSH;
import static dev.pmulab.hw.regs.PmevtyperEl0.P;
import static dev.pmulab.hw.regs.PmevtyperEl0.U;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.hw.regs.PmcrEl0;
import org.junit.jupiter.api.Test;

/** Counting over time: rates, filters, overflow timing, freeze, CHAIN and BRBE freeze. */
final class PeCountingTest {
    /** 2 cycles per ns (2 GHz) and one instruction every 4 ns, exactly representable in Q32.32. */
    private static final EventRates RUNNING = EventRates.builder()
            .rate(Events.CPU_CYCLES, 2, 1)
            .rate(Events.INST_RETIRED, 1, 4)
            .build();

    private static Pe pe(PmuConfig.Builder b) {
        return new Pe(b.events(0x0, 0x08, 0x11, 0x1e, 0x23, 0x24).build());
    }

    private static void w(Pe pe, PmuRegister r, int i, long v) {
        assertThat(pe.write(r, i, v)).as("write %s", r.archName(i)).isEqualTo(AccessOutcome.OK);
    }

    private static long r(Pe pe, PmuRegister r, int i) {
        Pe.Access a = pe.read(r, i);
        assertThat(a.outcome()).as("read %s", r.archName(i)).isEqualTo(AccessOutcome.OK);
        return a.value();
    }

    @Test
    void counterAdvancesByRateTimesTimeUnderItsFilter() {
        Pe pe = pe(PmuConfig.builder());
        w(pe, PMEVTYPER_EL0, 0, Events.INST_RETIRED); // counts at EL0 and EL1, not at EL2 (NSH=0)
        w(pe, PMCNTENSET_EL0, 0, 1);
        w(pe, PMCR_EL0, 0, 1);
        pe.switchContext(0, EL1, RUNNING);
        pe.advanceTo(1000);
        assertThat(pe.eventCounter(0)).isEqualTo(250);
        pe.switchContext(1000, EL2, RUNNING);
        pe.advanceTo(5000);
        assertThat(pe.eventCounter(0)).as("NSH=0: EL2 not counted").isEqualTo(250);
        pe.switchContext(5000, EL0, RUNNING);
        pe.advanceTo(5006);
        assertThat(pe.eventCounter(0)).as("6 ns at 1/4 per ns: floor(1.5)").isEqualTo(251);
        pe.advanceTo(5008);
        assertThat(pe.eventCounter(0))
                .as("the fraction carries: 8 ns give exactly 2")
                .isEqualTo(252);
    }

    /**
     * Pe keeps a few earlier rate lookups and returns to one when the context does: more contexts
     * than it keeps, and event changes in between, must still count each stretch at the rates of
     * its own context for the event programmed then.
     */
    @Test
    void everyStretchCountsAtItsContextsRatesWhateverWasLookedUpBefore() {
        int[] events = {Events.INST_RETIRED, 0x11, 0x23, 0x24};
        EventRates[] contexts = new EventRates[6];
        for (int k = 0; k < contexts.length; k++) {
            EventRates.Builder b = EventRates.builder().rate(Events.CPU_CYCLES, k + 1, 1);
            for (int e = 0; e < events.length; e++) {
                b.rate(events[e], (k + 1) * (e + 2), 8); // every (context, event) its own whole rate per 8 ns
            }
            contexts[k] = b.build();
        }
        Pe pe = pe(PmuConfig.builder());
        w(pe, PMCNTENSET_EL0, 0, 0b11);
        w(pe, PMCR_EL0, 0, 1);
        int[] order = {0, 1, 2, 0, 1, 2, 3, 4, 5, 0, 5, 1, 1, 3, 0};
        long t = 0;
        for (int step = 0; step < order.length; step++) {
            int k = order[step];
            // A new event on counter 1 every third stretch: what was looked up for it before is stale.
            int e0 = 0;
            int e1 = (step / 3) % events.length;
            w(pe, PMEVTYPER_EL0, 0, events[e0]);
            w(pe, PMEVTYPER_EL0, 1, events[e1]);
            pe.switchContext(t, EL1, contexts[k]);
            long before0 = pe.eventCounter(0);
            long before1 = pe.eventCounter(1);
            t += 800;
            pe.advanceTo(t);
            assertThat(pe.eventCounter(0) - before0)
                    .as("stretch %d, context %d, counter 0", step, k)
                    .isEqualTo(100L * (k + 1) * (e0 + 2));
            assertThat(pe.eventCounter(1) - before1)
                    .as("stretch %d, context %d, counter 1", step, k)
                    .isEqualTo(100L * (k + 1) * (e1 + 2));
        }
    }

    @Test
    void configWritesCountEveryWriteButCountersAndOverflowFlags() {
        Pe pe = pe(PmuConfig.builder());
        long before = pe.configWrites();
        w(pe, PMEVCNTR_EL0, 0, 5);
        w(pe, PMCCNTR_EL0, 0, 7);
        w(pe, PMOVSCLR_EL0, 0, 1);
        w(pe, PMOVSSET_EL0, 0, 1);
        assertThat(pe.configWrites())
                .as("counters and flags are not configuration")
                .isEqualTo(before);
        w(pe, PMCNTENSET_EL0, 0, 1);
        w(pe, PMEVTYPER_EL0, 0, Events.INST_RETIRED);
        w(pe, PMCR_EL0, 0, 1);
        w(pe, PMINTENSET_EL1, 0, 1);
        assertThat(pe.configWrites()).isEqualTo(before + 4);
        pe.reset();
        assertThat(pe.configWrites()).isEqualTo(before + 5);
    }

    @Test
    void excludeFiltersFollowTheArmArmTable() {
        Pe pe = pe(PmuConfig.builder());
        w(pe, PMEVTYPER_EL0, 0, Events.CPU_CYCLES | P); // exclude EL1
        w(pe, PMEVTYPER_EL0, 1, Events.CPU_CYCLES | U); // exclude EL0
        w(pe, PMEVTYPER_EL0, 2, Events.CPU_CYCLES | NSH); // include EL2
        w(pe, PMCNTENSET_EL0, 0, 0b111);
        w(pe, PMCR_EL0, 0, 1);
        pe.switchContext(0, EL0, RUNNING);
        pe.switchContext(10, EL1, RUNNING);
        pe.switchContext(30, EL2, RUNNING);
        pe.advanceTo(70);
        assertThat(pe.eventCounter(0)).as("EL0 + EL2? no: NSH=0, so EL0 only").isEqualTo(20);
        assertThat(pe.eventCounter(1)).as("EL1 only").isEqualTo(40);
        assertThat(pe.eventCounter(2)).as("all three").isEqualTo(140);
    }

    @Test
    void unimplementedEventCountsNothingButReadsBack() {
        Pe pe = pe(PmuConfig.builder());
        w(pe, PMEVTYPER_EL0, 0, 0x1234 | NSH);
        w(pe, PMCNTENSET_EL0, 0, 1);
        w(pe, PMCR_EL0, 0, 1);
        pe.switchContext(0, EL2, EventRates.builder().rate(0x1234, 1, 1).build());
        pe.advanceTo(1000);
        assertThat(pe.eventCounter(0)).isZero();
        assertThat(r(pe, PMEVTYPER_EL0, 0)).isEqualTo(0x1234 | NSH);
    }

    @Test
    void nextOverflowTimeIsComputedExactly() {
        Pe pe = pe(PmuConfig.builder());
        w(pe, PMEVTYPER_EL0, 0, Events.INST_RETIRED);
        w(pe, PMEVCNTR_EL0, 0, 0xffff_ffffL - 99); // 100 increments to the bit-31 carry
        w(pe, PMINTENSET_EL1, 0, 1);
        w(pe, PMCNTENSET_EL0, 0, 1);
        w(pe, PMCR_EL0, 0, 1);
        pe.switchContext(1000, EL1, RUNNING);
        // 100 instructions at 1 per 4 ns: the 100th retires at 1000 + 400.
        assertThat(pe.nextOverflowTime()).isEqualTo(1400);
        pe.advanceTo(1399);
        assertThat(pe.irqAsserted()).isFalse();
        pe.advanceTo(1400);
        assertThat(pe.irqAsserted()).isTrue();
        assertThat(pe.eventCounter(0)).isEqualTo(0x1_0000_0000L);
        assertThat(r(pe, PMOVSSET_EL0, 0)).isEqualTo(1);
    }

    @Test
    void noOverflowTimeWhenInterruptDisabledOrNotCounting() {
        Pe pe = pe(PmuConfig.builder());
        w(pe, PMEVTYPER_EL0, 0, Events.INST_RETIRED);
        w(pe, PMEVCNTR_EL0, 0, 0xffff_fff0L);
        w(pe, PMCNTENSET_EL0, 0, 1);
        w(pe, PMCR_EL0, 0, 1);
        pe.switchContext(0, EL1, RUNNING);
        assertThat(pe.nextOverflowTime()).as("PMINTENSET clear").isEqualTo(Long.MAX_VALUE);
        w(pe, PMINTENSET_EL1, 0, 1);
        assertThat(pe.nextOverflowTime()).isEqualTo(64);
        pe.switchContext(0, EL2, RUNNING);
        assertThat(pe.nextOverflowTime()).as("filtered at EL2").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void sixtyFourBitOverflowWithLp() {
        Pe pe = pe(PmuConfig.builder());
        w(pe, PMEVTYPER_EL0, 0, Events.CPU_CYCLES);
        w(pe, PMEVCNTR_EL0, 0, -10L);
        w(pe, PMINTENSET_EL1, 0, 1);
        w(pe, PMCNTENSET_EL0, 0, 1);
        w(pe, PMCR_EL0, 0, 1 | (1 << 7)); // E, LP
        pe.switchContext(0, EL1, RUNNING);
        assertThat(pe.nextOverflowTime()).isEqualTo(5);
        pe.advanceTo(4);
        assertThat(pe.eventCounter(0)).isEqualTo(-2L);
        assertThat(pe.irqAsserted()).isFalse();
        pe.advanceTo(5);
        assertThat(pe.eventCounter(0)).isZero();
        assertThat(pe.irqAsserted()).isTrue();
    }

    @Test
    void beforeP5CountersAre32BitsWide() {
        Pe pe = pe(PmuConfig.builder().version(PmuVersion.P1));
        w(pe, PMEVCNTR_EL0, 0, 0x1_2345_6789L);
        assertThat(r(pe, PMEVCNTR_EL0, 0)).isEqualTo(0x2345_6789L);
        w(pe, PMEVTYPER_EL0, 0, Events.CPU_CYCLES);
        w(pe, PMEVCNTR_EL0, 0, 0xffff_fffeL);
        w(pe, PMCNTENSET_EL0, 0, 1);
        w(pe, PMCR_EL0, 0, 1 | (1 << 7)); // LP is RES0 before p5
        assertThat(r(pe, PMCR_EL0, 0) & (1 << 7)).isZero();
        pe.switchContext(0, EL1, RUNNING);
        pe.advanceTo(2);
        assertThat(pe.eventCounter(0)).isEqualTo(2);
        assertThat(r(pe, PMOVSSET_EL0, 0)).isEqualTo(1);
    }

    @Test
    void chainCounterCountsEvenNeighbourOverflows() {
        Pe pe = pe(PmuConfig.builder());
        w(pe, PMEVTYPER_EL0, 0, Events.CPU_CYCLES);
        w(pe, PMEVTYPER_EL0, 1, Events.CHAIN);
        w(pe, PMEVCNTR_EL0, 0, 0xffff_ff00L);
        w(pe, PMINTENSET_EL1, 0, 0b10);
        w(pe, PMCNTENSET_EL0, 0, 0b11);
        w(pe, PMCR_EL0, 0, 1);
        pe.switchContext(0, EL1, RUNNING);
        // 256 cycles to the first carry, then 2^32 per carry, at 2 cycles per ns.
        pe.advanceTo(128 + (1L << 31));
        assertThat(pe.eventCounter(0)).isEqualTo(0x2_0000_0000L);
        assertThat(pe.eventCounter(1)).as("two carries").isEqualTo(2);
        assertThat(r(pe, PMOVSSET_EL0, 0))
                .as("only the even counter overflowed")
                .isEqualTo(1);
        w(pe, PMEVCNTR_EL0, 1, 0xffff_ffffL);
        w(pe, PMOVSCLR_EL0, 0, 1);
        long next = pe.nextOverflowTime();
        // The odd counter overflows at the even counter's next carry: 2^32 cycles on from 0x2_0000_0000.
        assertThat(next).isEqualTo(128 + (1L << 31) + (1L << 31));
        pe.advanceTo(next);
        assertThat(pe.irqAsserted()).isTrue();
        assertThat(r(pe, PMOVSSET_EL0, 0)).isEqualTo(0b11);
    }

    @Test
    void cycleCounterDividerCountsEvery64Cycles() {
        Pe pe = pe(PmuConfig.builder());
        w(pe, PMCNTENSET_EL0, 0, 1L << 31);
        w(pe, PMCR_EL0, 0, 1 | (1 << 3)); // E, D
        pe.switchContext(0, EL1, RUNNING);
        pe.advanceTo(100); // 200 cycles
        assertThat(r(pe, PMCCNTR_EL0, 0)).isEqualTo(3);
        pe.advanceTo(132); // 264 cycles
        assertThat(r(pe, PMCCNTR_EL0, 0)).isEqualTo(4);
        w(pe, PMCR_EL0, 0, 1 | (1 << 3) | (1 << 6)); // LC=1 ignores D
        pe.advanceTo(142);
        assertThat(r(pe, PMCCNTR_EL0, 0)).isEqualTo(24);
    }

    @Test
    void hpmdStopsFirstRangeAtEl2AndDpStopsCycleCounter() {
        Pe pe = pe(PmuConfig.builder());
        w(pe, MDCR_EL2, 0, 4 | (1 << 7) | (1 << 17)); // HPMN=4, HPME, HPMD
        w(pe, PMEVTYPER_EL0, 0, Events.CPU_CYCLES | NSH);
        w(pe, PMEVTYPER_EL0, 5, Events.CPU_CYCLES | NSH);
        w(pe, PMCCFILTR_EL0, 0, NSH);
        w(pe, PMCNTENSET_EL0, 0, (1L << 31) | 0b100001);
        w(pe, PMCR_EL0, 0, 1);
        pe.switchContext(0, EL2, RUNNING);
        pe.advanceTo(10);
        assertThat(pe.eventCounter(0)).as("R1 prohibited at EL2 by HPMD").isZero();
        assertThat(pe.eventCounter(5)).as("R2 unaffected").isEqualTo(20);
        assertThat(r(pe, PMCCNTR_EL0, 0)).as("PMCCNTR counts unless DP").isEqualTo(20);
        w(pe, PMCR_EL0, 0, 1 | (1 << 5)); // DP
        pe.advanceTo(20);
        assertThat(r(pe, PMCCNTR_EL0, 0)).isEqualTo(20);
    }

    @Test
    void hccdStopsCycleCounterAtEl2Only() {
        Pe pe = pe(PmuConfig.builder());
        w(pe, MDCR_EL2, 0, 6 | (1 << 23));
        w(pe, PMCCFILTR_EL0, 0, NSH);
        w(pe, PMCNTENSET_EL0, 0, 1L << 31);
        w(pe, PMCR_EL0, 0, 1);
        pe.switchContext(0, EL2, RUNNING);
        pe.advanceTo(10);
        assertThat(r(pe, PMCCNTR_EL0, 0)).isZero();
        pe.switchContext(10, EL1, RUNNING);
        pe.advanceTo(20);
        assertThat(r(pe, PMCCNTR_EL0, 0)).isEqualTo(20);
    }

    @Test
    void freezeOnOverflowStopsFirstRangeAtTheOverflowInstant() {
        Pe pe = pe(PmuConfig.builder().version(PmuVersion.P7));
        w(pe, MDCR_EL2, 0, 4 | (1 << 7)); // HPMN=4, HPME
        w(pe, PMEVTYPER_EL0, 0, Events.CPU_CYCLES);
        w(pe, PMEVTYPER_EL0, 1, Events.INST_RETIRED);
        w(pe, PMEVTYPER_EL0, 4, Events.CPU_CYCLES); // second range: not frozen by FZO
        w(pe, PMEVCNTR_EL0, 0, 0xffff_ffffL - 19); // overflows after 20 cycles = 10 ns
        w(pe, PMCNTENSET_EL0, 0, 0b10011);
        w(pe, PMCR_EL0, 0, 1 | (1 << 9)); // E, FZO
        pe.switchContext(0, EL1, RUNNING);
        pe.advanceTo(1000); // one advance: must split at 10 ns
        assertThat(pe.eventCounter(0))
                .as("no skid: the overflowing event counts, nothing after")
                .isEqualTo(1L << 32);
        assertThat(pe.eventCounter(1))
                .as("frozen at 10 ns: 2 instructions (floor 10/4)")
                .isEqualTo(2);
        assertThat(pe.eventCounter(4)).as("R2 keeps counting").isEqualTo(2000);
        w(pe, PMOVSCLR_EL0, 0, 1); // clearing the flag unfreezes
        pe.advanceTo(1100);
        assertThat(pe.eventCounter(1)).isEqualTo(2 + 25);
    }

    @Test
    void brbeFreezesOnFirstRangeOverflowWithEl1Fzp() {
        Pe pe = pe(PmuConfig.builder().brbe(true));
        w(pe, MDCR_EL2, 0, 4 | (1 << 7));
        w(pe, BRBCR_EL1, 0, 0b11 | (1 << 8)); // E0BRE, E1BRE, FZP
        w(pe, PMEVTYPER_EL0, 0, Events.INST_RETIRED);
        w(pe, PMEVCNTR_EL0, 0, 0xffff_ffffL - 9); // 10 instructions = 40 ns
        w(pe, PMCNTENSET_EL0, 0, 1);
        w(pe, PMCR_EL0, 0, 1);
        pe.switchContext(0, EL1, RUNNING);
        pe.advanceTo(100);
        assertThat(pe.brbePaused()).isTrue();
        assertThat(pe.brbeBlackoutNs())
                .as("paused at the overflow instant, 40 ns")
                .isEqualTo(60);
        assertThat(r(pe, BRBFCR_EL1, 0) & (1 << 7)).isNotZero();
        // Software clears the overflow, then unpauses.
        w(pe, PMOVSCLR_EL0, 0, 1);
        w(pe, BRBFCR_EL1, 0, 0);
        pe.advanceTo(200);
        assertThat(pe.brbePaused()).isFalse();
        assertThat(pe.brbeBlackoutNs()).isEqualTo(60);
    }

    @Test
    void brbeEl2FzpIgnoresFirstRangeAndCycleCounter() {
        Pe pe = pe(PmuConfig.builder().brbe(true));
        w(pe, MDCR_EL2, 0, 4 | (1 << 7));
        w(pe, BRBCR_EL1, 0, 0b11);
        w(pe, BRBCR_EL2, 0, 0b11 | (1 << 8));
        w(pe, PMOVSSET_EL0, 0, 1 | (1L << 31));
        pe.setExceptionLevel(EL1);
        assertThat(pe.brbePaused())
                .as("R1 and cycle-counter overflows do not freeze via EL2 FZP")
                .isFalse();
        pe.setExceptionLevel(EL2);
        w(pe, PMOVSSET_EL0, 0, 1 << 5);
        assertThat(pe.brbePaused()).isTrue();
    }

    @Test
    void brbeRegistersAreUndefinedWithoutFeatBrbe() {
        Pe pe = pe(PmuConfig.builder());
        assertThat(pe.read(BRBCR_EL1, 0).outcome()).isEqualTo(AccessOutcome.UNDEFINED);
        assertThat(pe.write(BRBFCR_EL1, 0, 0)).isEqualTo(AccessOutcome.UNDEFINED);
    }

    @Test
    void secondRangeCountersKeepCountingWhileHiddenFromEl1() {
        Pe pe = pe(PmuConfig.builder());
        w(pe, MDCR_EL2, 0, 2 | (1 << 7));
        w(pe, PMEVTYPER_EL0, 3, Events.CPU_CYCLES);
        w(pe, PMCNTENSET_EL0, 0, 1 << 3);
        pe.switchContext(0, EL1, RUNNING);
        pe.advanceTo(50);
        assertThat(pe.read(PMEVCNTR_EL0, 3).outcome()).isEqualTo(AccessOutcome.TRAP_EL2);
        assertThat(pe.eventCounter(3)).isEqualTo(100);
    }

    @Test
    void timeCannotGoBackwards() {
        Pe pe = pe(PmuConfig.builder());
        pe.advanceTo(10);
        assertThatThrownBy(() -> pe.advanceTo(5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backwards");
    }

    @Test
    void reservedHpmnChoices() {
        Pe asN = pe(PmuConfig.builder());
        w(asN, MDCR_EL2, 0, 9); // HPMN > N
        asN.setExceptionLevel(EL1);
        assertThat(PmcrEl0.n(r(asN, PMCR_EL0, 0))).isEqualTo(6);
        Pe allR2 = pe(PmuConfig.builder().reservedHpmn(ReservedHpmnChoice.ALL_SECOND_RANGE));
        w(allR2, MDCR_EL2, 0, 0);
        assertThat(r(allR2, MDCR_EL2, 0))
                .as("direct read returns what was written")
                .isZero();
        allR2.setExceptionLevel(EL1);
        assertThat(PmcrEl0.n(r(allR2, PMCR_EL0, 0))).isZero();
        assertThat(allR2.read(PMEVCNTR_EL0, 0).outcome()).isEqualTo(AccessOutcome.TRAP_EL2);
    }

    @Test
    void hpmn0WithFgtMakesEverythingSecondRangeAndTrapsFromEl1() {
        Pe pe = pe(PmuConfig.builder().fgt(true).hpmn0(true));
        w(pe, MDCR_EL2, 0, 0);
        pe.setExceptionLevel(EL1);
        assertThat(PmcrEl0.n(r(pe, PMCR_EL0, 0))).isZero();
        assertThat(pe.read(PMEVCNTR_EL0, 0).outcome()).isEqualTo(AccessOutcome.TRAP_EL2);
        assertThat(pe.read(PMEVCNTR_EL0, 6).outcome())
                .as("n >= N UNDEFINED with FGT")
                .isEqualTo(AccessOutcome.UNDEFINED);
        assertThat(r(pe, PMCCNTR_EL0, 0)).as("PMCCNTR stays accessible").isZero();
    }

    @Test
    void cuChoicesWithoutFgt() {
        for (CuChoice cu : CuChoice.values()) {
            Pe pe = pe(PmuConfig.builder().cu(cu));
            w(pe, MDCR_EL2, 0, 2);
            w(pe, PMEVCNTR_EL0, 4, 0x44);
            pe.setExceptionLevel(EL1);
            Pe.Access read = pe.read(PMEVCNTR_EL0, 4);
            AccessOutcome write = pe.write(PMEVCNTR_EL0, 4, 0x55);
            switch (cu) {
                case TRAP -> {
                    assertThat(read.outcome()).isEqualTo(AccessOutcome.TRAP_EL2);
                    assertThat(write).isEqualTo(AccessOutcome.TRAP_EL2);
                }
                case UNDEF -> {
                    assertThat(read.outcome()).isEqualTo(AccessOutcome.UNDEFINED);
                    assertThat(write).isEqualTo(AccessOutcome.UNDEFINED);
                }
                case RAZWI, NOP -> {
                    assertThat(read).isEqualTo(new Pe.Access(AccessOutcome.OK, 0));
                    assertThat(write).isEqualTo(AccessOutcome.OK);
                }
            }
            assertThat(pe.eventCounter(4)).as("%s leaves the counter alone", cu).isEqualTo(0x44);
        }
    }

    @Test
    void pmcrImpIsRazFromP7() {
        Pe p5 = pe(PmuConfig.builder());
        Pe p7 = pe(PmuConfig.builder().version(PmuVersion.P7));
        assertThat(r(p5, PMCR_EL0, 0) >>> 24).isEqualTo(0x41);
        assertThat(r(p7, PMCR_EL0, 0) >>> 24).isZero();
    }

    @Test
    void pmmirExistsFromP4AndIsUndefinedAtEl0() {
        Pe p1 = pe(PmuConfig.builder().version(PmuVersion.P1));
        assertThat(p1.read(PmuRegister.PMMIR_EL1, 0).outcome()).isEqualTo(AccessOutcome.UNDEFINED);
        Pe p4 = new Pe(PmuConfig.builder().version(PmuVersion.P4).pmmir(0x8).build());
        assertThat(r(p4, PmuRegister.PMMIR_EL1, 0)).isEqualTo(8);
        assertThat(p4.write(PmuRegister.PMMIR_EL1, 0, 1)).isEqualTo(AccessOutcome.UNDEFINED);
        p4.setExceptionLevel(EL0);
        assertThat(p4.read(PmuRegister.PMMIR_EL1, 0).outcome()).isEqualTo(AccessOutcome.UNDEFINED);
    }

    @Test
    void pmuv3HasTenBitEventNumbersAndNoHpmd() {
        Pe pe = pe(PmuConfig.builder().version(PmuVersion.V3));
        w(pe, PMEVTYPER_EL0, 0, 0xffff);
        assertThat(r(pe, PMEVTYPER_EL0, 0)).isEqualTo(0x3ff);
        w(pe, MDCR_EL2, 0, 6 | (1 << 17));
        assertThat(r(pe, MDCR_EL2, 0)).as("HPMD is RES0 before p1").isEqualTo(6);
        Pe p1 = pe(PmuConfig.builder().version(PmuVersion.P1));
        assertThat(r(p1, PmuRegister.PMCEID0_EL0, 0))
                .isEqualTo(Events.pmceid(p1.config().events(), PmuVersion.P1)[0]);
    }

    @Test
    void ceilDiv128IsExactAcrossTheRange() {
        java.util.Random random = new java.util.Random(42);
        for (int t = 0; t < 20_000; t++) {
            long d = 1 + (random.nextLong() >>> (24 + random.nextInt(39)));
            long hi = random.nextInt(4) == 0 ? 0 : random.nextLong() >>> (34 + random.nextInt(30));
            long lo = random.nextLong();
            java.math.BigInteger n = java.math.BigInteger.valueOf(hi)
                    .shiftLeft(64)
                    .add(new java.math.BigInteger(Long.toUnsignedString(lo)));
            java.math.BigInteger[] qr = n.divideAndRemainder(java.math.BigInteger.valueOf(d));
            java.math.BigInteger ceil = qr[1].signum() == 0 ? qr[0] : qr[0].add(java.math.BigInteger.ONE);
            long expected = ceil.bitLength() <= 62 ? ceil.longValue() : Long.MAX_VALUE;
            long actual = OverflowTime.ceilDiv128(hi, lo, d);
            if (expected != Long.MAX_VALUE) {
                assertThat(actual).as("ceil(%s / %d)", n, d).isEqualTo(expected);
            } else {
                assertThat(actual).as("ceil(%s / %d) beyond 2^62", n, d).isGreaterThanOrEqualTo(1L << 61);
            }
        }
    }

    @Test
    void overflowTimeOfAFreeRunning64BitCounterIsComputedWithoutLosingPrecision() {
        Pe pe = pe(PmuConfig.builder());
        w(pe, PMEVTYPER_EL0, 0, Events.CPU_CYCLES);
        w(pe, PMEVCNTR_EL0, 0, 0xc000_0000_0000_0000L); // 2^62 cycles to the 64-bit wrap
        w(pe, PMINTENSET_EL1, 0, 1);
        w(pe, PMCNTENSET_EL0, 0, 1);
        w(pe, PMCR_EL0, 0, 1 | (1 << 7));
        pe.switchContext(0, EL1, RUNNING);
        assertThat(pe.nextOverflowTime()).isEqualTo(1L << 61); // at 2 cycles per ns
        w(pe, PMEVCNTR_EL0, 0, 0xffff_ffff_0000_0000L);
        assertThat(pe.nextOverflowTime()).isEqualTo(1L << 31);
    }

    @Test
    void el2BracketNestsAndRestoresTheGuestContext() {
        Pe pe = pe(PmuConfig.builder());
        w(pe, PMEVTYPER_EL0, 0, Events.CPU_CYCLES); // counts at EL0/EL1, not at EL2
        w(pe, PMCNTENSET_EL0, 0, 1);
        w(pe, PMCR_EL0, 0, 1);
        pe.switchContext(0, EL1, RUNNING);
        pe.enterEl2(10);
        pe.enterEl2(10); // the perf core inside KVM's bracket
        assertThat(pe.exceptionLevel()).isEqualTo(EL2);
        pe.exitEl2();
        assertThat(pe.exceptionLevel()).as("still inside the outer bracket").isEqualTo(EL2);
        pe.exitEl2();
        assertThat(pe.exceptionLevel()).isEqualTo(EL1);
        assertThat(pe.rates()).isEqualTo(RUNNING);
        pe.advanceTo(20);
        assertThat(pe.eventCounter(0))
                .as("20 ns at EL1, no time in the bracket")
                .isEqualTo(40);
        assertThatThrownBy(pe::exitEl2).isInstanceOf(IllegalStateException.class);
    }
}
