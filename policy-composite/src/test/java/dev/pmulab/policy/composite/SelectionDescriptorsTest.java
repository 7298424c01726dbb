package dev.pmulab.policy.composite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.pmulab.api.Errno;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The descriptors are registered for ServiceLoader as the engine finds them. */
final class SelectionDescriptorsTest {
    @Test
    void serviceLoaderFindsTheThreeSelectionPolicies() {
        assertThat(ServiceLoader.load(PolicyDescriptor.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(d -> d.getClass().getPackageName().equals("dev.pmulab.policy.composite"))
                .extracting(PolicyDescriptor::name, PolicyDescriptor::kind)
                .containsExactlyInAnyOrder(
                        tuple("default-pmu", PolicyKind.SELECTION),
                        tuple("set-pmu", PolicyKind.SELECTION),
                        tuple("composite", PolicyKind.SELECTION));
    }

    @Test
    void errnoNames() {
        assertThat(Errno.name(-16)).isEqualTo("-EBUSY");
        assertThat(Errno.name(-22)).isEqualTo("-EINVAL");
        assertThat(Errno.name(-99)).isEqualTo("-errno 99");
    }
}
