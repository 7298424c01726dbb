package dev.pmulab.kvm;

import static dev.pmulab.kvm.KvmUapi.KVM_PMU_EVENT_ALLOW;
import static dev.pmulab.kvm.KvmUapi.KVM_PMU_EVENT_DENY;

import dev.pmulab.api.EventFilter;
import dev.pmulab.api.FilterAction;
import java.nio.ByteBuffer;

/**
 * {@code struct kvm_pmu_event_filter { __u16 base_event; __u16 nevents; __u8 action; __u8 pad[3]; }}
 * (kvm-vpmu-uapi.md §1.0): the half-open event range [base_event, base_event + nevents) to allow or
 * deny. The fields hold what the C types can hold; whether KVM accepts the values is KVM's
 * business (an action other than ALLOW or DENY is representable and gets -EINVAL, §1.3).
 *
 * @param baseEvent the first event number, 0..0xffff
 * @param nevents the number of events, 0..0xffff
 * @param action {@link KvmUapi#KVM_PMU_EVENT_ALLOW} or {@link KvmUapi#KVM_PMU_EVENT_DENY}, as a u8
 */
public record KvmPmuEventFilter(int baseEvent, int nevents, int action) {
    /** sizeof(struct kvm_pmu_event_filter). */
    public static final int SIZE = 8;

    public KvmPmuEventFilter {
        checkRange("base_event", baseEvent, 0xffff);
        checkRange("nevents", nevents, 0xffff);
        checkRange("action", action, 0xff);
    }

    public static KvmPmuEventFilter allow(int baseEvent, int nevents) {
        return new KvmPmuEventFilter(baseEvent, nevents, KVM_PMU_EVENT_ALLOW);
    }

    public static KvmPmuEventFilter deny(int baseEvent, int nevents) {
        return new KvmPmuEventFilter(baseEvent, nevents, KVM_PMU_EVENT_DENY);
    }

    /** The struct a VMM fills in for a policy's filter (the SPI's FilterAction is KVM's action). */
    public static KvmPmuEventFilter of(EventFilter filter) {
        return new KvmPmuEventFilter(
                filter.baseEvent(),
                filter.nevents(),
                filter.action() == FilterAction.ALLOW ? KVM_PMU_EVENT_ALLOW : KVM_PMU_EVENT_DENY);
    }

    /** The struct as copy_from_user reads it from the start of {@code buf}. */
    static KvmPmuEventFilter readFrom(ByteBuffer buf) {
        return new KvmPmuEventFilter(
                Short.toUnsignedInt(buf.getShort(0)),
                Short.toUnsignedInt(buf.getShort(2)),
                Byte.toUnsignedInt(buf.get(4)));
    }

    void writeTo(ByteBuffer buf) {
        buf.putShort(0, (short) baseEvent).putShort(2, (short) nevents).put(4, (byte) action);
    }

    private static void checkRange(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " must be 0.." + max + ", was " + value);
        }
    }
}
