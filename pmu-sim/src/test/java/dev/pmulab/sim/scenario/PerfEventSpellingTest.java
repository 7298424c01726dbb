package dev.pmulab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.hw.Events;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * perf's event spellings in a workload's {@code rates}: names, raw numbers, PMU events with sysfs
 * names and terms, and the u k h G H modifiers as parse-events.c applies them.
 */
final class PerfEventSpellingTest {
    private static final String VM = "run: {duration: 2s}\nvms:\n  - name: vm0\n    vcpus: 2\n";

    /** Each spelling and the event number and exclude_* bits perf would open it with. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // spelling | number | user kernel hv host guest excluded
                "cycles | 0x11 | false false false false false",
                "cycles:u | 0x11 | false true true false false",
                "cycles:k | 0x11 | true false true false false",
                "cycles:uk | 0x11 | false false true false false",
                "cycles:h | 0x11 | true true false false false",
                "cycles:G | 0x11 | false false false true false",
                "cycles:H | 0x11 | false false false false true",
                "cycles:GH | 0x11 | false false false false false",
                "cycles:uG | 0x11 | false true true true false",
                "r0011 | 0x11 | false false false false false",
                "r11:u | 0x11 | false true true false false",
                "0x3 | 0x03 | false false false false false",
                "armv8_pmuv3_0/l1d_cache_refill/ | 0x03 | false false false false false",
                "armv8_pmuv3_0/l1d_cache_refill/u | 0x03 | false true true false false",
                "armv8_pmuv3_0/l1d_cache_refill/:u | 0x03 | false true true false false",
                "armv8_pmuv3_0/event=0x08/ | 0x08 | false false false false false",
                "armv9_neoverse_n2/config=17/k | 0x11 | true false true false false",
                "armv8_cortex_a53/cycles/ | 0x11 | false false false false false",
                "L1-dcache-load-misses:u | 0x03 | false true true false false",
            })
    void isParsedAsPerfDoes(String spelling, String number, String excluded) {
        PerfEventSpelling s = PerfEventSpelling.parse(spelling);
        String[] x = excluded.split(" ");
        assertThat(s.number()).isEqualTo(Integer.decode(number));
        assertThat(new boolean[] {s.excludeUser(), s.excludeKernel(), s.excludeHv(), s.excludeHost(), s.excludeGuest()})
                .containsExactly(
                        Boolean.parseBoolean(x[0]),
                        Boolean.parseBoolean(x[1]),
                        Boolean.parseBoolean(x[2]),
                        Boolean.parseBoolean(x[3]),
                        Boolean.parseBoolean(x[4]));
    }

    @Test
    void unknownNamesListCloseMatches() {
        assertThatThrownBy(() -> PerfEventSpelling.parse("cycels:u"))
                .hasMessageStartingWith("unknown event 'cycels' in 'cycels:u'; did you mean cycles")
                .hasMessageContaining("armv8_pmuv3_0/l1d_cache_refill/");
        assertThatThrownBy(() -> PerfEventSpelling.parse("armv8_pmuv3_0/l1d_cache_refil/"))
                .hasMessageStartingWith(
                        "unknown term 'l1d_cache_refil' in 'armv8_pmuv3_0/l1d_cache_refil/'; did you mean l1d_cache_refill");
        assertThatThrownBy(() -> PerfEventSpelling.parse("cpu/cycles/"))
                .hasMessageStartingWith("unknown PMU 'cpu' in 'cpu/cycles/'");
        assertThatThrownBy(() -> PerfEventSpelling.parse("cycles:pp"))
                .hasMessageStartingWith("modifier 'p' in 'cycles:pp' is not one a rate can carry");
        assertThatThrownBy(() -> PerfEventSpelling.parse("armv8_pmuv3_0/event=0x10000/"))
                .hasMessageContaining("at most 0xffff");
    }

    /** The reader takes them as rates, by number; the :u rate is the user rate the engine runs. */
    @Test
    void ratesAcceptPerfSpellings() {
        Scenario s = ScenarioLoader.load(
                "ok.yaml",
                VM + "    workload:\n      profile: cpu-bound\n      rates:\n"
                        + "        \"cycles:u\": 3e9\n"
                        + "        armv8_pmuv3_0/l1d_cache_refill/: 2e8\n"
                        + "        r0008: 4e9\n");
        assertThat(s.vms().get(0).workload().ratesPerSecond())
                .isEqualTo(Map.of(
                        Events.L1D_CACHE_REFILL, 200_000_000L,
                        Events.INST_RETIRED, 4_000_000_000L,
                        Events.CPU_CYCLES, 3_000_000_000L));
    }

    /**
     * Refused at file:line:column of the key: an unknown name with its close matches, a rate that
     * counts no user mode, a host-only count for a VM, and the same event twice under two spellings.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "instructons:u | bad.yaml:8:9: vms[0].workload.rates.instructons:u: unknown event 'instructons' in"
                        + " 'instructons:u'; did you mean instructions",
                "cycles:k | bad.yaml:8:9: vms[0].workload.rates.cycles:k: 'cycles:k' does not count user mode",
                "cycles:H | bad.yaml:8:9: vms[0].workload.rates.cycles:H: 'cycles:H' counts on the host only",
            })
    void refusedSpellingsNameTheirPlace(String key, String message) {
        assertThatThrownBy(() -> ScenarioLoader.load(
                        "bad.yaml",
                        VM + "    workload:\n      profile: cpu-bound\n      rates:\n        " + key + ": 1e9\n"))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void twoSpellingsOfOneEventAreRefused() {
        assertThatThrownBy(() -> ScenarioLoader.load(
                        "bad.yaml",
                        VM + "    workload:\n      profile: cpu-bound\n      rates:\n        cycles:u: 1e9\n"
                                + "        armv8_pmuv3_0/cpu_cycles/: 1e9\n"))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(
                        "bad.yaml:9:9: vms[0].workload.rates.armv8_pmuv3_0/cpu_cycles/: sets the rate of"
                                + " event 0x0011 again (as cycles:u)");
    }

    /** A host task's workload runs on the host: a guest-only count (:G) is refused there. */
    @Test
    void aGuestOnlyRateIsRefusedForAHostTask() {
        assertThatThrownBy(() -> ScenarioLoader.load(
                        "bad.yaml",
                        "run: {duration: 2s}\nhost_tasks:\n  - name: t\n    workload:\n      profile: cpu-bound\n"
                                + "      rates:\n        cycles:G: 1e9\n"))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(
                        "bad.yaml:7:9: host_tasks[0].workload.rates.cycles:G: 'cycles:G' counts in" + " guests only");
    }
}
