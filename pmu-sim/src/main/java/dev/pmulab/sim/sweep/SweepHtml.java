package dev.pmulab.sim.sweep;

import java.util.List;

/** The sweep's HTML report. */
final class SweepHtml {
    private SweepHtml() {}

    static String render(SweepHeader header, List<PointResult> results) {
        return "<!DOCTYPE html>\n<title>" + header.name() + "</title>\n";
    }
}
