package dev.pmulab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class SettingSpecTest {
    private static final List<SettingSpec> SPECS = List.of(
            SettingSpec.integer("reserved_host_counters", -1, "counters kept for the host; -1 for none"),
            SettingSpec.choice("order", "bottom-up", List.of("bottom-up", "top-down"), "host allocation order"),
            SettingSpec.integerList("cpus", List.of(), "CPUs"));

    @Test
    void aDefaultMustMatchItsType() {
        assertThatThrownBy(() -> new SettingSpec("x", SettingType.INTEGER, "1", "d", List.of()))
                .hasMessageContaining("default of setting x is not a valid integer");
        assertThatThrownBy(() -> SettingSpec.choice("x", "c", List.of("a", "b"), "d"))
                .hasMessageContaining("not a valid choice");
        assertThatThrownBy(() -> SettingSpec.integer("Bad-Name", 1, "d")).hasMessageContaining("snake_case");
    }

    @Test
    void settingsTakeDefaultsAndRejectUnknownOrIllTyped() {
        Settings s = Settings.of(SPECS, Map.of("order", "top-down"));
        assertThat(s.getLong("reserved_host_counters")).isEqualTo(-1);
        assertThat(s.getString("order")).isEqualTo("top-down");
        assertThat(s.getLongList("cpus")).isEmpty();
        assertThatThrownBy(() -> Settings.of(SPECS, Map.of("colour", 1L)))
                .hasMessageContaining("unknown setting colour");
        assertThatThrownBy(() -> Settings.of(SPECS, Map.of("order", "sideways")))
                .hasMessageContaining("not a valid choice");
        assertThatThrownBy(() -> s.getLong("nope")).hasMessageContaining("known:");
    }

    @Test
    void describeNamesTypeDefaultAndMeaning() {
        assertThat(SPECS.get(0).describe())
                .isEqualTo("reserved_host_counters (integer, default -1): counters kept for the host; -1 for none");
        assertThat(SPECS.get(1).describe()).startsWith("order (one of bottom-up|top-down, default bottom-up)");
    }

    @Test
    void kindsKnowTheirInterfaceAndName() {
        assertThat(PolicyKind.fromConfigName("allocation").policyInterface()).isEqualTo(AllocationPolicy.class);
        assertThatThrownBy(() -> PolicyKind.fromConfigName("alloc"))
                .hasMessageContaining("known: allocation, selection, filter");
    }
}
