package io.tributary.replication;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Produce requests with {@code acks=all} waiting for a partition's high watermark (a delayed-produce
 * purgatory keyed by offset). A waiter needs the high watermark at or past its request's next
 * offset; {@link #completeUpTo} completes every such waiter when the high watermark moves, a timer
 * fails it with {@code REQUEST_TIMED_OUT}, and losing leadership fails all of them.
 *
 * <p>Invariant: a waiter is completed exactly once, successfully only if the high watermark
 * reached its offset. Thread safety: thread-safe (guarded by {@code this}; futures are completed
 * outside the lock).
 */
final class AckWaiters {

    private record Waiter(long requiredHighWatermark, CompletableFuture<Void> future) {
    }

    private final PriorityQueue<Waiter> waiters =
            new PriorityQueue<>((a, b) -> Long.compare(a.requiredHighWatermark(), b.requiredHighWatermark()));

    /**
     * A future completed once the high watermark reaches {@code requiredHighWatermark}; checked
     * against {@code highWatermark} after registering, so a move in between is not missed.
     */
    CompletableFuture<Void> await(long requiredHighWatermark, LongSupplier highWatermark, long timeoutMs) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (this) {
            waiters.add(new Waiter(requiredHighWatermark, future));
        }
        completeUpTo(highWatermark.getAsLong());
        return future.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            remove(future);
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                return CompletableFuture.failedFuture(new TributaryException(ErrorCode.REQUEST_TIMED_OUT,
                        "The in-sync replicas did not all take the records within " + timeoutMs + " ms"));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    void completeUpTo(long highWatermark) {
        List<Waiter> done = new ArrayList<>();
        synchronized (this) {
            while (!waiters.isEmpty() && waiters.peek().requiredHighWatermark() <= highWatermark) {
                done.add(waiters.poll());
            }
        }
        done.forEach(w -> w.future().complete(null));
    }

    void failAll(TributaryException reason) {
        List<Waiter> failed;
        synchronized (this) {
            failed = new ArrayList<>(waiters);
            waiters.clear();
        }
        failed.forEach(w -> w.future().completeExceptionally(reason));
    }

    private synchronized void remove(CompletableFuture<Void> future) {
        waiters.removeIf(w -> w.future() == future);
    }

    synchronized int size() {
        return waiters.size();
    }
}
