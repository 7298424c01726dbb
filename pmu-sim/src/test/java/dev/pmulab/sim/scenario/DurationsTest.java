package dev.pmulab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ns, 500",
        "250us, 250000",
        "250\u00b5s, 250000",
        "10ms, 10000000",
        "15.625ms, 15625000",
        "2s, 2000000000",
        "1.5s, 1500000000",
        "0s, 0",
        "1min, 60000000000",
        "1.5min, 90000000000",
        "1h, 3600000000000",
        "' 4 ms ', 4000000",
    })
    void parsesANumberAndAUnitToNanoseconds(String text, long ns) {
        assertThat(Durations.parseNs(text)).isEqualTo(ns);
    }

    @Test
    void refusesWhatIsNotADurationSayingWhatIs() {
        assertThatThrownBy(() -> Durations.parseNs("4"))
                .hasMessage("expected a duration with a unit (ns, us, ms, s, min, h), such as 10ms; got '4'");
        assertThatThrownBy(() -> Durations.parseNs("-1s"))
                .hasMessage("expected a duration with a unit (ns, us, ms, s, min, h), such as 10ms; got '-1s'");
        assertThatThrownBy(() -> Durations.parseNs("3 days"))
                .hasMessage("expected a duration with a unit (ns, us, ms, s, min, h), such as 10ms; got '3 days'");
        assertThatThrownBy(() -> Durations.parseNs("0.5ns")).hasMessage("'0.5ns' is not a whole number of nanoseconds");
        assertThatThrownBy(() -> Durations.parseNs("9999999999h"))
                .hasMessageStartingWith("'9999999999h' is too long for the simulator's clock (at most 2^62 ns");
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0s",
        "500, 500ns",
        "1500, 1.5us",
        "4000000, 4ms",
        "15625000, 15.625ms",
        "1234567, 1234.567us",
        "2000000000, 2s",
        "90000000000, 90s",
        "60000000000, 1min",
        "7200000000000, 2h",
    })
    void formatsExactlyAndParsesBack(long ns, String text) {
        assertThat(Durations.format(ns)).isEqualTo(text);
        assertThat(Durations.parseNs(text)).isEqualTo(ns);
    }
}
