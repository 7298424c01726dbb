package dev.pmulab.sim.report;

/**
 * Turns a {@link ReproductionReport} into text. Implementations are pure: the same report gives the
 * same string, with no clock, locale, environment or hash order involved.
 */
@FunctionalInterface
public interface ReproductionRenderer {
    String render(ReproductionReport report);
}
