package io.tributary.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands commits to a blocking audit sink (the JPA trail) on its own thread, in batches, so that
 * acknowledging a commit never waits for the database. Rows reach the trail shortly after the
 * commit is acknowledged, in acknowledgement order; a batch the sink refuses is retried, then
 * logged and dropped. {@link #close} writes what is queued before it returns.
 *
 * <p>Thread safety: thread-safe.
 */
public final class AsyncCommitAuditLog implements CommitAuditLog, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncCommitAuditLog.class);
    private static final int ATTEMPTS = 3;

    private final Consumer<List<CommitAudit>> sink;
    private final int maxBatch;
    private final LinkedBlockingQueue<CommitAudit> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    public AsyncCommitAuditLog(Consumer<List<CommitAudit>> sink, int maxBatch) {
        this.sink = sink;
        this.maxBatch = maxBatch;
        this.writer = new Thread(this::run, "tributary-commit-audit");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void record(List<CommitAudit> commits) {
        queue.addAll(commits);
    }

    private void run() {
        List<CommitAudit> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                CommitAudit first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void write(List<CommitAudit> batch) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                sink.accept(List.copyOf(batch));
                return;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    LOG.error("Dropping {} audit rows of offset commits after {} attempts", batch.size(), ATTEMPTS, e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
