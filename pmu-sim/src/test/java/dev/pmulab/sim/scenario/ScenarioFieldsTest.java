package dev.pmulab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link ScenarioFields#accepted()} is what the reader enforces: for every section, a key the list
 * does not hold is refused with exactly the list's keys as the known fields.
 */
final class ScenarioFieldsTest {
    private static final String RUN = "run: {duration: 1s}\n";
    private static final String VM = RUN + "vms: [{name: v, vcpus: 1, ";

    /** Per section, a scenario with the unknown key {@code zz} in it, and the path it is refused at. */
    private static Map<String, Case> cases() {
        Map<String, Case> c = new LinkedHashMap<>();
        c.put("", new Case(RUN + "zz: 1\n", "zz"));
        c.put("run", new Case("run: {duration: 1s, zz: 1}\n", "run.zz"));
        c.put(
                "run.until_work_done",
                new Case(
                        "run: {until_work_done: {vm: v, instructions: 1, zz: 1}}\n" + "vms: [{name: v, vcpus: 1}]\n",
                        "run.until_work_done.zz"));
        c.put("host", new Case(RUN + "host: {zz: 1}\n", "host.zz"));
        c.put("host.kvm", new Case(RUN + "host: {kvm: {zz: 1}}\n", "host.kvm.zz"));
        c.put(
                "host.cpus[]",
                new Case(RUN + "host: {cpus: [{core: cortex-a55, count: 1, zz: 1}]}\n", "host.cpus[0].zz"));
        c.put(
                "host.cpu_overrides.<core>",
                new Case(
                        RUN + "host: {soc: rk3588, cpu_overrides: {cortex-a55: {zz: 1}}}\n",
                        "host.cpu_overrides.cortex-a55.zz"));
        c.put(
                "host_perf[]",
                new Case(RUN + "host_perf: [{name: s, mode: stat, events: [cycles], zz: 1}]\n", "host_perf[0].zz"));
        c.put(
                "host_tasks[]",
                new Case(RUN + "host_tasks: [{name: t, workload: cpu-bound, zz: 1}]\n", "host_tasks[0].zz"));
        c.put(
                "host_tasks[].workload",
                new Case(
                        RUN + "host_tasks: [{name: t, workload: {profile: cpu-bound, zz: 1}}]\n",
                        "host_tasks[0].workload.zz"));
        c.put("vms[]", new Case(VM + "zz: 1}]\n", "vms[0].zz"));
        c.put("vms[].placement", new Case(VM + "placement: {zz: 1}}]\n", "vms[0].placement.zz"));
        c.put(
                "vms[].placement.migrate",
                new Case(VM + "placement: {migrate: {every: 1ms, zz: 1}}}]\n", "vms[0].placement.migrate.zz"));
        for (String kind : PmuUsage.kinds()) {
            c.put(
                    "vms[].pmu_usage(" + kind + ")",
                    new Case(VM + "pmu_usage: {kind: " + kind + ", zz: 1}}]\n", "vms[0].pmu_usage.zz"));
        }
        c.put("vms[].workload", new Case(VM + "workload: {profile: cpu-bound, zz: 1}}]\n", "vms[0].workload.zz"));
        c.put("vms[].sysctl", new Case(VM + "pmu_usage: nmi-watchdog, sysctl: {zz: 1}}]\n", "vms[0].sysctl.zz"));
        c.put("policies", new Case(RUN + "policies: {zz: 1}\n", "policies.zz"));
        c.put("policies.<kind>", new Case(RUN + "policies: {selection: {name: p, zz: 1}}\n", "policies.selection.zz"));
        c.put(
                "admin_writes[]",
                new Case(RUN + "admin_writes: [{at: 1ms, knob: k, value: 1, zz: 1}]\n", "admin_writes[0].zz"));
        c.put("costs.<cost>", new Case(RUN + "costs: {C1: {base: 1, zz: 1}}\n", "costs.C1.zz"));
        return c;
    }

    private record Case(String yaml, String path) {}

    private static Map<String, List<String>> keysBySection() {
        return ScenarioFields.accepted().stream()
                .collect(Collectors.groupingBy(
                        ScenarioFields.Field::section,
                        LinkedHashMap::new,
                        Collectors.mapping(ScenarioFields.Field::key, Collectors.toList())));
    }

    @Test
    void everySectionRefusesAnUnknownKeyListingExactlyItsAcceptedKeys() {
        Map<String, List<String>> sections = keysBySection();
        Map<String, Case> cases = cases();
        // Sections whose keys the user names (a core, an event, a cost, a setting) have no fixed list.
        Set<String> named = sections.entrySet().stream()
                .filter(e -> e.getValue().stream().allMatch(k -> k.startsWith("<")))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(cases.keySet())
                .containsExactlyInAnyOrderElementsOf(sections.keySet().stream()
                        .filter(s -> !named.contains(s))
                        .toList());
        for (Map.Entry<String, Case> e : cases.entrySet()) {
            String known = String.join(", ", sections.get(e.getKey()));
            assertThatThrownBy(() -> ScenarioLoader.load("f.yaml", e.getValue().yaml()))
                    .as(e.getKey())
                    .isInstanceOfSatisfying(
                            ScenarioException.class,
                            ex -> assertThat(ex.problems())
                                    .filteredOn(
                                            p -> p.path().equals(e.getValue().path()))
                                    .singleElement()
                                    .satisfies(p -> assertThat(p.message())
                                            .endsWith(": " + known)
                                            .startsWith("unknown ")));
        }
    }

    @Test
    void theFieldsAreListedOnceEach() {
        List<ScenarioFields.Field> all = ScenarioFields.accepted();
        assertThat(all).doesNotHaveDuplicates();
        // 11 top-level fields, the policies' 3 kinds, perf-stat's 5 keys.
        assertThat(all).filteredOn(f -> f.section().isEmpty()).hasSize(11);
        assertThat(all)
                .filteredOn(f -> f.section().equals("policies"))
                .extracting(ScenarioFields.Field::key)
                .containsExactly("allocation", "selection", "filter");
        assertThat(all)
                .filteredOn(f -> f.section().equals("vms[].pmu_usage(perf-stat)"))
                .extracting(ScenarioFields.Field::path)
                .containsExactly(
                        "vms[].pmu_usage(perf-stat).kind",
                        "vms[].pmu_usage(perf-stat).events",
                        "vms[].pmu_usage(perf-stat).groups",
                        "vms[].pmu_usage(perf-stat).scope",
                        "vms[].pmu_usage(perf-stat).interval");
    }

    @Test
    void everyAcceptedKeyIsDocumented() throws IOException {
        // Surefire runs in the module directory; the docs live at the reactor root. A key is
        // documented as a table's field (`key`, `parent.key`) or in a mapping's form ({key: ...}).
        String doc = Files.readString(Path.of("..", "docs", "scenarios.md"), StandardCharsets.UTF_8);
        List<String> undocumented = ScenarioFields.accepted().stream()
                .map(ScenarioFields.Field::key)
                .filter(k -> !k.startsWith("<"))
                .distinct()
                .filter(k -> Stream.of("`" + k + "`", "`" + k + ":", "." + k + "`", "{" + k + ":", ", " + k + ":")
                        .noneMatch(doc::contains))
                .toList();
        assertThat(undocumented).isEmpty();
    }
}
