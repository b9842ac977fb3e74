package io.tributary.replication;

import java.util.concurrent.CompletableFuture;

/**
 * Wakes readers waiting for a partition's high watermark to move (one instance per partition), or
 * for any change a follower's fetch waits for (appends, high watermark, role; another instance). A waiter takes
 * {@link #nextAdvance()} first and then checks the high watermark; if there is nothing to read it
 * waits on the future. {@link #fire()} installs a fresh future before completing the old one, so a
 * waiter either holds the future being completed or sees the new high watermark: no lost wake-ups,
 * no polling. Each waiter gets its own future, so one that gives up ({@code orTimeout}, {@code cancel})
 * does not wake the others. Thread safety: thread-safe.
 */
final class HighWatermarkSignal {

    private volatile CompletableFuture<Void> next = new CompletableFuture<>();

    CompletableFuture<Void> nextAdvance() {
        return next.copy();
    }

    void fire() {
        CompletableFuture<Void> fired;
        synchronized (this) {
            fired = next;
            next = new CompletableFuture<>();
        }
        fired.complete(null);
    }
}
