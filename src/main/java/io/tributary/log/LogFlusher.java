package io.tributary.log;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the {@code on-ack} flush policy: a dedicated thread forces logs to the device and
 * completes the appends waiting on them only after the force.
 *
 * <p>Each round takes every request queued at that moment, forces each log named once (up to its
 * end at that time, which covers every request for it), then completes all of them. While one
 * round is forcing, new requests queue for the next, so one fsync serves every append that
 * arrived during the previous one: the more appends wait, the more each fsync carries.
 *
 * <p>Completion happens on the flusher thread: callbacks must hand heavy work to another executor.
 * Thread safety: thread-safe.
 */
public final class LogFlusher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogFlusher.class);

    private record Request(FilePartitionLog log, long offset, CompletableFuture<Void> done) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition pending = lock.newCondition();
    private List<Request> queue = new ArrayList<>();
    private boolean running = true;
    private final Thread thread;

    public LogFlusher(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A future completed once everything in {@code log} below {@code offset} is on the device. */
    public CompletableFuture<Void> requestFlush(FilePartitionLog log, long offset) {
        if (log.recoveryPoint() >= offset) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        lock.lock();
        try {
            if (!running) {
                done.completeExceptionally(new IllegalStateException("The log flusher is closed"));
                return done;
            }
            queue.add(new Request(log, offset, done));
            if (queue.size() == 1) {
                pending.signal();
            }
        } finally {
            lock.unlock();
        }
        return done;
    }

    private void run() {
        while (true) {
            List<Request> round;
            lock.lock();
            try {
                while (queue.isEmpty() && running) {
                    pending.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    return;
                }
                round = queue;
                queue = new ArrayList<>();
            } finally {
                lock.unlock();
            }
            flushRound(round);
        }
    }

    private static void flushRound(List<Request> round) {
        Map<FilePartitionLog, RuntimeException> failures = new IdentityHashMap<>();
        Map<FilePartitionLog, Long> targets = new IdentityHashMap<>();
        for (Request r : round) {
            targets.merge(r.log(), r.offset(), Math::max);
        }
        targets.forEach((log, offset) -> {
            try {
                log.flushUpTo(offset);
            } catch (RuntimeException e) {
                failures.put(log, e);
            }
        });
        for (Request r : round) {
            RuntimeException failure = failures.get(r.log());
            if (failure != null) {
                r.done().completeExceptionally(failure);
            } else {
                r.done().complete(null);
            }
        }
    }

    /** Finishes the requests already queued, then stops the thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            pending.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("The log flusher did not stop within 10 s");
        }
    }
}
