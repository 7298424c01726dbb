package dev.pmulab.kvm;

import java.util.concurrent.SynchronousQueue;

/**
 * Guest code that KVM_RUN can leave in its middle and resume at the next KVM_RUN, as a real vCPU
 * returns to userspace after any trapped instruction and carries on from the next one. A VM
 * without an in-kernel irqchip needs it: when a guest access changes the PMU overflow line, KVM_RUN
 * returns to userspace at once (kvm_vcpu_exit_request, kvm-vpmu-uapi.md §2.4).
 *
 * <p>The guest code runs on its own thread, but only one side ever runs: KVM_RUN's caller hands
 * control over and waits until the guest is done or asks for an exit; the guest waits while
 * userspace runs. The hand-overs are the happens-before edges, so the model stays single-threaded
 * in effect and deterministic.
 */
final class GuestThread {
    private static final Object RESUME = new Object();
    private static final Object EXIT = new Object();
    private static final Object DONE = new Object();

    private final String name;
    /** The guest code in progress: started and neither returned nor thrown; null if none. */
    private Hand current;

    GuestThread(String name) {
        this.name = name;
    }

    /**
     * Enters the guest: starts {@code code} if no guest code is in progress, otherwise resumes it
     * where it asked for an exit. Returns true when the guest code returned, false when it asked for
     * an exit; what the guest code threw is rethrown here, as the selftests' REPORT_GUEST_ASSERT
     * reports a guest assertion.
     */
    boolean enter(GuestCode code, Guest guest) {
        Hand hand = current;
        if (hand == null) {
            hand = new Hand();
            current = hand;
            Hand h = hand;
            Thread t = new Thread(() -> h.body(code, guest), name);
            t.setDaemon(true);
            t.start();
        } else {
            put(hand.toGuest, RESUME);
        }
        Object event = take(hand.toHost);
        if (event == EXIT) {
            return false;
        }
        current = null;
        if (event instanceof RuntimeException e) {
            throw e;
        }
        if (event instanceof Error e) {
            throw e;
        }
        if (event instanceof Throwable t) {
            throw new IllegalStateException("guest code threw " + t, t);
        }
        return true;
    }

    /** On the guest's thread: returns control to KVM_RUN's caller and waits for the next entry. */
    void exitToUserspace() {
        Hand hand = current;
        put(hand.toHost, EXIT);
        take(hand.toGuest);
    }

    /**
     * Forgets guest code in progress (a vCPU reset or new guest code): it is never resumed. Its
     * thread stays parked on its own hand-over, as a daemon, so that it never runs beside the caller.
     */
    void abandon() {
        current = null;
    }

    /** The hand-overs of one run of guest code. */
    private static final class Hand {
        final SynchronousQueue<Object> toGuest = new SynchronousQueue<>();
        final SynchronousQueue<Object> toHost = new SynchronousQueue<>();

        void body(GuestCode code, Guest guest) {
            Object outcome;
            try {
                code.run(guest);
                outcome = DONE;
            } catch (Throwable t) { // handed to KVM_RUN's caller, which rethrows it
                outcome = t;
            }
            put(toHost, outcome);
        }
    }

    private static void put(SynchronousQueue<Object> q, Object o) {
        try {
            q.put(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing over the vCPU", e);
        }
    }

    private static Object take(SynchronousQueue<Object> q) {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing over the vCPU", e);
        }
    }
}
