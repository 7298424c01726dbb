package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The result of {@code pmulab compare}: one run per policy of the compared kind, in column order,
 * with the other kinds fixed by the scenario. Renderers are pure functions of this value.
 *
 * @param description the scenario's description; may be empty
 * @param estimatesUsed every cost the runs charged that is an estimate or that the scenario
 *     overrode; kept sorted by id (C2 before C10), so renderers need not sort
 * @param scenarioSha256 the SHA-256 of the scenario's text as read (UTF-8), lower-case hex; null
 *     when the scenario was not read from text
 */
public record ComparisonReport(
        String scenario,
        String description,
        long seed,
        PolicyKind comparedKind,
        List<RunReport> runs,
        List<CostAssumption> estimatesUsed,
        String scenarioSha256) {

    /** A report whose scenario's text is not known (built in code). */
    public ComparisonReport(
            String scenario,
            String description,
            long seed,
            PolicyKind comparedKind,
            List<RunReport> runs,
            List<CostAssumption> estimatesUsed) {
        this(scenario, description, seed, comparedKind, runs, estimatesUsed, null);
    }

    public ComparisonReport {
        if (scenarioSha256 != null && !scenarioSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 in hex: " + scenarioSha256);
        }
        requireNonNull(scenario, "scenario is null");
        requireNonNull(description, "description is null");
        requireNonNull(comparedKind, "comparedKind is null");
        requireNonNull(runs, "runs is null");
        requireNonNull(estimatesUsed, "estimatesUsed is null");
        if (scenario.isBlank()) {
            throw new IllegalArgumentException("scenario name is blank");
        }
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one run");
        }
        List<CostAssumption> sorted = new ArrayList<>(estimatesUsed);
        sorted.sort(CostAssumption.BY_ID);
        Set<String> ids = new HashSet<>();
        for (CostAssumption c : sorted) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("cost " + c.id() + " listed twice");
            }
        }
        estimatesUsed = List.copyOf(sorted);
    }

    /** This report, naming the scenario's text by its SHA-256 ({@link #sha256}). */
    public ComparisonReport withScenarioText(String text) {
        return new ComparisonReport(scenario, description, seed, comparedKind, runs, estimatesUsed, sha256(text));
    }

    /** The SHA-256 of {@code text}'s UTF-8 bytes, lower-case hex. */
    public static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** pmulab's version, from its jar's manifest; {@code development build} when run from classes. */
    public static String pmulabVersion() {
        Package p = ComparisonReport.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "development build" : v;
    }

    /** The label shared by every run for {@code kind}, or empty when the runs differ in it. */
    public Optional<String> commonLabel(PolicyKind kind) {
        requireNonNull(kind, "kind is null");
        String first = runs.get(0).label(kind);
        for (RunReport r : runs) {
            if (!r.label(kind).equals(first)) {
                return Optional.empty();
            }
        }
        return Optional.of(first);
    }

    /** Estimates the scenario kept at their defaults, by id. */
    public List<CostAssumption> estimatesLeanedOn() {
        return estimatesUsed.stream().filter(CostAssumption::leanedOn).toList();
    }

    /** Defaults the scenario replaced, of any flag, by id. */
    public List<CostAssumption> overriddenDefaults() {
        return estimatesUsed.stream().filter(CostAssumption::overridden).toList();
    }

    /** The runs that failed, in column order. */
    public List<RunReport> failedRuns() {
        return runs.stream().filter(r -> !r.isOk()).toList();
    }
}
