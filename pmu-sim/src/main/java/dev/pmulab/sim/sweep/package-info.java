/**
 * Sweeps: one study as many runs. A {@link dev.pmulab.sim.sweep.SweepSpec} (read from YAML by
 * {@link dev.pmulab.sim.sweep.SweepReader}, or built from {@code --vary} arguments) becomes a
 * {@link dev.pmulab.sim.sweep.SweepPlan} of {@link dev.pmulab.sim.sweep.SweepPoint}s in a fixed
 * order; a {@link dev.pmulab.sim.sweep.PointRunner} runs one point to a
 * {@link dev.pmulab.sim.sweep.PointResult}, anywhere (this JVM, a worker JVM, a Spark executor);
 * {@link dev.pmulab.sim.sweep.SweepOutput} writes the tidy CSV, the JSON lines and the HTML report.
 * docs/sweeps.md is the user's guide and describes this API.
 */
package dev.pmulab.sim.sweep;
