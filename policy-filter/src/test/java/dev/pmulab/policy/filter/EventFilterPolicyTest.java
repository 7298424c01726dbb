package dev.pmulab.policy.filter;

import static dev.pmulab.api.EventFilter.allow;
import static dev.pmulab.api.EventFilter.deny;
import static dev.pmulab.policy.filter.KvmFilterTestbed.MAX_PMCEID0;
import static dev.pmulab.policy.filter.KvmFilterTestbed.MAX_PMCEID1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import dev.pmulab.api.EventFilter;
import dev.pmulab.api.FilterPolicy;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.Settings;
import dev.pmulab.api.testing.FakeHost;
import dev.pmulab.api.testing.FakeVm;
import dev.pmulab.api.testing.RecordingVmm;
import dev.pmulab.hw.Events;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The plugin's settings, and what KVM (pmu-kvm's FILTER) makes of the filters it sets. */
final class EventFilterPolicyTest {
    private final EventFilterDescriptor descriptor = new EventFilterDescriptor();

    private record Context(String policyName, long seed) implements PolicyContext {}

    private Settings settings(Map<String, ?> given) {
        return Settings.of(descriptor.settings(), given);
    }

    /** The filters the settings ask for, in order: what the policy sets after the preset's. */
    private List<EventFilter> own(Map<String, ?> given) {
        return EventFilterSettings.SCHEMA.read(settings(given)).filters();
    }

    /** The policy as the engine builds it, through the descriptor's module. */
    private FilterPolicy policy(Map<String, ?> given) {
        Settings s = settings(given);
        assertThat(descriptor.validate(s)).isEmpty();
        return (FilterPolicy) Guice.createInjector(
                        new AbstractModule() {
                            @Override
                            protected void configure() {
                                binder().requireAtInjectOnConstructors();
                                binder().disableCircularProxies();
                                bind(Settings.class).toInstance(s);
                                bind(PolicyContext.class).toInstance(new Context(EventFilterDescriptor.NAME, 1));
                            }
                        },
                        descriptor.module(s))
                .getInstance(PolicyKind.FILTER.policyInterface());
    }

    /** A PMUv3p1 host's VM after the policy set its filters. */
    private KvmFilterTestbed onP1(Map<String, ?> given) {
        return KvmFilterTestbed.p1().configure(policy(given));
    }

    @Test
    void describesItself() {
        assertThat(descriptor.name()).isEqualTo(EventFilterDescriptor.NAME).isEqualTo("event-filter");
        assertThat(descriptor.kind()).isEqualTo(PolicyKind.FILTER);
        assertThat(ServiceLoader.load(PolicyDescriptor.class).stream().map(ServiceLoader.Provider::get))
                .extracting(PolicyDescriptor::name)
                .contains("event-filter");
    }

    @Test
    void moduleBindsTheFilterPolicy() {
        assertThat(policy(Map.of())).isInstanceOf(EventFilterPolicy.class);
    }

    @Test
    void defaultsSetNoFilterAtAll() {
        assertThat(Settings.defaults(descriptor.settings()).asMap())
                .containsOnly(Map.entry("filters", ""), Map.entry("preset", "none"));
        KvmFilterTestbed t = onP1(Map.of());
        assertThat(t.pmu().filter()).as("no bitmap, so everything counts").isEmpty();
        assertThat(t.counts(Events.L1D_CACHE_REFILL)).isTrue();
    }

    @Test
    void theHostPmuVersionIsTheHostsNotASetting() {
        assertThatThrownBy(() -> settings(Map.of("host_pmuver", "p1"))).hasMessage("unknown setting host_pmuver");
    }

    @Test
    void filtersAreSetInTheOrderWritten() {
        assertThat(own(Map.of("filters", "deny:0x10-0x1f, allow:0x11")))
                .containsExactly(deny(0x10, 16), allow(0x11, 1));
        // The deny came first, so the rest stays allowed; the later allow gives CPU_CYCLES back.
        KvmFilterTestbed t = onP1(Map.of("filters", "deny:0x10-0x1f, allow:0x11"));
        assertThat(t.counts(Events.BR_MIS_PRED)).isFalse();
        assertThat(t.counts(Events.CPU_CYCLES)).isTrue();
        assertThat(t.counts(Events.INST_RETIRED)).isTrue();
    }

    @Test
    void entriesMaySeparateByWhiteSpaceAndUseDecimal() {
        assertThat(own(Map.of("filters", " allow:8\n allow:17-17\tdeny:0X4000-0x403F ")))
                .containsExactly(allow(8, 1), allow(17, 1), deny(0x4000, 64));
    }

    @Test
    void spacesAroundTheColonAndTheDashAreAllowed() {
        assertThat(own(Map.of("filters", "deny: 0x10 - 0x1f,allow : 0x11")))
                .containsExactly(deny(0x10, 16), allow(0x11, 1));
    }

    @Test
    void theWholeSixteenBitSpaceTakesTwoStructsWhichKvmTakes() {
        assertThat(own(Map.of("filters", "allow:0x0-0xffff"))).containsExactly(allow(0, 0xffff), allow(0xffff, 1));
        KvmFilterTestbed t = onP1(Map.of("filters", "allow:0x0-0xffff"));
        assertThat(t.pmu().eventAllowed(0xffff)).isTrue();
        assertThat(t.pmu().eventAllowed(Events.CPU_CYCLES)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "block:0x11 | filters: 'block:0x11' must start with allow: or deny:",
                "0x11 | filters: '0x11' is not allow:<event> or deny:<first>-<last>",
                "allow:0x20-0x10 | filters: 'allow:0x20-0x10': the range ends before it starts",
                "allow:0x8000-0x10000 | filters: 'allow:0x8000-0x10000': event numbers are 0..0xffff, not 0x10000",
                "deny:cycles | filters: 'deny:cycles': 'cycles' is not an event number"
            })
    void unreadableFiltersAreNamedInValidation(String filters, String message) {
        assertThat(descriptor.validate(settings(Map.of("filters", filters))))
                .singleElement(STRING)
                .startsWith(message)
                .endsWith("(expected " + EventFilterSyntax.FORMAT + ")");
    }

    @Test
    void kvmRefusesARangePastTheEventSpaceOfAnArmv8Dot0HostAndTheRunSaysWhich() {
        Map<String, String> given = Map.of("filters", "deny:0x11, deny:0x3ff-0x400, allow:0x4005");
        KvmFilterTestbed v3 = KvmFilterTestbed.v3();
        assertThatThrownBy(() -> v3.configure(policy(given)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("VM vm0: KVM_ARM_VCPU_PMU_V3_FILTER(deny:0x03ff-0x0400) of filters returned -EINVAL;"
                        + " the host's PMU is V3, with 1024 event numbers");
        // The first filter was taken before the refusal: KVM applies each call on its own.
        assertThat(v3.pmu().eventAllowed(Events.CPU_CYCLES)).isFalse();
        KvmFilterTestbed p1 = onP1(given);
        assertThat(p1.pmu().eventAllowed(0x4005))
                .as("65536 events from PMUv3p1")
                .isTrue();
        assertThat(p1.pmu().eventAllowed(0x400)).isFalse();
    }

    @Test
    void presetComesFirstSoItsDenySetsTheDefault() {
        KvmFilterTestbed t = onP1(Map.of("preset", "neighbour-safe", "filters", "allow:0x16"));
        assertThat(t.counts(Events.L2D_CACHE)).as("given back").isTrue();
        assertThat(t.counts(Events.L1D_CACHE_REFILL)).isFalse();
        assertThat(t.counts(0x8000)).as("default allow").isTrue();
        assertThat(t.pmu().filter().orElseThrow().nrEvents()).isEqualTo(65536);
    }

    @Test
    void thePresetsFiltersAreSetFirstThenTheOwnOnesInOrder() {
        RecordingVmm vmm = new RecordingVmm();
        // FakeHost's CPUs are PMUv3p5: the 65536-event list, 19 ranges (NeighbourSafePresetTest).
        policy(Map.of("preset", "neighbour-safe", "filters", "allow:0x16, allow:0x19"))
                .configureVm(FakeVm.linux(0, 0), FakeHost.vhe(1, 6, true), vmm);
        assertThat(vmm.calls)
                .hasSize(21)
                .startsWith("setEventFilter(deny:0x0001-0x0003)")
                .endsWith(
                        "setEventFilter(deny:0xc0c0-0xffff)",
                        "setEventFilter(allow:0x0016)",
                        "setEventFilter(allow:0x0019)");
    }

    @Test
    void presetOnAnArmv8Dot0HostStaysInsideItsEventSpace() {
        // Were it the 65536-event list, KVM would refuse its 0x0400-0x3FFF range with -EINVAL.
        KvmFilterTestbed t = KvmFilterTestbed.v3().configure(policy(Map.of("preset", "neighbour-safe")));
        assertThat(t.pmu().filter().orElseThrow().nrEvents()).isEqualTo(1024);
        assertThat(t.counts(Events.L1D_CACHE_REFILL)).isFalse();
        assertThat(t.counts(0x3ff)).as("IMPLEMENTATION DEFINED").isFalse();
        assertThat(t.counts(Events.INST_RETIRED)).isTrue();
    }

    @Test
    void presetMasksThePmceidOfWhatItDenies() {
        KvmFilterTestbed t = onP1(Map.of("preset", "neighbour-safe"));
        // MAX_PMCEID0 with the preset's events 0x01-0x03, 0x05, 0x15-0x1A, 0x1D, 0x1F and 0x4005-0x4006
        // cleared; MAX_PMCEID1 with 0x20, 0x27-0x39 cleared (0x3D-0x3F are off already).
        assertThat(t.pmu().pmceid0()).isEqualTo(0x0000_0010_581F_FFD1L);
        assertThat(t.pmu().pmceid1()).isEqualTo(0x0000_0007_1C00_007EL);
    }

    @Test
    void unknownSettingsAndChoicesAreRefused() {
        assertThatThrownBy(() -> settings(Map.of("allow", "0x11"))).hasMessage("unknown setting allow");
        assertThatThrownBy(() -> settings(Map.of("preset", "paranoid"))).isInstanceOf(IllegalArgumentException.class);
    }

    /** pmu_event_filter_test.c (kvm-vpmu-uapi.md §3.2) through the plugin's settings and KVM's FILTER. */
    static Stream<Arguments> conformanceCases() {
        return Stream.of(
                Arguments.of("without_filter", "", MAX_PMCEID0, MAX_PMCEID1),
                Arguments.of("member_allow_filter", "allow:0x00, allow:0x08, allow:0x21", 0x101L, 0x2L),
                Arguments.of(
                        "member_deny_filter",
                        "deny:0x00, deny:0x08, deny:0x21",
                        0x0000_0070_7FFF_FEFEL,
                        0x0000_0007_1FFF_FFFDL),
                Arguments.of("not_member_deny_filter", "deny:0x00", 0x0000_0070_7FFF_FFFEL, MAX_PMCEID1),
                Arguments.of("not_member_allow_filter", "allow:0x00", 0x1L, 0L),
                Arguments.of("deny_chain_filter", "deny:0x1e", 0x0000_0070_3FFF_FFFFL, MAX_PMCEID1),
                Arguments.of("deny_cpu_cycles_filter", "deny:0x11", 0x0000_0070_7FFD_FFFFL, MAX_PMCEID1),
                Arguments.of("cancel_allow_filter", "allow:0x11, deny:0x11", 0L, 0L),
                Arguments.of("cancel_deny_filter", "deny:0x11, allow:0x11", MAX_PMCEID0, MAX_PMCEID1),
                Arguments.of("multiple_filter", "allow:0x0-0xf, deny:0x6-0x8", 0xFE3FL, 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformanceCases")
    void conformanceCasePassesThroughThePlugin(String name, String filters, long pmceid0, long pmceid1) {
        KvmFilterTestbed t = onP1(Map.of("filters", filters));
        assertThat(t.pmu().pmceid0()).as("PMCEID0").isEqualTo(pmceid0);
        assertThat(t.pmu().pmceid1()).as("PMCEID1").isEqualTo(pmceid1);
    }

    @Test
    void test_invalid_filter() {
        assertThat(descriptor.validate(settings(Map.of("filters", "allow:0x8000-0x10000"))))
                .hasSize(1);
        assertThat(descriptor.validate(settings(Map.of("filters", "action3:0x0"))))
                .hasSize(1);
    }
}
