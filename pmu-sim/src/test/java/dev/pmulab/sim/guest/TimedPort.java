package dev.pmulab.sim.guest;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import java.util.ArrayList;
import java.util.List;

/**
 * A guest PMU port onto a PE at EL1 where every access takes {@code nsPerAccess} of guest time with
 * nothing counting (as a trap to the hypervisor does: the guest clock runs on, its counters do
 * not), and which records the accesses in order.
 */
final class TimedPort implements GuestPmuPort {
    private final Pe pe;
    private final BareMetalPort bare;
    private final long nsPerAccess;
    final List<String> log = new ArrayList<>();

    TimedPort(Pe pe, long nsPerAccess) {
        this.pe = pe;
        this.bare = new BareMetalPort(pe);
        this.nsPerAccess = nsPerAccess;
    }

    @Override
    public long read(PmuRegister reg, int index) {
        long v = bare.read(reg, index);
        log.add("R " + name(reg, index));
        pass();
        return v;
    }

    @Override
    public void write(PmuRegister reg, int index, long value) {
        bare.write(reg, index, value);
        log.add("W " + name(reg, index) + " " + Long.toHexString(value));
        pass();
    }

    private static String name(PmuRegister reg, int index) {
        return reg == PmuRegister.PMEVCNTR_EL0 || reg == PmuRegister.PMEVTYPER_EL0 ? reg + "" + index : reg.toString();
    }

    private void pass() {
        if (nsPerAccess > 0) {
            pe.switchContext(pe.now() + nsPerAccess, ExceptionLevel.EL1, EventRates.NONE);
        }
    }

    @Override
    public long now() {
        return pe.now();
    }
}
