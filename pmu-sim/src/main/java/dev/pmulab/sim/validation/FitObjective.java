package dev.pmulab.sim.validation;

import java.util.List;

/**
 * The one objective of the cost fit ({@link CostFit}), and nothing else: how far a grid point's
 * simulated benchmarks land from the published ones.
 *
 * <pre>
 *   J = Σ over the fit rows  term(simulated Δ, published Δ)
 *     +                      term(simulated level, published level)   for the emulated stress-ng guest time
 *
 *   term(s, p) = min( ln²(s / p), ln²(RATIO_CAP) )   when s / p is finite and positive
 *              = ln²(RATIO_CAP)                      otherwise (no value, zero, or the wrong sign)
 * </pre>
 *
 * A squared log ratio treats "twice too large" and "half too small" alike and does not care about
 * units, so a real-time delta in percent and a pCPU share in percentage points weigh the same. The
 * cap keeps one missing or wrong-signed row (a livelocked run has no real time) from swamping the
 * others: it costs as much as being 100 times off. J = 0 is a perfect fit; every row within ±25 %
 * contributes at most ln²(1.25) ≈ 0.050 (or ln²(0.75) ≈ 0.083 below), so J below about 0.3 over
 * five terms means each is inside the letter's tolerance.
 */
public final class FitObjective {
    /** A term never exceeds ln²(RATIO_CAP): a missing or wrong-signed value counts as 100 times off. */
    public static final double RATIO_CAP = 100.0;

    private static final double CAPPED = Math.log(RATIO_CAP) * Math.log(RATIO_CAP);

    private FitObjective() {}

    /** One row's contribution: the squared natural log of simulated / published, capped. */
    public static double term(double simulated, double published) {
        double r = simulated / published;
        if (!(r > 0) || Double.isInfinite(r)) {
            return CAPPED;
        }
        double l = Math.log(r);
        return Math.min(l * l, CAPPED);
    }

    /** The objective: the sum of the terms. */
    public static double sum(List<Double> terms) {
        double j = 0;
        for (double t : terms) {
            j += t;
        }
        return j;
    }

    /** The largest term there is, ln²(RATIO_CAP) ≈ 21.2. */
    public static double capped() {
        return CAPPED;
    }
}
