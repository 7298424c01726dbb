package dev.pmulab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.hw.Events;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class EventNamesTest {

    @ParameterizedTest
    @CsvSource({
        // perf's generic hardware events, as arm_pmuv3.c maps them
        "cycles, 0x11",
        "cpu-cycles, 0x11",
        "instructions, 0x08",
        "cache-references, 0x04",
        "cache-misses, 0x03",
        "branches, 0x21",
        "branch-instructions, 0x21",
        "branch-misses, 0x10",
        "bus-cycles, 0x1d",
        "stalled-cycles-frontend, 0x23",
        "stalled-cycles-backend, 0x24",
        // perf's cache events
        "L1-dcache-loads, 0x04",
        "L1-dcache-load-misses, 0x03",
        "L1-icache-loads, 0x14",
        "L1-icache-load-misses, 0x01",
        "LLC-loads, 0x36",
        "LLC-load-misses, 0x37",
        "dTLB-loads, 0x25",
        "dTLB-load-misses, 0x05",
        "iTLB-loads, 0x26",
        "iTLB-load-misses, 0x02",
        "branch-loads, 0x12",
        "branch-load-misses, 0x10",
        // Arm names, either case
        "cpu_cycles, 0x11",
        "INST_RETIRED, 0x08",
        "l1d_cache_refill, 0x03",
        "stall_backend, 0x24",
        "sw_incr, 0x00",
        "chain, 0x1e",
        "stall_slot, 0x3f",
        "pc_write_retired, 0x0c",
        // raw numbers
        "0x11, 0x11",
        "0X4004, 0x4004",
        "r11, 0x11",
        "rffff, 0xffff",
    })
    void resolves(String name, String hex) {
        assertThat(EventNames.number(name)).isEqualTo(Integer.decode(hex.toLowerCase()));
    }

    @Test
    void everyArmCommonEventHasOneNameAndTheTableAgreesWithTheHardwareConstants() {
        Set<Integer> numbers = new HashSet<>(EventNames.armNames().values());
        for (int e = 0; e <= 0x3f; e++) {
            assertThat(numbers).as("event 0x%02x", e).contains(e);
        }
        assertThat(EventNames.armNames()).hasSize(64);
        assertThat(EventNames.number("cpu_cycles")).isEqualTo(Events.CPU_CYCLES);
        assertThat(EventNames.number("br_mis_pred_retired")).isEqualTo(Events.BR_MIS_PRED_RETIRED);
        assertThat(EventNames.number("ll_cache_miss_rd")).isEqualTo(Events.LL_CACHE_MISS_RD);
        assertThat(EventNames.armName(0x11)).isEqualTo("cpu_cycles");
        assertThat(EventNames.armName(0x4004)).isEqualTo("0x4004");
    }

    @Test
    void unknownNamesSayWhatIsAccepted() {
        assertThatThrownBy(() -> EventNames.number("ref-cycles"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown event 'ref-cycles'; write a perf name");
        assertThatThrownBy(() -> EventNames.number("17"))
                .hasMessage("unknown event '17'; raw event numbers are written in hex, as perf does: 0x17 or r17");
        assertThatThrownBy(() -> EventNames.number("0x12345"))
                .hasMessage("event number 0x12345 is too large: PMUv3 event numbers are 16 bits (at most 0xffff)");
    }
}
