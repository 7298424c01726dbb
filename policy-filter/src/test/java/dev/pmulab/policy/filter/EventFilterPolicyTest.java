package dev.pmulab.policy.filter;

import static dev.pmulab.api.EventFilter.allow;
import static dev.pmulab.api.EventFilter.deny;
import static dev.pmulab.policy.filter.SelftestOracle.HOST_PMCEID0;
import static dev.pmulab.policy.filter.SelftestOracle.HOST_PMCEID1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.EventFilter;
import dev.pmulab.api.FilterPolicy;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.Settings;
import dev.pmulab.api.VmView;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

final class EventFilterPolicyTest {
    private final EventFilterDescriptor descriptor = new EventFilterDescriptor();

    /** The engine's views are not consulted: the filters depend on the settings only. */
    private static final VmView VM = new VmView() {
        @Override
        public String vmName() {
            return "vm0";
        }

        @Override
        public int vmId() {
            return 1;
        }

        @Override
        public int vcpuCount() {
            return 1;
        }

        @Override
        public String guestOs() {
            return "linux";
        }

        @Override
        public int initCpu() {
            return 0;
        }

        @Override
        public int[] allowedCpus() {
            return new int[] {0};
        }
    };

    private static final HostView HOST = new HostView() {
        @Override
        public long now() {
            return 0;
        }

        @Override
        public int cpuCount() {
            return 1;
        }

        @Override
        public CpuView cpu(int cpu) {
            throw new UnsupportedOperationException("a filter policy does not look at CPUs");
        }

        @Override
        public boolean vhe() {
            return true;
        }

        @Override
        public List<String> pmuNames() {
            return List.of("armv8_cortex_a76");
        }

        @Override
        public int[] pmuCpus(String pmuName) {
            return new int[] {0};
        }
    };

    private record Context(String policyName, long seed) implements PolicyContext {}

    private Settings settings(Map<String, ?> given) {
        return Settings.of(descriptor.settings(), given);
    }

    /** The policy as the engine builds it, through the descriptor's module. */
    private FilterPolicy policy(Map<String, ?> given) {
        Settings s = settings(given);
        assertThat(descriptor.validate(s)).isEmpty();
        return (FilterPolicy) Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                binder().requireAtInjectOnConstructors();
                binder().disableCircularProxies();
                bind(Settings.class).toInstance(s);
                bind(PolicyContext.class).toInstance(new Context(EventFilterDescriptor.NAME, 1));
            }
        }, descriptor.module(s)).getInstance(PolicyKind.FILTER.policyInterface());
    }

    private List<EventFilter> filters(Map<String, ?> given) {
        return policy(given).eventFilters(VM, HOST);
    }

    @Test
    void describesItself() {
        assertThat(descriptor.name()).isEqualTo(EventFilterDescriptor.NAME).isEqualTo("event-filter");
        assertThat(descriptor.kind()).isEqualTo(PolicyKind.FILTER);
        assertThat(ServiceLoader.load(PolicyDescriptor.class).stream().map(ServiceLoader.Provider::get))
                .extracting(PolicyDescriptor::name).contains("event-filter");
    }

    @Test
    void moduleBindsTheFilterPolicy() {
        assertThat(policy(Map.of())).isInstanceOf(EventFilterPolicy.class);
    }

    @Test
    void defaultsSetNoFilterAtAll() {
        assertThat(Settings.defaults(descriptor.settings()).asMap()).containsOnly(Map.entry("filters", ""),
                Map.entry("preset", "none"), Map.entry("host_pmuver", "p1"));
        assertThat(filters(Map.of())).isEmpty();
    }

    @Test
    void filtersAreSetInTheOrderWritten() {
        assertThat(filters(Map.of("filters", "deny:0x10-0x1f, allow:0x11"))).containsExactly(deny(0x10, 16),
                allow(0x11, 1));
    }

    @Test
    void entriesMaySeparateByWhiteSpaceAndUseDecimal() {
        assertThat(filters(Map.of("filters", " allow:8\n allow:17-17\tdeny:0X4000-0x403F ")))
                .containsExactly(allow(8, 1), allow(17, 1), deny(0x4000, 64));
    }

    @Test
    void spacesAroundTheColonAndTheDashAreAllowed() {
        assertThat(filters(Map.of("filters", "deny: 0x10 - 0x1f,allow : 0x11"))).containsExactly(deny(0x10, 16),
                allow(0x11, 1));
    }

    @Test
    void theWholeSixteenBitSpaceTakesTwoStructs() {
        assertThat(filters(Map.of("filters", "allow:0x0-0xffff"))).containsExactly(allow(0, 0xffff), allow(0xffff, 1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "block:0x11 | filters: 'block:0x11' must start with allow: or deny:",
            "0x11 | filters: '0x11' is not allow:<event> or deny:<first>-<last>",
            "allow:0x20-0x10 | filters: 'allow:0x20-0x10': the range ends before it starts",
            "allow:0x8000-0x10000 | filters: 'allow:0x8000-0x10000': event numbers are 0..0xffff, not 0x10000",
            "deny:cycles | filters: 'deny:cycles': 'cycles' is not an event number"})
    void unreadableFiltersAreNamedInValidation(String filters, String message) {
        assertThat(descriptor.validate(settings(Map.of("filters", filters))))
                .singleElement(STRING)
                .startsWith(message)
                .endsWith("(expected " + EventFilterSyntax.FORMAT + ")");
    }

    @Test
    void rangesPastTheEventSpaceOfAnArmv8Dot0HostAreRefusedAsKvmWould() {
        assertThat(descriptor.validate(settings(Map.of("filters", "deny:0x11, deny:0x3ff-0x400, allow:0x4005",
                "host_pmuver", "v3"))))
                .containsExactly(
                        "filters: deny:0x03ff-0x0400 ends past the 1024-event space of a v3 host; KVM would refuse "
                                + "it with -EINVAL",
                        "filters: allow:0x4005 ends past the 1024-event space of a v3 host; KVM would refuse it "
                                + "with -EINVAL");
        assertThat(descriptor.validate(settings(Map.of("filters", "deny:0x3ff-0x400, allow:0x4005")))).isEmpty();
    }

    @Test
    void presetComesFirstSoItsDenySetsTheDefault() {
        List<EventFilter> f = filters(Map.of("preset", "neighbour-safe", "filters", "allow:0x16"));
        assertThat(f).startsWith(NeighbourSafePreset.filters(65536).toArray(new EventFilter[0]))
                .endsWith(allow(0x16, 1));
        KvmPmuEventFilterModel m = KvmPmuEventFilterModel.of(KvmPmuEventFilterModel.ID_AA64DFR0_PMUVER_V3P1, f);
        assertThat(m.allowed(ArmCommonEvents.L2D_CACHE)).as("given back").isTrue();
        assertThat(m.allowed(ArmCommonEvents.L1D_CACHE_REFILL)).isFalse();
        assertThat(m.allowed(0x8000)).as("default allow").isTrue();
    }

    @Test
    void presetOnAnArmv8Dot0HostStaysInsideItsEventSpace() {
        assertThat(filters(Map.of("preset", "neighbour-safe", "host_pmuver", "v3")))
                .isEqualTo(NeighbourSafePreset.filters(1024));
    }

    @Test
    void presetMasksThePmceidOfWhatItDenies() {
        List<EventFilter> f = filters(Map.of("preset", "neighbour-safe"));
        KvmPmuEventFilterModel m = KvmPmuEventFilterModel.of(KvmPmuEventFilterModel.ID_AA64DFR0_PMUVER_V3P1, f);
        long[] expected = SelftestOracle.expected(f);
        assertThat(m.pmceid0(HOST_PMCEID0)).isEqualTo(expected[0]).isEqualTo(0x0000_0010_581F_FFD1L);
        assertThat(m.pmceid1(HOST_PMCEID1)).isEqualTo(expected[1]).isEqualTo(0x0000_0007_1C00_007EL);
    }

    @Test
    void unknownSettingsAndChoicesAreRefused() {
        assertThatThrownBy(() -> settings(Map.of("allow", "0x11"))).hasMessage("unknown setting allow");
        assertThatThrownBy(() -> settings(Map.of("preset", "paranoid"))).isInstanceOf(IllegalArgumentException.class);
    }

    /** pmu_event_filter_test.c (kvm-vpmu-uapi.md §3.2) through the plugin: its settings, its filters, KVM's model. */
    static Stream<Arguments> conformanceCases() {
        return Stream.of(
                Arguments.of("without_filter", "", 0x0000_0070_7FFF_FFFFL, 0x0000_0007_1FFF_FFFFL),
                Arguments.of("member_allow_filter", "allow:0x00, allow:0x08, allow:0x21", 0x101L, 0x2L),
                Arguments.of("member_deny_filter", "deny:0x00, deny:0x08, deny:0x21", 0x0000_0070_7FFF_FEFEL,
                        0x0000_0007_1FFF_FFFDL),
                Arguments.of("not_member_deny_filter", "deny:0x00", 0x0000_0070_7FFF_FFFEL, 0x0000_0007_1FFF_FFFFL),
                Arguments.of("not_member_allow_filter", "allow:0x00", 0x1L, 0L),
                Arguments.of("deny_chain_filter", "deny:0x1e", 0x0000_0070_3FFF_FFFFL, 0x0000_0007_1FFF_FFFFL),
                Arguments.of("deny_cpu_cycles_filter", "deny:0x11", 0x0000_0070_7FFD_FFFFL, 0x0000_0007_1FFF_FFFFL),
                Arguments.of("cancel_allow_filter", "allow:0x11, deny:0x11", 0L, 0L),
                Arguments.of("cancel_deny_filter", "deny:0x11, allow:0x11", 0x0000_0070_7FFF_FFFFL,
                        0x0000_0007_1FFF_FFFFL),
                Arguments.of("multiple_filter", "allow:0x0-0xf, deny:0x6-0x8", 0xFE3FL, 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformanceCases")
    void conformanceCasePassesThroughThePlugin(String name, String filters, long pmceid0, long pmceid1) {
        List<EventFilter> f = filters(Map.of("filters", filters));
        KvmPmuEventFilterModel m = KvmPmuEventFilterModel.of(KvmPmuEventFilterModel.ID_AA64DFR0_PMUVER_V3P1, f);
        assertThat(m.pmceid0(HOST_PMCEID0)).as("PMCEID0").isEqualTo(pmceid0).isEqualTo(SelftestOracle.expected(f)[0]);
        assertThat(m.pmceid1(HOST_PMCEID1)).as("PMCEID1").isEqualTo(pmceid1).isEqualTo(SelftestOracle.expected(f)[1]);
    }

    @Test
    void test_invalid_filter() {
        assertThat(descriptor.validate(settings(Map.of("filters", "allow:0x8000-0x10000")))).hasSize(1);
        assertThat(descriptor.validate(settings(Map.of("filters", "action3:0x0")))).hasSize(1);
    }
}
