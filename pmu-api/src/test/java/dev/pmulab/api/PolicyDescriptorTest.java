package dev.pmulab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.google.inject.Guice;
import com.google.inject.Injector;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

class PolicyDescriptorTest {
    /** A selection policy with a constructor dependency, so the binding must go through injection. */
    static final class KeepsDefaultPmu implements SelectionPolicy {
        final Marker marker;

        @Inject
        KeepsDefaultPmu(Marker marker) {
            this.marker = marker;
        }

        @Override
        public void configureVm(VmView vm, HostView host, VmmPmuControl vmm) {}
    }

    static final class Marker {
        @Inject
        Marker() {}
    }

    @Test
    void bindPolicyBindsTheImplementationAsThePolicyInterface() {
        Injector injector =
                Guice.createInjector(PolicyDescriptor.bindPolicy(SelectionPolicy.class, KeepsDefaultPmu.class));

        SelectionPolicy policy = injector.getInstance(SelectionPolicy.class);

        assertThat(policy).isInstanceOf(KeepsDefaultPmu.class);
        assertThat(((KeepsDefaultPmu) policy).marker).isNotNull();
    }

    @Test
    void bindPolicyNamesANullArgument() {
        assertThatNullPointerException()
                .isThrownBy(() -> PolicyDescriptor.bindPolicy(SelectionPolicy.class, null))
                .withMessage("implementation is null");
    }
}
