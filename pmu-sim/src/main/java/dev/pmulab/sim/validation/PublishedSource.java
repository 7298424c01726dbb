package dev.pmulab.sim.validation;

import static java.util.Objects.requireNonNull;

/**
 * Where a published number was printed: a title, its address and its date (ISO 8601).
 *
 * @param title what the document is, e.g. the series' cover letter
 * @param url where to read it
 * @param date when it was published, {@code YYYY-MM-DD}
 */
public record PublishedSource(String title, String url, String date) {
    /**
     * "[PATCH 00/17] ARM64 PMU Partitioning" by Colton Lewis (partitioning-and-policies.md §2.1):
     * the only measurements of the partitioned PMU there are. Every later cover letter defers to it.
     */
    public static final PublishedSource COVER_LETTER_V1 = new PublishedSource(
            "ARM64 PMU Partitioning v1 cover letter (Colton Lewis)",
            "https://lore.kernel.org/kvm/20250602192702.2125115-1-coltonlewis@google.com/",
            "2025-06-02");

    public PublishedSource {
        requireNonNull(title, "title is null");
        requireNonNull(url, "url is null");
        requireNonNull(date, "date is null");
        if (!date.matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new IllegalArgumentException("date must be YYYY-MM-DD, was " + date);
        }
    }
}
