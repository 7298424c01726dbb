package dev.pmulab.kvm.vpmu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.api.CommonEvents;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PmuVer;
import dev.pmulab.hw.PmuVersion;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The host and CPU views carry what pmu-hw knows of each PMU: its version and its common events. */
final class PolicyViewsTest {
    @Test
    void everyCpuViewCarriesItsPmusVersionAndCommonEvents() {
        VpmuTestbed t = VpmuTestbed.builder().bigLittle().build();
        // VpmuTestbed.EVENTS: 0x00, 0x03, 0x04, 0x08, 0x10, 0x11, 0x1E in PMCEID0 (bits 0, 3, 4, 8, 16,
        // 17, 30: 0x4003_0119) and 0x21 in PMCEID1 (bit 1).
        CommonEvents expected = new CommonEvents(0x4003_0119L, 0x2L);
        for (int cpu = 0; cpu < 2; cpu++) {
            CpuView v = t.kvm.cpuView(cpu);
            assertThat(v.pmuVersion()).as("cpu %d", cpu).isEqualTo(PmuVer.V3P5);
            assertThat(v.commonEvents()).as("cpu %d", cpu).isEqualTo(expected);
        }
        HostView host = t.kvm.hostView();
        assertThat(host.pmuVersion()).isEqualTo(PmuVer.V3P5);
        assertThat(host.commonEvents()).isEqualTo(expected);
        assertThat(host.pmuVersion().eventSpace()).as("KVM's filter space").isEqualTo(t.host.filterEventSpace());
    }

    @Test
    void everyHardwareVersionIsTheSpisVersionOfTheSameIdRegisterValue() {
        for (PmuVersion hw : PmuVersion.values()) {
            PmuVer api = PmuVer.ofFieldValue(hw.idAa64dfr0PmuVer());
            String expectedName =
                    hw == PmuVersion.V3 ? "V3" : "V3" + hw.shortName().toUpperCase(Locale.ROOT);
            assertThat(api.name()).as(hw.shortName()).isEqualTo(expectedName);
            assertThat(api.eventSpace()).as(hw.shortName()).isEqualTo(hw.eventNumberMask() + 1);
        }
        assertThat(PmuVer.values()).hasSameSizeAs(PmuVersion.values());
    }
}
