package dev.pmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ReproduceFitCommandTest {
    private record Result(int status, String out, String err) {}

    private static Result pmulab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Pmulab.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void aTwoPointFitPrintsOneCsvLinePerPointAndNamesTheBest() {
        // A hundredth of each benchmark (0.3 s of stress-ng, 9e7 gzip instructions) keeps this quick;
        // the numbers are not the fit's, only the shape of its output.
        Result r = pmulab("reproduce", "--fit", "C12=500,1000", "--scale", "0.01", "--format", "csv", "--jobs", "2");
        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0))
                .startsWith("C12_ns,objective,b1_real_delta,b1_real_ratio,b1_sys_delta,b1_sys_ratio,"
                        + "b3_host_kernel_delta,b3_host_kernel_ratio,b3_guest_delta,b3_guest_ratio,b3_emulated_guest_pct,"
                        + "heldout_b2_real_delta,heldout_b2_real_ratio,");
        assertThat(lines.get(0)).endsWith(",livelocked,failed");
        assertThat(lines.get(1)).startsWith("500,");
        assertThat(lines.get(2)).startsWith("1000,");
        assertThat(r.err()).containsPattern("pmulab reproduce --fit: 2 points; best C12=(500|1000) \\(J = [0-9.]+\\)");
    }

    @Test
    void aBadAxisOrAScaleWithoutAFitIsBadInput() {
        Result r = pmulab("reproduce", "--fit", "C9.per_unit=100");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("C9 (PERF_EVENT_CREATE) has no per-unit part; only C12 and C14 do");

        r = pmulab("reproduce", "--scale", "0.5");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--scale applies to --fit only");

        r = pmulab("reproduce", "--fit", "C12=1000", "--format", "html");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--fit writes table or csv, not 'html'");

        r = pmulab("reproduce", "--fit", "C12=1000", "--scale", "1.5");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("the scale is a share of the run, in (0, 1], was 1.5");
    }
}
