package dev.pmulab.sim.scenario;

/**
 * How a kernel (the host's, or a guest's) accounts the CPU time of interrupts, the kernel's
 * CONFIG_IRQ_TIME_ACCOUNTING (kernel/sched/cputime.c).
 */
public enum CputimeAccounting {
    /**
     * Tick-based accounting without IRQ time (the Kconfig default): at each tick
     * {@code account_process_tick} charges the whole tick to user or system by where the tick
     * interrupted, so time in a hardirq handler lands in the mode the handler interrupted; on a
     * host, in guest time while the vCPU thread has PF_VCPU set ({@code account_guest_time}).
     */
    TICK("tick"),
    /**
     * CONFIG_IRQ_TIME_ACCOUNTING: hardirq and softirq time is measured at irq entry and exit
     * ({@code irqtime_account_irq}) and charged to CPUTIME_IRQ/SOFTIRQ, and
     * {@code irqtime_account_process_tick} leaves it out of the task's user and system time.
     */
    IRQ_TIME("irq-time");

    private final String configName;

    CputimeAccounting(String configName) {
        this.configName = configName;
    }

    /** The scenario spelling. */
    public String configName() {
        return configName;
    }
}
