package dev.pmulab.sim.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;

/**
 * Drives a guest model on a PE, as the engine does for a vCPU that always runs: boot at 0, then
 * EL0 work at {@code rates}, a PMU interrupt whenever a counter overflows, a tick every
 * {@code tickNs} and the model's own timer every {@code timerPeriodNs} (if it has one), in time
 * order: an interrupt due at a tick's or a timer's instant first, then the tick, then the timer.
 * Accesses may take guest time (TimedPort): the next event then comes after them.
 */
final class GuestDriver {
    enum Step {
        PMI,
        TICK,
        TIMER,
        NONE
    }

    final GuestPmuModel model;
    final Pe pe;
    final GuestPmuPort port;
    final EventRates rates;
    final long tick;
    final long timer;
    long nextTick;
    long nextTimer;

    GuestDriver(GuestPmuModel model, Pe pe, GuestPmuPort port, EventRates rates) {
        this.model = model;
        this.pe = pe;
        this.port = port;
        this.rates = rates;
        this.tick = model.tickNs();
        this.timer = model.timerPeriodNs();
        this.nextTick = tick;
        this.nextTimer = timer > 0 ? timer : Long.MAX_VALUE;
        pe.switchContext(0, ExceptionLevel.EL1, EventRates.NONE);
        model.boot(port);
    }

    /** Runs until guest time {@code end} (every interrupt, tick and timer due at {@code end} included). */
    GuestDriver until(long end) {
        while (step(end) != Step.NONE) {
            // each step takes one interrupt, tick or timer
        }
        return this;
    }

    /** Runs to the next interrupt, tick or timer (not past {@code end}) and takes it. */
    Step step(long end) {
        long t = pe.now();
        pe.switchContext(t, ExceptionLevel.EL0, rates);
        long ov = pe.nextOverflowTime();
        long next = Math.max(t, Math.min(ov, Math.min(nextTick, nextTimer)));
        if (next > end) {
            model.accountExecution(ExceptionLevel.EL0, rates, end - t);
            pe.switchContext(end, ExceptionLevel.EL1, EventRates.NONE);
            return Step.NONE;
        }
        model.accountExecution(ExceptionLevel.EL0, rates, next - t);
        pe.switchContext(next, ExceptionLevel.EL1, EventRates.NONE);
        if (ov <= Math.min(nextTick, nextTimer)) {
            assertThat(pe.irqAsserted()).isTrue();
            model.pmuInterrupt(port);
            assertThat(pe.irqAsserted()).as("the handler clears what it took").isFalse();
            return Step.PMI;
        }
        if (nextTick <= nextTimer) {
            nextTick += tick;
            model.tick(port);
            return Step.TICK;
        }
        nextTimer += timer;
        model.timer(port);
        return Step.TIMER;
    }
}
