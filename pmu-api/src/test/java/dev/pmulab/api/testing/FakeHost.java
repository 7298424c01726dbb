package dev.pmulab.api.testing;

import dev.pmulab.api.CpuView;
import dev.pmulab.api.HostView;
import java.util.List;

/** A host of fake CPUs, VHE or not. */
public final class FakeHost implements HostView {
    public final boolean vhe;
    public final List<FakeCpu> cpus;

    public FakeHost(boolean vhe, FakeCpu... cpus) {
        this.vhe = vhe;
        this.cpus = List.of(cpus);
    }

    /** A VHE host of {@code count} identical CPUs with {@code counters} event counters each. */
    public static FakeHost vhe(int count, int counters, boolean hpmn0) {
        FakeCpu[] cpus = new FakeCpu[count];
        for (int i = 0; i < count; i++) {
            cpus[i] = new FakeCpu(i, "neoverse-n1", counters, hpmn0);
        }
        return new FakeHost(true, cpus);
    }

    public FakeCpu fakeCpu(int id) {
        return cpus.get(id);
    }

    @Override
    public long now() {
        return 0;
    }

    @Override
    public int cpuCount() {
        return cpus.size();
    }

    @Override
    public CpuView cpu(int cpu) {
        return cpus.get(cpu);
    }

    @Override
    public boolean vhe() {
        return vhe;
    }

    @Override
    public List<String> pmuNames() {
        return cpus.stream().map(FakeCpu::pmuName).distinct().toList();
    }

    @Override
    public int[] pmuCpus(String pmuName) {
        return cpus.stream()
                .filter(c -> c.pmuName().equals(pmuName))
                .mapToInt(FakeCpu::id)
                .toArray();
    }
}
