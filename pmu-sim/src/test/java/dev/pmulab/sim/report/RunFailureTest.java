package dev.pmulab.sim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.api.ControlRule;
import org.junit.jupiter.api.Test;

/** A failure's fields, and the text reports print from them (the text they printed as a string). */
final class RunFailureTest {
    @Test
    void aRefusalInAHookNamesThePolicyTheRuleAndTheHook() {
        RunFailure f = new RunFailure("p", "vcpu_load", ControlRule.HPMN0, "HPMN 0 on CPU 1");
        assertThat(f.message()).isEqualTo("policy p broke the rule 'HPMN0' in vcpu_load: HPMN 0 on CPU 1");
    }

    @Test
    void aRefusalOutsideAnyHookNamesThePolicyAndTheRule() {
        RunFailure f = new RunFailure("p", null, ControlRule.VHE_ONLY, "direct counters on an nVHE host");
        assertThat(f.message()).isEqualTo("policy p broke the rule 'VHE only': direct counters on an nVHE host");
    }

    @Test
    void aPolicyThatThrewIsNamedWithItsHook() {
        assertThat(new RunFailure("p", "vcpu_put", null, "boom").message())
                .isEqualTo("policy p failed in vcpu_put: boom");
    }

    @Test
    void aFailureNoPolicyIsToBlameForIsItsDetail() {
        assertThat(RunFailure.unblamed("VM vm0 did not retire 5 instructions").message())
                .isEqualTo("VM vm0 did not retire 5 instructions");
    }

    @Test
    void theFieldsAgree() {
        assertThatThrownBy(() -> new RunFailure(null, "vcpu_load", null, "x"))
                .hasMessageContaining("belongs to a policy");
        assertThatThrownBy(() -> new RunFailure(null, null, ControlRule.HPMN0, "x"))
                .hasMessageContaining("belongs to a policy");
        assertThatThrownBy(() -> new RunFailure("p", null, null, "x")).hasMessageContaining("in no hook");
        assertThatThrownBy(() -> new RunFailure("p", "h", null, "")).hasMessageContaining("says what happened");
    }
}
