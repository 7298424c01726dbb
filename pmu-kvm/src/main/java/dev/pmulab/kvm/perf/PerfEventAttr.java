package dev.pmulab.kvm.perf;

import dev.pmulab.hw.regs.PmevtyperEl0;

/**
 * The parts of {@code struct perf_event_attr} the host perf model acts on.
 *
 * @param type the perf PMU type number (one per core type, {@link PerfPmu#type()})
 * @param config the PMUv3 event number (a raw event: PMEVTYPER.evtCount)
 * @param config1 driver flags: bit 0 {@code long} (a 64-bit counter is wanted), bit 1 {@code rdpmc}
 *     (user space reads the counter directly)
 * @param pinned the group must always be on a counter, or go to ERROR (§1.4)
 * @param disabled the event starts OFF
 * @param excludeUser do not count EL0
 * @param excludeKernel do not count the kernel (EL1, or EL2 for a VHE host)
 * @param excludeHv do not count the hypervisor (EL2 on an nVHE host)
 * @param excludeIdle refused by the PMUv3 driver (-EPERM)
 * @param excludeHost count only while a guest runs
 * @param excludeGuest count only while the host runs
 * @param samplePeriod events per sample; 0 for a counting event (ignored when {@code freq})
 * @param freq frequency mode: {@code sampleFreq} samples per second, period re-tuned (§1.8)
 * @param sampleFreq samples per second in frequency mode
 */
public record PerfEventAttr(
        int type,
        int config,
        long config1,
        boolean pinned,
        boolean disabled,
        boolean excludeUser,
        boolean excludeKernel,
        boolean excludeHv,
        boolean excludeIdle,
        boolean excludeHost,
        boolean excludeGuest,
        long samplePeriod,
        boolean freq,
        long sampleFreq) {

    /** config1 bit 0, the PMUv3 driver's {@code long} format field: a 64-bit counter. */
    public static final long CONFIG1_LONG = 1L;
    /** config1 bit 1, the PMUv3 driver's {@code rdpmc} format field: user access to the counter. */
    public static final long CONFIG1_RDPMC = 1L << 1;

    public PerfEventAttr {
        if (type < 0) {
            throw new IllegalArgumentException("type must be >= 0, was " + type);
        }
        if (config < 0 || config > PmevtyperEl0.EVTCOUNT_MASK) {
            throw new IllegalArgumentException("config must be a PMUv3 event number 0..0xffff, was " + config);
        }
        if (samplePeriod < 0) {
            throw new IllegalArgumentException("samplePeriod must be >= 0, was " + samplePeriod);
        }
        if (sampleFreq < 0) {
            throw new IllegalArgumentException("sampleFreq must be >= 0, was " + sampleFreq);
        }
        if (freq && sampleFreq == 0) {
            throw new IllegalArgumentException("frequency mode needs sampleFreq > 0");
        }
    }

    /** A counting, flexible, enabled event counting everywhere. */
    public static Builder builder(int type, int config) {
        return new Builder(type, config);
    }

    public Builder toBuilder() {
        Builder b = new Builder(type, config);
        b.config1 = config1;
        b.pinned = pinned;
        b.disabled = disabled;
        b.excludeUser = excludeUser;
        b.excludeKernel = excludeKernel;
        b.excludeHv = excludeHv;
        b.excludeIdle = excludeIdle;
        b.excludeHost = excludeHost;
        b.excludeGuest = excludeGuest;
        b.samplePeriod = samplePeriod;
        b.freq = freq;
        b.sampleFreq = sampleFreq;
        return b;
    }

    /** {@code armv8pmu_event_is_64bit}: config1 {@code long}. */
    public boolean is64Bit() {
        return (config1 & CONFIG1_LONG) != 0;
    }

    /** {@code armv8pmu_event_want_user_access}: config1 {@code rdpmc}. */
    public boolean userRead() {
        return (config1 & CONFIG1_RDPMC) != 0;
    }

    /** {@code is_sampling_event}: a period or a frequency was asked for. */
    public boolean isSampling() {
        return freq ? sampleFreq != 0 : samplePeriod != 0;
    }

    public static final class Builder {
        private final int type;
        private final int config;
        private long config1;
        private boolean pinned;
        private boolean disabled;
        private boolean excludeUser;
        private boolean excludeKernel;
        private boolean excludeHv;
        private boolean excludeIdle;
        private boolean excludeHost;
        private boolean excludeGuest;
        private long samplePeriod;
        private boolean freq;
        private long sampleFreq;

        private Builder(int type, int config) {
            this.type = type;
            this.config = config;
        }

        public Builder config1(long value) {
            this.config1 = value;
            return this;
        }
        /** Sets config1 {@code long}: a 64-bit counter (chained before PMUv3p5). */
        public Builder longCounter(boolean value) {
            config1 = value ? config1 | CONFIG1_LONG : config1 & ~CONFIG1_LONG;
            return this;
        }

        public Builder pinned(boolean value) {
            this.pinned = value;
            return this;
        }

        public Builder disabled(boolean value) {
            this.disabled = value;
            return this;
        }

        public Builder excludeUser(boolean value) {
            this.excludeUser = value;
            return this;
        }

        public Builder excludeKernel(boolean value) {
            this.excludeKernel = value;
            return this;
        }

        public Builder excludeHv(boolean value) {
            this.excludeHv = value;
            return this;
        }

        public Builder excludeIdle(boolean value) {
            this.excludeIdle = value;
            return this;
        }

        public Builder excludeHost(boolean value) {
            this.excludeHost = value;
            return this;
        }

        public Builder excludeGuest(boolean value) {
            this.excludeGuest = value;
            return this;
        }
        /** A sampling event with a fixed period (clears frequency mode). */
        public Builder samplePeriod(long value) {
            this.samplePeriod = value;
            this.freq = false;
            this.sampleFreq = 0;
            return this;
        }
        /** A sampling event in frequency mode (clears the fixed period). */
        public Builder sampleFreq(long value) {
            this.sampleFreq = value;
            this.freq = true;
            this.samplePeriod = 0;
            return this;
        }

        public PerfEventAttr build() {
            return new PerfEventAttr(
                    type,
                    config,
                    config1,
                    pinned,
                    disabled,
                    excludeUser,
                    excludeKernel,
                    excludeHv,
                    excludeIdle,
                    excludeHost,
                    excludeGuest,
                    samplePeriod,
                    freq,
                    sampleFreq);
        }
    }
}
