package io.tributary.group;

import io.tributary.service.ProduceRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Group commit for one offsets partition: at most one write is in flight; commits arriving
 * meanwhile queue up and go out together as the next write when it completes. Each commit's
 * {@code apply} (the cache update) runs in arrival order after its write is durable, and only then
 * is the commit acknowledged. Under load this turns thousands of commits into a few appends (one
 * fsync each), which is what carries the commit rate.
 *
 * <p>Thread safety: thread-safe; the queue is guarded by {@code this}.
 */
final class CommitBatcher {

    /** The most records one write carries. */
    static final int MAX_RECORDS_PER_WRITE = 5_000;

    private record Pending(List<ProduceRecord> records, Runnable apply, CompletableFuture<Void> done) {
    }

    private final Function<List<ProduceRecord>, CompletableFuture<?>> writer;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean inFlight;

    CommitBatcher(Function<List<ProduceRecord>, CompletableFuture<?>> writer) {
        this.writer = writer;
    }

    /** Queues records; the future completes after they are written and {@code apply} has run. */
    CompletableFuture<Void> submit(List<ProduceRecord> records, Runnable apply) {
        Pending pending = new Pending(records, apply, new CompletableFuture<>());
        List<Pending> toSend = null;
        synchronized (this) {
            queue.add(pending);
            if (!inFlight) {
                inFlight = true;
                toSend = drainLocked();
            }
        }
        if (toSend != null) {
            send(toSend);
        }
        return pending.done();
    }

    private List<Pending> drainLocked() {
        List<Pending> batch = new ArrayList<>();
        int records = 0;
        while (!queue.isEmpty() && (batch.isEmpty() || records + queue.peek().records().size() <= MAX_RECORDS_PER_WRITE)) {
            Pending next = queue.poll();
            records += next.records().size();
            batch.add(next);
        }
        return batch;
    }

    private void send(List<Pending> batch) {
        List<ProduceRecord> all = new ArrayList<>();
        batch.forEach(p -> all.addAll(p.records()));
        CompletableFuture<?> write;
        try {
            write = writer.apply(all);
        } catch (RuntimeException e) {
            write = CompletableFuture.failedFuture(e);
        }
        write.whenComplete((ok, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            for (Pending p : batch) {
                if (cause == null) {
                    p.apply().run();
                    p.done().complete(null);
                } else {
                    p.done().completeExceptionally(cause);
                }
            }
            List<Pending> next;
            synchronized (this) {
                next = queue.isEmpty() ? null : drainLocked();
                if (next == null) {
                    inFlight = false;
                }
            }
            if (next != null) {
                send(next);
            }
        });
    }
}
