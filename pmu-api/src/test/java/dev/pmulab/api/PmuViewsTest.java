package dev.pmulab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.testing.FakeCpu;
import dev.pmulab.api.testing.FakeHost;
import org.junit.jupiter.api.Test;

/** PMU versions and common events as the views carry them. */
final class PmuViewsTest {
    @Test
    void theEventSpaceIsTenBitsBeforePmuV3p1AndSixteenFromIt() {
        assertThat(PmuVer.V3.eventSpace()).isEqualTo(1024);
        for (PmuVer v : PmuVer.values()) {
            assertThat(v.eventSpace()).as(v.name()).isEqualTo(v == PmuVer.V3 ? 1024 : 65536);
        }
        assertThat(PmuVer.ofFieldValue(0b0110)).isEqualTo(PmuVer.V3P5);
        assertThat(PmuVer.V3P7.atLeast(PmuVer.V3P5)).isTrue();
        assertThat(PmuVer.V3P1.atLeast(PmuVer.V3P5)).isFalse();
        // 0: no PMU; 0xf: IMPLEMENTATION DEFINED, which KVM offers no guest.
        assertThatThrownBy(() -> PmuVer.ofFieldValue(0xf)).hasMessageContaining("not a PMUv3 version");
    }

    @Test
    void commonEventsReadPmceidsLowAndHighHalves() {
        // PMCEID0 bit 8: INST_RETIRED; bit 32+5: 0x4005. PMCEID1 bit 4: 0x24; bit 32+1: 0x4021.
        CommonEvents e = new CommonEvents((1L << 8) | (1L << 37), (1L << 4) | (1L << 33));
        assertThat(e.implemented(0x08)).isTrue();
        assertThat(e.implemented(0x4005)).isTrue();
        assertThat(e.implemented(0x24)).isTrue();
        assertThat(e.implemented(0x4021)).isTrue();
        assertThat(e.implemented(0x11)).isFalse();
        assertThat(e.implemented(0x40)).as("past PMCEID's ranges").isFalse();
        assertThat(e.implemented(0x8000)).isFalse();
        assertThat(e.and(new CommonEvents(1L << 8, 0))).isEqualTo(new CommonEvents(1L << 8, 0));
    }

    @Test
    void theHostHasItsLowestCpusVersionAndTheEventsEveryCpuImplements() {
        FakeCpu little = new FakeCpu(0, "cortex-a55", 6, false);
        little.pmuVersion = PmuVer.V3P1;
        little.commonEvents = new CommonEvents(0b1_0000_0001, 0);
        FakeCpu big = new FakeCpu(1, "cortex-a76", 6, false);
        big.pmuVersion = PmuVer.V3P5;
        big.commonEvents = new CommonEvents(0b1_0000_0011, 1);
        HostView host = new FakeHost(true, little, big);
        assertThat(host.pmuVersion()).isEqualTo(PmuVer.V3P1);
        assertThat(host.commonEvents()).isEqualTo(new CommonEvents(0b1_0000_0001, 0));
    }

    @Test
    void aFilterPrintsInKvmtoolsNotation() {
        assertThat(EventFilter.deny(0x10, 16)).hasToString("deny:0x0010-0x001f");
        assertThat(EventFilter.allow(0x11, 1)).hasToString("allow:0x0011");
        assertThat(EventFilter.allow(0, 0)).hasToString("allow:0x0000 (no events)");
    }
}
