package dev.pmulab.sim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyLabelTest {
    @Test
    void formatsBareWordsListsAndQuotesOnlyWhatTheSyntaxNeeds() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("opt_in", true);
        s.put("reserved_host_counters", -1L);
        s.put("cpus", List.of(0L, 2L));
        s.put("filters", "deny:0x03, deny:0x17");
        s.put("empty", "");
        s.put("odd", "a \"b\" \\ c");
        assertThat(PolicyLabel.format("p", s))
                .isEqualTo("p(opt_in=true, reserved_host_counters=-1, cpus=[0, 2], filters=\"deny:0x03, deny:0x17\","
                        + " empty=\"\", odd=\"a \\\"b\\\" \\\\ c\")");
        assertThat(PolicyLabel.format("emulated", Map.of())).isEqualTo("emulated");
    }

    @Test
    void parsesWhatItFormatsBackIntoTheSameNameAndValues() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("opt_in", true);
        s.put("cpus", List.of(0L, 2L));
        s.put("filters", "deny:0x03, deny:0x17");
        s.put("empty", "");
        s.put("odd", "a \"b\" \\ (c)=[d]");
        PolicyLabel.Parsed p = PolicyLabel.parse(PolicyLabel.format("my-policy", s));
        assertThat(p.name()).isEqualTo("my-policy");
        // Raw strings, as a command line gives them; the policy's declared types convert them.
        assertThat(p.rawSettings())
                .containsExactly(
                        Map.entry("opt_in", "true"),
                        Map.entry("cpus", List.of("0", "2")),
                        Map.entry("filters", "deny:0x03, deny:0x17"),
                        Map.entry("empty", ""),
                        Map.entry("odd", "a \"b\" \\ (c)=[d]"));
        assertThat(PolicyLabel.parse(" static-hpmn ( reserved_host_counters = 3 ) ")
                        .rawSettings())
                .containsExactly(Map.entry("reserved_host_counters", "3"));
        assertThat(PolicyLabel.parse("p()").rawSettings()).isEmpty();
    }

    @Test
    void splitsAListAtTopLevelCommasOnly() {
        assertThat(PolicyLabel.splitList("static-hpmn(reserved_host_counters=3, opt_in=false),emulated"))
                .containsExactly("static-hpmn(reserved_host_counters=3, opt_in=false)", "emulated");
        assertThat(PolicyLabel.splitList("f(filters=\"a, b\", cpus=[1, 2]), g"))
                .containsExactly("f(filters=\"a, b\", cpus=[1, 2])", "g");
        assertThat(PolicyLabel.splitList("a,,b")).containsExactly("a", "", "b");
        assertThatThrownBy(() -> PolicyLabel.splitList("a(x=1")).hasMessageContaining("unclosed '('");
        assertThatThrownBy(() -> PolicyLabel.splitList("a)")).hasMessageContaining("unmatched ')' at character 2");
        assertThatThrownBy(() -> PolicyLabel.splitList("a(x=\"1)")).hasMessageContaining("unterminated quote");
    }

    @Test
    void aBrokenLabelSaysWhereAndHowToWriteIt() {
        assertThatThrownBy(() -> PolicyLabel.parse("p(x)"))
                .hasMessage("policy 'p(x)': expected '=' at character 4; write name or name(setting=value, ...) as"
                        + " the report prints it");
        assertThatThrownBy(() -> PolicyLabel.parse("p(x=1, x=2)")).hasMessageContaining("setting 'x' is given twice");
        assertThatThrownBy(() -> PolicyLabel.parse("(x=1)")).hasMessageContaining("expected a policy name");
        assertThatThrownBy(() -> PolicyLabel.parse("p(x=1) q")).hasMessageContaining("unexpected 'q'");
    }

    @Test
    void aRunPolicysShortLabelLeavesOutTheDefaults() {
        RunPolicy p = new RunPolicy(
                "trap-and-grow",
                Map.of("cap", 31L, "start", 2L, "opt_in", true),
                Map.of("cap", 31L, "start", 1L, "opt_in", true),
                RunPolicy.BUILT_IN,
                null);
        assertThat(p.label()).isEqualTo("trap-and-grow(cap=31, opt_in=true, start=2)");
        assertThat(p.shortLabel()).isEqualTo("trap-and-grow(start=2)");
        assertThat(RunPolicy.none().shortLabel()).isEqualTo("none");
    }
}
