package dev.pmulab.hw.script;

import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.PmuRegister;

/** One executable line of a pmuscript. */
public sealed interface Statement {
    /** The script line it came from, 1-based. */
    int line();

    /** {@code el 0|1|2}: change Exception level without touching PMU state. */
    record ChangeLevel(int line, ExceptionLevel level) implements Statement {}

    /** {@code read REG}: an MRS. */
    record Read(int line, PmuRegister.Named register) implements Statement {}

    /** {@code read PMUIRQ}: the level of the PMU overflow interrupt request. */
    record ReadIrq(int line) implements Statement {}

    /** {@code write REG VALUE}: an MSR. */
    record Write(int line, PmuRegister.Named register, long value) implements Statement {}
}
