package dev.pmulab.kvm;

import static dev.pmulab.api.Errno.EINTR;
import static dev.pmulab.api.Errno.EINVAL;
import static dev.pmulab.hw.PmuRegister.PMCR_EL0;
import static dev.pmulab.hw.PmuRegister.PMINTENCLR_EL1;
import static dev.pmulab.hw.PmuRegister.PMINTENSET_EL1;
import static dev.pmulab.hw.PmuRegister.PMOVSCLR_EL0;
import static dev.pmulab.hw.PmuRegister.PMOVSSET_EL0;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM64_SYS_REG;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_DEV_EL1_VTIMER;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_DEV_PMU;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_CTRL;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_INIT;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_IRQ;
import static dev.pmulab.kvm.KvmUapi.KVM_ARM_VCPU_PMU_V3_SET_PMU;
import static dev.pmulab.kvm.KvmUapi.KVM_CAP_ARM_USER_IRQ;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_FAIL_ENTRY;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_INTR;
import static dev.pmulab.kvm.KvmUapi.KVM_EXIT_MMIO;
import static dev.pmulab.kvm.TestHosts.BIG_TYPE;
import static dev.pmulab.kvm.TestHosts.PMU_FEATURES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A VM without an in-kernel irqchip (KVM_CAP_ARM_USER_IRQ): the PMU's setup without an interrupt
 * number, the overflow line in {@code kvm_run->s.regs.device_irq_level} (KVM_ARM_DEV_PMU,
 * kvm_pmu_update_run), and KVM_RUN returning -EINTR with KVM_EXIT_INTR whenever the line differs
 * from what userspace last saw (kvm_pmu_should_notify_user, checked in kvm_vcpu_exit_request before
 * the CPU check), kvm-vpmu-uapi.md §1.1, §2.4.
 */
final class UserIrqchipTest {
    private static final long E = 1L;
    private static final long ALL = 0xffff_ffffL;
    /** A userspace PMCR_EL0 write also sets N (set_pmcr): keep the homogeneous host's 6. */
    private static final long E_N6 = E | (6L << 11);

    private final KvmHost host = TestHosts.homogeneous();

    /** A PMU vCPU with PMU INIT done and no irqchip. */
    private Vcpu initialised(Vm vm, GuestCode code) {
        Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES, code);
        assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                .isZero();
        return vcpu;
    }

    private static boolean pmuLine(Vcpu vcpu) {
        return (vcpu.kvmRun().deviceIrqLevel() & KVM_ARM_DEV_PMU) != 0;
    }

    @Test
    void theCapabilityIsAlwaysThere() {
        assertThat(KVM_CAP_ARM_USER_IRQ).isEqualTo(144);
        assertThat(host.checkExtension(KVM_CAP_ARM_USER_IRQ)).isEqualTo(1);
        assertThat(KvmHost.builder().nrCpus(1).build().checkExtension(KVM_CAP_ARM_USER_IRQ))
                .as("a host without a PMU")
                .isEqualTo(1);
    }

    /** §1.1, §1.2: no interrupt number without an in-kernel irqchip; INIT needs none. */
    @Nested
    final class Setup {
        @Test
        void setIrqIsEinvalBeforeThePointerIsRead() {
            Vcpu vcpu = host.createVm().createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.unmapped()))
                    .isEqualTo(-EINVAL);
            assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(23)))
                    .isEqualTo(-EINVAL);
            assertThat(vcpu.getDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.alloc(4)))
                    .isEqualTo(-EINVAL);
        }

        @Test
        void initWithoutAnIrqAndRun() {
            Vcpu vcpu = initialised(host.createVm(), GuestCode.DONE);
            assertThat(vcpu.pmu().irq()).isEmpty();
            assertThat(vcpu.run()).isZero();
            assertThat(vcpu.getUcall()).isEqualTo(Ucall.DONE);
            assertThat(vcpu.kvmRun().deviceIrqLevel()).isZero();
        }
    }

    /** The line as KVM samples it at entry (kvm_pmu_flush_hwstate). */
    @Nested
    final class AtEntry {
        /**
         * reset_pmu_reg leaves PMOVSSET and PMINTENSET at 0x8000001e (N = 6), so PMCR_EL0.E alone
         * raises the line: with E set from userspace, the next KVM_RUN returns -EINTR before the
         * guest runs and reports the line; the one after runs the guest.
         */
        @Test
        void aLineUserspaceRaisedEndsKvmRunBeforeTheGuestRuns() {
            int[] runs = {0};
            Vcpu vcpu = initialised(host.createVm(), g -> runs[0]++);
            vcpu.setReg(KVM_ARM64_SYS_REG(PMCR_EL0), E_N6);

            assertThat(vcpu.run()).isEqualTo(-EINTR);
            assertThat(vcpu.kvmRun().exitReason()).isEqualTo(KVM_EXIT_INTR);
            assertThat(vcpu.kvmRun().deviceIrqLevel()).isEqualTo(KVM_ARM_DEV_PMU);
            assertThat(vcpu.getUcall()).isEqualTo(Ucall.NONE);
            assertThat(runs[0]).isZero();
            assertThat(vcpu.pmu().irqLevel()).isTrue();

            assertThat(vcpu.run()).isZero();
            assertThat(vcpu.kvmRun().exitReason()).isEqualTo(KVM_EXIT_MMIO);
            assertThat(vcpu.getUcall()).isEqualTo(Ucall.DONE);
            assertThat(runs[0]).isEqualTo(1);
            assertThat(pmuLine(vcpu)).as("still high").isTrue();
        }

        /**
         * device_irq_level is userspace's memory: clearing the PMU bit there makes KVM exit again,
         * to set it back; the other bits are left alone (the timers are not modelled).
         */
        @Test
        void aBitUserspaceClearedIsReportedAgain() {
            int[] runs = {0};
            Vcpu vcpu = initialised(host.createVm(), g -> runs[0]++);
            vcpu.setReg(KVM_ARM64_SYS_REG(PMCR_EL0), E_N6);
            assertThat(vcpu.run()).isEqualTo(-EINTR);
            vcpu.kvmRun().setDeviceIrqLevel(KVM_ARM_DEV_EL1_VTIMER);
            assertThat(vcpu.run()).isEqualTo(-EINTR);
            assertThat(vcpu.kvmRun().deviceIrqLevel()).isEqualTo(KVM_ARM_DEV_EL1_VTIMER | KVM_ARM_DEV_PMU);
            assertThat(runs[0]).isZero();
        }

        /** kvm_vcpu_exit_request() tells the userspace irqchip before it checks the CPU. */
        @Test
        void theLineIsReportedBeforeAFailedEntryAndAlsoWithIt() {
            KvmHost bigLittle = TestHosts.bigLittle();
            Vm vm = bigLittle.createVm();
            Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
            assertThat(vcpu.setDeviceAttr(
                            KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_SET_PMU, UserPtr.ofInt(BIG_TYPE)))
                    .isZero();
            assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                    .isZero();
            vcpu.setReg(KVM_ARM64_SYS_REG(PMCR_EL0), E | (20L << 11)); // the big PMU's N

            assertThat(vcpu.run(3)).as("CPU 3 is LITTLE").isEqualTo(-EINTR);
            assertThat(vcpu.kvmRun().exitReason()).isEqualTo(KVM_EXIT_INTR);
            assertThat(vcpu.run(3)).isZero();
            assertThat(vcpu.kvmRun().exitReason()).isEqualTo(KVM_EXIT_FAIL_ENTRY);
            assertThat(pmuLine(vcpu)).isTrue();

            vcpu.setReg(KVM_ARM64_SYS_REG(PMCR_EL0), 20L << 11);
            assertThat(vcpu.run(3)).as("the line fell").isEqualTo(-EINTR);
            assertThat(pmuLine(vcpu)).isFalse();
        }

        /** With an in-kernel vGIC the line goes there: no exit, device_irq_level untouched. */
        @Test
        void withAnInKernelVgicKvmRunDoesNotExitForTheLine() {
            Vm vm = host.createVm();
            Vcpu vcpu = vm.createVcpu(0, PMU_FEATURES);
            assertThat(vm.createVgicV3(64).init()).isZero();
            assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_IRQ, UserPtr.ofInt(23)))
                    .isZero();
            assertThat(vcpu.setDeviceAttr(KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT))
                    .isZero();
            vcpu.setReg(KVM_ARM64_SYS_REG(PMCR_EL0), E_N6);
            assertThat(vcpu.run()).isZero();
            assertThat(vcpu.getUcall()).isEqualTo(Ucall.DONE);
            assertThat(vcpu.pmu().irqLevel()).isTrue();
            assertThat(vcpu.kvmRun().deviceIrqLevel()).isZero();
        }
    }

    /** A guest access that changes the line ends KVM_RUN right after it; the next KVM_RUN resumes. */
    @Nested
    final class DuringTheGuest {
        /**
         * The guest clears the reset values with PMCR_EL0.E still 0 (no change), enables counter 0's
         * interrupt and E (PMOVS is 0: no change), then sets PMOVSSET bit 0: the line rises and
         * KVM_RUN returns -EINTR. Resumed, it clears the flag: the line falls, -EINTR again.
         * Resumed, it returns: KVM_EXIT_MMIO with UCALL_DONE.
         */
        @Test
        void eachChangeOfTheLineIsOneExitAndTheGuestCarriesOn() {
            List<String> steps = new ArrayList<>();
            Vcpu vcpu = initialised(host.createVm(), g -> {
                g.write(PMOVSCLR_EL0, ALL);
                g.write(PMINTENCLR_EL1, ALL);
                g.write(PMINTENSET_EL1, 1);
                g.write(PMCR_EL0, E);
                steps.add("armed");
                g.write(PMOVSSET_EL0, 1);
                steps.add("raised");
                g.write(PMOVSCLR_EL0, 1);
                steps.add("cleared");
            });

            assertThat(vcpu.run()).isEqualTo(-EINTR);
            assertThat(vcpu.kvmRun().exitReason()).isEqualTo(KVM_EXIT_INTR);
            assertThat(vcpu.getUcall()).isEqualTo(Ucall.NONE);
            assertThat(pmuLine(vcpu)).isTrue();
            assertThat(steps).containsExactly("armed");

            assertThat(vcpu.run()).isEqualTo(-EINTR);
            assertThat(pmuLine(vcpu)).isFalse();
            assertThat(steps).containsExactly("armed", "raised");

            assertThat(vcpu.run()).isZero();
            assertThat(vcpu.kvmRun().exitReason()).isEqualTo(KVM_EXIT_MMIO);
            assertThat(vcpu.getUcall()).isEqualTo(Ucall.DONE);
            assertThat(steps).containsExactly("armed", "raised", "cleared");
        }

        /** A guest assertion after an exit comes out of the KVM_RUN that resumed the guest. */
        @Test
        void aGuestAssertionAfterAnExitFailsTheResumingRun() {
            Vcpu vcpu = initialised(host.createVm(), g -> {
                g.write(PMCR_EL0, E); // PMOVS and PMINTEN keep their reset bits: the line rises
                assertThat(g.read(PMOVSSET_EL0)).as("guest assert").isZero();
            });
            assertThat(vcpu.run()).isEqualTo(-EINTR);
            assertThatThrownBy(vcpu::run).isInstanceOf(AssertionError.class).hasMessageContaining("guest assert");
        }

        /** A vCPU reset (KVM_ARM_VCPU_INIT again) starts the guest code from its beginning. */
        @Test
        void aVcpuResetDropsGuestCodeLeftInItsMiddle() {
            List<String> steps = new ArrayList<>();
            Vcpu vcpu = initialised(host.createVm(), g -> {
                steps.add("start");
                g.write(PMCR_EL0, E);
                steps.add("after E");
            });
            assertThat(vcpu.run()).isEqualTo(-EINTR);
            assertThat(steps).containsExactly("start");
            assertThat(vcpu.armVcpuInit(PMU_FEATURES)).isZero(); // PMCR_EL0.E resets to 0
            assertThat(vcpu.run()).as("the line fell with the reset").isEqualTo(-EINTR);
            assertThat(pmuLine(vcpu)).isFalse();
            assertThat(vcpu.run()).isEqualTo(-EINTR);
            assertThat(steps).containsExactly("start", "start");
        }
    }
}
