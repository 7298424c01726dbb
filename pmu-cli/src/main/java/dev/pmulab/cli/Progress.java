package dev.pmulab.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A progress bar on stderr for work that takes over a second, drawn only on a terminal so that
 * redirected output and CI logs stay clean. Deterministic output never depends on it.
 */
final class Progress implements AutoCloseable {
    private static final long DELAY_MS = 1000;

    private final PrintWriter err;
    private final int total;
    private final String what;
    private final AtomicInteger done = new AtomicInteger();
    private final Thread drawer;
    private volatile boolean drawn;
    private volatile boolean closed;

    Progress(PrintWriter err, int total, String what, boolean terminal) {
        this.err = err;
        this.total = total;
        this.what = what;
        this.drawer = new Thread(this::draw, "pmulab-progress");
        this.drawer.setDaemon(true);
        if (terminal) {
            drawer.start();
        }
    }

    void step(int n) {
        done.addAndGet(n);
    }

    private void draw() {
        long start = System.nanoTime();
        while (!closed) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            if (closed || (System.nanoTime() - start) / 1_000_000 < DELAY_MS) {
                continue;
            }
            int d = done.get();
            int width = 30;
            int filled = total == 0 ? width : d * width / total;
            synchronized (err) {
                err.print(
                        "\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + d + "/" + total + " " + what);
                err.flush();
            }
            drawn = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        drawer.interrupt();
        if (drawn) {
            synchronized (err) {
                err.print("\r" + " ".repeat(60) + "\r");
                err.flush();
            }
        }
    }
}
