package dev.pmulab.hw;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.regs.PmevtyperEl0;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one PE's PMU implements: the number of event counters N, the PMU version, the features that
 * change its behaviour, identification values, the implemented events, and the model's choices for
 * what the Arm ARM leaves CONSTRAINED UNPREDICTABLE.
 *
 * @param n PMCR_EL0.N as read at EL2: implemented event counters, 0..31
 * @param version the PMU architecture version
 * @param fgt FEAT_FGT (its PMU trap registers stay 0; it makes n &gt;= HPMN trap and n &gt;= N UNDEFINED)
 * @param hpmn0 FEAT_HPMN0 (MDCR_EL2.HPMN = 0 is legal)
 * @param brbe FEAT_BRBE (BRBCR_ELx.FZP freeze on PMU overflow)
 * @param imp PMCR_EL0.IMP as read (RAZ from PMUv3p7)
 * @param idcode PMCR_EL0.IDCODE as read (RAZ from PMUv3p7)
 * @param events implemented event numbers, ascending; common ones appear in PMCEID0/1
 * @param pmmir PMMIR_EL1 as read (PMUv3p4 and later)
 * @param cu the choice for EL0/EL1 access to HPMN &lt;= n &lt; N without FEAT_FGT
 * @param reservedHpmn the choice for a reserved MDCR_EL2.HPMN value
 */
public record PmuConfig(
        int n,
        PmuVersion version,
        boolean fgt,
        boolean hpmn0,
        boolean brbe,
        int imp,
        int idcode,
        int[] events,
        long pmmir,
        CuChoice cu,
        ReservedHpmnChoice reservedHpmn) {

    /** The events pmuscript assumes by default: SW_INCR, CPU_CYCLES, STALL_FRONTEND/BACKEND, STALL. */
    public static final int[] DEFAULT_EVENTS = {0x0, 0x11, 0x23, 0x24, 0x3c};

    public PmuConfig {
        requireNonNull(version, "version is null");
        requireNonNull(events, "events is null");
        requireNonNull(cu, "cu is null");
        requireNonNull(reservedHpmn, "reservedHpmn is null");
        if (n < 0 || n > 31) {
            throw new IllegalArgumentException("n must be 0..31 (PMCR_EL0.N), was " + n);
        }
        if (imp < 0 || imp > 0xff) {
            throw new IllegalArgumentException("imp must be 0..0xff, was " + imp);
        }
        if (idcode < 0 || idcode > 0xff) {
            throw new IllegalArgumentException("idcode must be 0..0xff, was " + idcode);
        }
        events = events.clone();
        Arrays.sort(events);
        for (int e : events) {
            if (e < 0 || e > PmevtyperEl0.EVTCOUNT_MASK) {
                throw new IllegalArgumentException("event number out of range 0..0xffff: " + e);
            }
        }
    }

    /** The pmuscript defaults: N=6, PMUv3p5, no FGT, no HPMN0, no BRBE, IMP 0x41, IDCODE 0x01. */
    public static PmuConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .n(n)
                .version(version)
                .fgt(fgt)
                .hpmn0(hpmn0)
                .brbe(brbe)
                .imp(imp)
                .idcode(idcode)
                .events(events)
                .pmmir(pmmir)
                .cu(cu)
                .reservedHpmn(reservedHpmn);
    }

    @Override
    public int[] events() {
        return events.clone();
    }

    public boolean implementsEvent(int event) {
        return Arrays.binarySearch(events, event) >= 0;
    }

    /** PMCEID0_EL0 as the architecture builds it from the implemented common events. */
    public long pmceid0() {
        return Events.pmceid(events, version)[0];
    }

    /** PMCEID1_EL0 as the architecture builds it from the implemented common events. */
    public long pmceid1() {
        return Events.pmceid(events, version)[1];
    }

    /**
     * The rules a real implementation must obey but a register script may deliberately bend (to
     * study them): FEAT_HPMN0 requires FEAT_FGT; a PMU with EL2 and no event counters needs
     * FEAT_HPMN0. Scenario and catalog validation calls this; the pmuscript interpreter does not.
     *
     * @return the violated rules, empty when the configuration is architecturally possible
     */
    public List<String> architecturalViolations() {
        List<String> v = new ArrayList<>();
        if (hpmn0 && !fgt) {
            v.add("FEAT_HPMN0 requires FEAT_FGT");
        }
        if (n == 0 && !hpmn0) {
            v.add("a PMU with EL2 and zero event counters needs FEAT_HPMN0");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PmuConfig c
                && n == c.n
                && version == c.version
                && fgt == c.fgt
                && hpmn0 == c.hpmn0
                && brbe == c.brbe
                && imp == c.imp
                && idcode == c.idcode
                && Arrays.equals(events, c.events)
                && pmmir == c.pmmir
                && cu == c.cu
                && reservedHpmn == c.reservedHpmn;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {
            n, version, fgt, hpmn0, brbe, imp, idcode, Arrays.hashCode(events), pmmir, cu, reservedHpmn
        });
    }

    @Override
    public String toString() {
        return "PmuConfig[n=" + n + ", version=" + version.shortName() + ", fgt=" + fgt + ", hpmn0=" + hpmn0
                + ", brbe=" + brbe + ", imp=0x" + Integer.toHexString(imp) + ", idcode=0x"
                + Integer.toHexString(idcode) + ", events=" + Arrays.toString(events) + ", pmmir=0x"
                + Long.toHexString(pmmir) + ", cu=" + cu.configName() + ", reservedHpmn=" + reservedHpmn + "]";
    }

    public static final class Builder {
        private int n = 6;
        private PmuVersion version = PmuVersion.P5;
        private boolean fgt;
        private boolean hpmn0;
        private boolean brbe;
        private int imp = 0x41;
        private int idcode = 0x01;
        private int[] events = DEFAULT_EVENTS.clone();
        private long pmmir;
        private CuChoice cu = CuChoice.TRAP;
        private ReservedHpmnChoice reservedHpmn = ReservedHpmnChoice.AS_N;

        private Builder() {}

        public Builder n(int n) {
            this.n = n;
            return this;
        }

        public Builder version(PmuVersion version) {
            this.version = version;
            return this;
        }

        public Builder fgt(boolean fgt) {
            this.fgt = fgt;
            return this;
        }

        public Builder hpmn0(boolean hpmn0) {
            this.hpmn0 = hpmn0;
            return this;
        }

        public Builder brbe(boolean brbe) {
            this.brbe = brbe;
            return this;
        }

        public Builder imp(int imp) {
            this.imp = imp;
            return this;
        }

        public Builder idcode(int idcode) {
            this.idcode = idcode;
            return this;
        }

        public Builder events(int... events) {
            this.events = events.clone();
            return this;
        }

        public Builder pmmir(long pmmir) {
            this.pmmir = pmmir;
            return this;
        }

        public Builder cu(CuChoice cu) {
            this.cu = cu;
            return this;
        }

        public Builder reservedHpmn(ReservedHpmnChoice r) {
            this.reservedHpmn = r;
            return this;
        }

        public PmuConfig build() {
            return new PmuConfig(n, version, fgt, hpmn0, brbe, imp, idcode, events, pmmir, cu, reservedHpmn);
        }
    }
}
