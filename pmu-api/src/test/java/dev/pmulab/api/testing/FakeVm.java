package dev.pmulab.api.testing;

import dev.pmulab.api.VmView;

/** A VM being set up, as a selection or filter policy sees it. */
public record FakeVm(String vmName, int vmId, int vcpuCount, String guestOs, int initCpu, int[] allowedCpus)
        implements VmView {
    public FakeVm {
        allowedCpus = allowedCpus.clone();
    }

    /** VM {@code vm0} (id 1) of two Linux vCPUs, initialised on {@code initCpu}, allowed on {@code allowedCpus}. */
    public static FakeVm linux(int initCpu, int... allowedCpus) {
        return new FakeVm("vm0", 1, 2, "linux", initCpu, allowedCpus);
    }

    @Override
    public int[] allowedCpus() {
        return allowedCpus.clone();
    }
}
