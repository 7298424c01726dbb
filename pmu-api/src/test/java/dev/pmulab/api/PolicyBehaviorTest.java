package dev.pmulab.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Module;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

final class PolicyBehaviorTest {
    private static final PolicyDescriptor PLAIN = new PolicyDescriptor() {
        @Override
        public String name() {
            return "plain";
        }

        @Override
        public PolicyKind kind() {
            return PolicyKind.ALLOCATION;
        }

        @Override
        public String description() {
            return "declares nothing";
        }

        @Override
        public Module module(Settings settings) {
            return binder -> {};
        }
    };

    @Test
    void aDescriptorThatDeclaresNothingHasTheDefaults() {
        assertThat(PLAIN.behaviors())
                .containsExactlyInAnyOrder(
                        PolicyBehavior.SUPPORTS_HETEROGENEOUS_HOSTS, PolicyBehavior.SUPPORTS_NVHE_HOSTS);
        assertThat(PolicyBehavior.defaults())
                .isEqualTo(EnumSet.of(PolicyBehavior.SUPPORTS_HETEROGENEOUS_HOSTS, PolicyBehavior.SUPPORTS_NVHE_HOSTS));
        assertThat(PolicyBehavior.PARTITIONS_PMU.byDefault()).isFalse();
    }

    @Test
    void defaultsAndAddsWithoutChangingTheDefaults() {
        assertThat(PolicyBehavior.defaultsAnd(PolicyBehavior.PARTITIONS_PMU))
                .containsExactlyInAnyOrder(
                        PolicyBehavior.SUPPORTS_HETEROGENEOUS_HOSTS,
                        PolicyBehavior.SUPPORTS_NVHE_HOSTS,
                        PolicyBehavior.PARTITIONS_PMU);
        assertThat(PolicyBehavior.defaults()).doesNotContain(PolicyBehavior.PARTITIONS_PMU);
    }

    @Test
    void aRefusalKeepsItsPartsApart() {
        ControlRefusedException e = new ControlRefusedException("p", ControlRule.HPMN_LE_N, "HPMN 7 on CPU 1");
        assertThat(e).hasMessage("policy p broke the rule 'HPMN <= N': HPMN 7 on CPU 1");
        assertThat(e.detail()).isEqualTo("HPMN 7 on CPU 1");
        assertThat(e.rule()).isEqualTo(ControlRule.HPMN_LE_N);
    }
}
