package io.tributary.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the {@code on-ack} flush policy: forces logs to the device and completes the
 * appends waiting on them only after the force.
 *
 * <p>Each log has its own queue of waiting appends. When a request arrives and no force of that
 * log is running, one starts on the flusher pool; it takes every request queued at that moment,
 * forces the log once (up to its end at that time, which covers all of them), completes them, and
 * repeats while more arrived meanwhile. So one fsync serves every append of a partition that
 * arrived during the previous fsync, and different partitions are forced in parallel (the file
 * system also folds concurrent fsyncs into one journal commit), instead of one after another.
 *
 * <p>Completion happens on a flusher thread: callbacks must hand heavy work to another executor.
 * Thread safety: thread-safe.
 */
public final class LogFlusher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogFlusher.class);

    private record Request(long offset, CompletableFuture<Void> done) {
    }

    /** The waiting appends of one log, and whether a force of it is running. Guarded by itself. */
    private static final class LogQueue {
        private List<Request> pending = new ArrayList<>();
        private boolean forcing;
    }

    private final Map<FilePartitionLog, LogQueue> queues = new ConcurrentHashMap<>();
    private final ExecutorService pool;
    private volatile boolean running = true;

    /** A flusher forcing up to eight logs at once. */
    public LogFlusher(String name) {
        this(name, 8);
    }

    /** A flusher forcing up to {@code parallelism} logs at once. */
    public LogFlusher(String name, int parallelism) {
        AtomicInteger threads = new AtomicInteger();
        pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, name + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A future completed once everything in {@code log} below {@code offset} is on the device. */
    public CompletableFuture<Void> requestFlush(FilePartitionLog log, long offset) {
        if (log.recoveryPoint() >= offset) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("The log flusher is closed"));
            return done;
        }
        LogQueue queue = queues.computeIfAbsent(log, l -> new LogQueue());
        boolean start;
        synchronized (queue) {
            queue.pending.add(new Request(offset, done));
            start = !queue.forcing;
            queue.forcing = true;
        }
        if (start) {
            try {
                pool.execute(() -> drain(log, queue));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                drain(log, queue);
            }
        }
        return done;
    }

    /** Forces {@code log} until no request for it is waiting. */
    private void drain(FilePartitionLog log, LogQueue queue) {
        while (true) {
            List<Request> batch;
            synchronized (queue) {
                if (queue.pending.isEmpty()) {
                    queue.forcing = false;
                    queues.remove(log, queue);
                    return;
                }
                batch = queue.pending;
                queue.pending = new ArrayList<>();
            }
            long target = 0;
            for (Request r : batch) {
                target = Math.max(target, r.offset());
            }
            RuntimeException failure = null;
            try {
                log.flushUpTo(target);
            } catch (RuntimeException e) {
                failure = e;
            }
            for (Request r : batch) {
                if (failure != null) {
                    r.done().completeExceptionally(failure);
                } else {
                    r.done().complete(null);
                }
            }
        }
    }

    /** Finishes the forces already requested, then stops the threads. */
    @Override
    public void close() {
        running = false;
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("The log flusher did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queues.clear();
    }
}
