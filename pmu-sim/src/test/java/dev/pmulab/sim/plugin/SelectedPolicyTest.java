package dev.pmulab.sim.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.PolicyKind;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class SelectedPolicyTest {
    private static final PolicyRegistry REGISTRY = PolicyRegistry.discover(SelectedPolicyTest.class.getClassLoader());

    private static SelectedPolicy select(Map<String, ?> settings) {
        return SelectedPolicy.select(REGISTRY, PolicyKind.ALLOCATION, "test-reserving", settings);
    }

    @Test
    void defaultsFillWhatTheScenarioLeavesOut() {
        SelectedPolicy p = select(Map.of());
        assertThat(p.settings().getLong("reserved")).isEqualTo(2);
        assertThat(p.settings().getBoolean("top_down")).isFalse();
        assertThat(p.settings().getString("mode")).isEqualTo("strict");
        assertThat(p.settings().getLongList("cpus")).isEmpty();
        assertThat(p.label()).isEqualTo("test-reserving(cpus=[], mode=strict, reserved=2, top_down=false)");
    }

    @Test
    void yamlAndCommandLineValuesConvertToTheDeclaredTypes() {
        SelectedPolicy yaml = select(Map.of("reserved", 3, "top_down", true, "mode", "loose", "cpus", List.of(0, 1)));
        SelectedPolicy cli = select(Map.of("reserved", "3", "top_down", "true", "mode", "loose", "cpus", "0, 1"));
        assertThat(yaml.settings()).isEqualTo(cli.settings());
        assertThat(yaml.settings().getLongList("cpus")).containsExactly(0L, 1L);
        assertThat(select(Map.of("reserved", BigInteger.valueOf(4))).settings().getInt("reserved"))
                .isEqualTo(4);
    }

    @Test
    void unknownSettingListsTheKnownSettingsWithTheirTypes() {
        assertThatThrownBy(() -> select(Map.of("reservd", 3)))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("unknown setting 'reservd' for allocation policy 'test-reserving'")
                .hasMessageContaining("reserved (integer, default 2): counters kept for the host")
                .hasMessageContaining("top_down (boolean, default false)")
                .hasMessageContaining("mode (one of strict|loose, default strict)")
                .hasMessageContaining("cpus (list of integers, default [])");
    }

    @Test
    void illTypedValuesAreRefusedWithTheExpectedType() {
        assertThatThrownBy(() -> select(Map.of("reserved", "many")))
                .hasMessageContaining(
                        "setting 'reserved' of allocation policy 'test-reserving' must be an integer, not 'many'");
        assertThatThrownBy(() -> select(Map.of("top_down", "yes")))
                .hasMessageContaining("must be a boolean, not 'yes'");
        assertThatThrownBy(() -> select(Map.of("mode", "medium")))
                .hasMessageContaining("must be one of strict, loose, not 'medium'");
        assertThatThrownBy(() -> select(Map.of("cpus", List.of(1, "x"))))
                .hasMessageContaining("must be a list of integers");
        assertThatThrownBy(() -> select(Map.of("reserved", 2.5))).hasMessageContaining("must be an integer, not '2.5'");
    }

    @Test
    void thePolicysOwnValidationIsApplied() {
        assertThatThrownBy(() -> select(Map.of("reserved", -1)))
                .hasMessageContaining("invalid settings for allocation policy 'test-reserving': reserved must be >= 0");
    }
}
