/**
 * The register vocabulary: one final class per system register (or pair of registers that share a
 * layout), each declaring that register's fields once, at the bit positions and under the names the
 * Arm ARM gives them (D24.3, D24.5, D24.8). Each class's documentation also gives the name Linux
 * uses for a field where it differs (arch/arm64 {@code arm_pmuv3.h}, {@code sysreg}), so that code
 * mirroring the kernel can be read against it. Field helpers (extract, insert) are here when more
 * than one model computes them.
 *
 * <p>Depends on nothing, not even the rest of pmu-hw: a rule here is a fact about the encoding, not
 * a choice of the model.
 */
package dev.pmulab.hw.regs;
