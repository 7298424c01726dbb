package dev.pmulab.hw.script;

import dev.pmulab.hw.AccessOutcome;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import java.util.ArrayList;
import java.util.List;

/** Runs a parsed pmuscript on a fresh PE and produces its output lines (docs/pmuscript.md, "Output"). */
public final class PmuScriptRunner {
    private PmuScriptRunner() {}

    public static List<String> run(PmuScript script) {
        Pe pe = new Pe(script.config());
        List<String> out = new ArrayList<>();
        for (Statement s : script.statements()) {
            if (s instanceof Statement.ChangeLevel c) {
                pe.setExceptionLevel(c.level());
            } else if (s instanceof Statement.ReadIrq) {
                out.add("read PMUIRQ -> " + hex16(pe.irqAsserted() ? 1 : 0));
            } else if (s instanceof Statement.Read r) {
                PmuRegister.Named reg = r.register();
                Pe.Access a = pe.read(reg.register(), reg.index());
                out.add("read " + reg.archName() + " -> " + (a.ok() ? hex16(a.value()) : describe(a.outcome())));
            } else if (s instanceof Statement.Write w) {
                PmuRegister.Named reg = w.register();
                AccessOutcome o = pe.write(reg.register(), reg.index(), w.value());
                out.add("write " + reg.archName() + " 0x" + Long.toHexString(w.value()) + " -> "
                        + (o == AccessOutcome.OK ? "ok" : describe(o)));
            }
        }
        return out;
    }

    static String hex16(long v) {
        return String.format("0x%016x", v);
    }

    static String describe(AccessOutcome o) {
        return switch (o) {
            case OK -> "ok";
            case UNDEFINED -> "UNDEFINED";
            case TRAP_EL1 -> String.format("TRAP EL1 EC=0x%x", AccessOutcome.EC_MSR_MRS);
            case TRAP_EL2 -> String.format("TRAP EL2 EC=0x%x", AccessOutcome.EC_MSR_MRS);
        };
    }
}
