package dev.pmulab.kvm.vpmu;

import dev.pmulab.hw.regs.HdfgxtrEl2;

/**
 * Which PMU registers a partitioned guest still traps on a FEAT_FGT CPU: the bits KVM sets in
 * HDFGRTR_EL2 and HDFGWTR_EL2 (the same positions in both) while the guest owns its counters. The
 * ARM64 PMU Partitioning series changed this set between versions, and the only published
 * measurements were taken with v1, so a scenario that reproduces them picks {@link #V1}
 * (partitioning-and-policies.md §2.1, §3.3, §3.4).
 *
 * <p>Every register not in the set is the guest's: PMCR (writes; reads have no FGT bit and TPMCR is
 * clear), PMUSERENR, PMCCNTR, PMCNTEN, PMINTEN, PMEVCNTRn, PMSWINC, plus whatever a profile leaves
 * out. PMICNTR/PMICFILTR (FEAT_PMUv3_ICNTR, HDFGxTR2_EL2), which both versions trap, are not
 * modelled by the {@code Pe}.
 */
public enum PartitionFgtSet {
    /**
     * v1 patch 09/17 "KVM: arm64: Set up FGT for Partitioned PMU" (Colton Lewis, 2025-06-02,
     * Message-ID 20250602192702.2125115-10-coltonlewis@google.com): {@code __activate_pmu_fgt}
     * sets PMOVS (KVM tracks the overflows it injects), PMEVTYPERn and PMCCFILTR (event filter, no
     * EL2 counting) in both registers, and clears PMUSERENR, PMSELR, PMINTEN, PMCNTEN, PMCCNTR,
     * PMEVCNTRn (and PMCR for writes). PMCEIDn and PMMIR are in neither list; the series'
     * {@code update_fgt_traps_cs} starts from the registers' no-trap value, so they are not
     * trapped: the guest reads the host's PMCEID and PMMIR. v1 11/17 accordingly uses the
     * physical PMSELR for a trapped PMXEVTYPER. v2 (11/23) and v3 (10/22) keep this set.
     */
    V1(HdfgxtrEl2.PMOVS | HdfgxtrEl2.PMEVTYPERN_EL0 | HdfgxtrEl2.PMCCFILTR_EL0),

    /**
     * v5 10/24 (2025-12-09) added PMCEIDn and PMMIR, "because they can leak information specific
     * to the host hardware implementation"; v8 08/21 "Set up FGT for Partitioned PMU"
     * (2026-06-12, Message-ID 20260612192909.1153907-9-coltonlewis@google.com) keeps PMOVS,
     * PMEVTYPERn, PMCCFILTR, PMCEIDn and PMMIR. PMSELR is trapped after the v8 cover letter's
     * fix list ("trapping PMSELR", Message-ID 20260612192909.1153907-1-coltonlewis@google.com);
     * the patch hunk that sets it was not found, so that bit rests on the cover letter alone.
     */
    V8(HdfgxtrEl2.PMOVS
            | HdfgxtrEl2.PMEVTYPERN_EL0
            | HdfgxtrEl2.PMCCFILTR_EL0
            | HdfgxtrEl2.PMCEIDN_EL0
            | HdfgxtrEl2.PMMIR_EL1
            | HdfgxtrEl2.PMSELR_EL0);

    private final long traps;

    PartitionFgtSet(long traps) {
        this.traps = traps;
    }

    /** The HDFGRTR_EL2/HDFGWTR_EL2 bits ({@code Pe.FGT_*}) that stay set for a partitioned guest. */
    public long traps() {
        return traps;
    }

    /** The scenario spelling: {@code v1}, {@code v8}. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
