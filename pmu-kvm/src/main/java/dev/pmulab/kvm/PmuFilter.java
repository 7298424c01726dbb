package dev.pmulab.kvm;

import static dev.pmulab.kvm.KvmUapi.KVM_PMU_EVENT_ALLOW;

import java.util.BitSet;

/**
 * A VM's event filter bitmap ({@code kvm->arch.pmu_filter}, kvm-vpmu-uapi.md §1.3): one bit per event
 * number of the host's event space, set when the event may count. The first filter decides the
 * default: ALLOW starts from "deny all", DENY from "allow all"; later filters only set (ALLOW) or
 * clear (DENY) their ranges and never reset the default. Read-only outside this package.
 */
public final class PmuFilter {
    private final int nrEvents;
    private final BitSet allowed;

    /** The bitmap as allocated by the first filter, whose action sets the default. */
    PmuFilter(int nrEvents, int firstAction) {
        this.nrEvents = nrEvents;
        this.allowed = new BitSet(nrEvents);
        if (firstAction != KVM_PMU_EVENT_ALLOW) {
            allowed.set(0, nrEvents);
        }
    }

    /** Sets (ALLOW) or clears (DENY) the filter's range; the caller has checked the range and action. */
    void apply(KvmPmuEventFilter f) {
        int from = f.baseEvent();
        int to = from + f.nevents();
        if (f.action() == KVM_PMU_EVENT_ALLOW) {
            allowed.set(from, to);
        } else {
            allowed.clear(from, to);
        }
    }

    /** The size of the event space the bitmap covers (1024 or 65536). */
    public int nrEvents() {
        return nrEvents;
    }

    /** Whether {@code event}'s bit is set; events outside the bitmap are not allowed. */
    public boolean allows(int event) {
        return event >= 0 && event < nrEvents && allowed.get(event);
    }

    /** The 32 bits of events [base, base+32) as an unsigned value; bits past the bitmap read 0. */
    long bits32(int base) {
        long v = 0;
        for (int i = 0; i < 32; i++) {
            if (allows(base + i)) {
                v |= 1L << i;
            }
        }
        return v;
    }
}
