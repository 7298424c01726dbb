package dev.pmulab.kvm.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** perf_sample_event_took and the throttle threshold, with numbers derived by hand. */
final class PerfSampleLimitsTest {
    @Test
    void defaultsAtHz250() {
        PerfSampleLimits l = new PerfSampleLimits(PerfSysctls.DEFAULTS, 250);
        // DIV_ROUND_UP(100,000, 250) = 400 per tick; 10^9 / 100,000 = 10,000 ns; 25 % of it = 2,500 ns.
        assertThat(l.maxSampleRate()).isEqualTo(100_000);
        assertThat(l.maxSamplesPerTick()).isEqualTo(400);
        assertThat(l.samplePeriodNs()).isEqualTo(10_000);
        assertThat(l.sampleAllowedNs()).isEqualTo(2_500);
        // At HZ=300: DIV_ROUND_UP(100,000, 300) = 334.
        assertThat(new PerfSampleLimits(PerfSysctls.DEFAULTS, 300).maxSamplesPerTick())
                .isEqualTo(334);
    }

    /**
     * A guest booted with (or later written) lower sysctls, as vms[].sysctl sets them: the two
     * handlers' arithmetic, not the 1.25 x average a perf_sample_event_took lowering leaves.
     */
    @Test
    void loweredSysctlsGiveTheHandlersLimits() {
        // 1000 Hz at HZ=250: DIV_ROUND_UP(1000, 250) = 4 per tick; 10^9 / 1000 = 1,000,000 ns; 25 % = 250,000 ns.
        PerfSampleLimits l1000 = new PerfSampleLimits(new PerfSysctls(1000, 25), 250);
        assertThat(l1000.maxSampleRate()).isEqualTo(1000);
        assertThat(l1000.maxSamplesPerTick()).isEqualTo(4);
        assertThat(l1000.samplePeriodNs()).isEqualTo(1_000_000);
        assertThat(l1000.sampleAllowedNs()).isEqualTo(250_000);
        // 1250 Hz at HZ=250: DIV_ROUND_UP(1250, 250) = 5; 10^9 / 1250 = 800,000 ns; 10 % = 80,000 ns.
        PerfSampleLimits l1250 = new PerfSampleLimits(new PerfSysctls(1250, 10), 250);
        assertThat(l1250.maxSamplesPerTick()).isEqualTo(5);
        assertThat(l1250.samplePeriodNs()).isEqualTo(800_000);
        assertThat(l1250.sampleAllowedNs()).isEqualTo(80_000);
        // 1250 Hz at HZ=300: DIV_ROUND_UP(1250, 300) = 5 (4.17 rounded up), not 4.
        assertThat(new PerfSampleLimits(new PerfSysctls(1250, 25), 300).maxSamplesPerTick())
                .isEqualTo(5);
        // 1 Hz, the handler's floor: 1 per tick; 10^9 ns; 25 % = 250,000,000 ns.
        PerfSampleLimits l1 = new PerfSampleLimits(new PerfSysctls(1, 25), 1000);
        assertThat(l1.maxSamplesPerTick()).isEqualTo(1);
        assertThat(l1.sampleAllowedNs()).isEqualTo(250_000_000);
        // Above 10^9 Hz the period is 0 ns and update_perf_cpu_limits allows 1 ns rather than 0.
        PerfSampleLimits lMax = new PerfSampleLimits(new PerfSysctls(Integer.MAX_VALUE, 25), 250);
        assertThat(lMax.samplePeriodNs()).isZero();
        assertThat(lMax.sampleAllowedNs()).isEqualTo(1);
        // 2,147,483,647 / 250 = 8,589,934.588 -> 8,589,935 per tick.
        assertThat(lMax.maxSamplesPerTick()).isEqualTo(8_589_935);
        // 1000 Hz with the feedback off: the rate's limits, nothing allowed, and no lowering.
        PerfSampleLimits off = new PerfSampleLimits(new PerfSysctls(1000, 0), 250);
        assertThat(off.maxSamplesPerTick()).isEqualTo(4);
        assertThat(off.sampleAllowedNs()).isZero();
        assertThat(off.newCpu().sampleEventTook(1_000_000_000L)).isFalse();
        assertThat(off.maxSampleRate()).isEqualTo(1000);
    }

    @Test
    void throttlingStartsAtTheMaxSamplesPerTickThInterrupt() {
        PerfSampleLimits l = new PerfSampleLimits(new PerfSysctls(1000, 25), 250);
        // DIV_ROUND_UP(1000, 250) = 4: the 4th interrupt of a tick throttles, the 3rd does not.
        assertThat(l.maxSamplesPerTick()).isEqualTo(4);
        assertThat(l.throttles(3)).isFalse();
        assertThat(l.throttles(4)).isTrue();
    }

    @Test
    void slowHandlersLowerTheRateByTheKernelsArithmetic() {
        PerfSampleLimits l = new PerfSampleLimits(PerfSysctls.DEFAULTS, 250);
        PerfSampleLimits.Cpu cpu = l.newCpu();
        // 100 us handlers. running_len after n samples: r += 100,000 - r/128; the average r/128
        // first exceeds 2,500 at the 4th: r = 100,000; 199,219 (100,000 - 781 + 100,000);
        // 297,663 (199,219 - 1,556 + 100,000); 395,338 (297,663 - 2,325 + 100,000) -> 3,088 > 2,500.
        assertThat(cpu.sampleEventTook(100_000)).isFalse();
        assertThat(cpu.sampleEventTook(100_000)).isFalse();
        assertThat(cpu.sampleEventTook(100_000)).isFalse();
        assertThat(cpu.sampleEventTook(100_000)).isTrue();
        assertThat(cpu.runningSampleLength()).isEqualTo(395_338);
        // avg 3,088 + 3,088 / 4 = 3,860 allowed; budget TICK_NSEC / 100 * 25 = 1,000,000 ns per
        // tick; 1,000,000 / 3,860 = 259 samples per tick; rate 259 * 250 = 64,750 Hz;
        // period 10^9 / 64,750 = 15,444 ns.
        assertThat(l.sampleAllowedNs()).isEqualTo(3_860);
        assertThat(l.maxSamplesPerTick()).isEqualTo(259);
        assertThat(l.maxSampleRate()).isEqualTo(64_750);
        assertThat(l.samplePeriodNs()).isEqualTo(15_444);
        assertThat(l.lowerings()).isEqualTo(1);
        // 5th: 395,338 - 3,088 + 100,000 = 492,250, average 3,845 <= 3,860: no change.
        assertThat(cpu.sampleEventTook(100_000)).isFalse();
        assertThat(l.maxSamplesPerTick()).isEqualTo(259);
    }

    @Test
    void aHandlerLongerThanTheTickBudgetLeavesOneSamplePerTick() {
        PerfSampleLimits l = new PerfSampleLimits(PerfSysctls.DEFAULTS, 250);
        PerfSampleLimits.Cpu cpu = l.newCpu();
        // One 2 s handler: running 2e9, average 15,625,000 > 2,500; 1.25x = 19,531,250, not below
        // the 1,000,000 ns budget: max_samples_per_tick = 1, rate 250 Hz (the sysctl's floor at HZ).
        assertThat(cpu.sampleEventTook(2_000_000_000L)).isTrue();
        assertThat(l.maxSamplesPerTick()).isEqualTo(1);
        assertThat(l.maxSampleRate()).isEqualTo(250);
        assertThat(l.throttles(1))
                .as("the first interrupt of a tick already throttles")
                .isTrue();
    }

    @Test
    void cpuTimeMaxPercentOf0Or100TurnsTheFeedbackOff() {
        for (int percent : new int[] {0, 100}) {
            PerfSampleLimits l = new PerfSampleLimits(new PerfSysctls(100_000, percent), 250);
            assertThat(l.sampleAllowedNs()).isZero();
            assertThat(l.newCpu().sampleEventTook(1_000_000_000L)).isFalse();
            assertThat(l.maxSampleRate()).isEqualTo(100_000);
        }
    }

    @Test
    void sysctlValuesOutsideTheirRangesAreRefused() {
        assertThatThrownBy(() -> new PerfSysctls(0, 25)).hasMessageContaining("perf_event_max_sample_rate");
        assertThatThrownBy(() -> new PerfSysctls(1000, 101)).hasMessageContaining("perf_cpu_time_max_percent");
    }
}
