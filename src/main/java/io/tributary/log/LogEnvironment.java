package io.tributary.log;

import io.tributary.common.Time;
import io.tributary.log.segment.ChannelOpener;
import io.tributary.log.segment.LogSegment;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the logs of one data directory share: the clock, the I/O failure gate, the flush policy
 * with its group-commit {@link LogFlusher}, and a scheduler for delayed file deletion.
 * Thread safety: thread-safe.
 */
public final class LogEnvironment {

    private static final Logger LOG = LoggerFactory.getLogger(LogEnvironment.class);

    private final Time time;
    private final IoFailureGate gate;
    private final FlushPolicy flushPolicy;
    private final LogFlusher flusher;
    private final ScheduledExecutorService scheduler;
    private final ChannelOpener channelOpener;
    private final java.util.Set<LogSegment> pendingDeletes = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final LongAdder recoveryTruncations = new LongAdder();
    private final LongAdder recoveryTruncatedBytes = new LongAdder();

    /**
     * @param flusher   required under {@link FlushPolicy#ON_ACK}, else may be null
     * @param scheduler runs delayed deletions; null deletes at once
     */
    public LogEnvironment(Time time, IoFailureGate gate, FlushPolicy flushPolicy, LogFlusher flusher,
                          ScheduledExecutorService scheduler) {
        this(time, gate, flushPolicy, flusher, scheduler, ChannelOpener.DEFAULT);
    }

    /** As above, opening segment files through {@code channelOpener} (fault-injection tests). */
    public LogEnvironment(Time time, IoFailureGate gate, FlushPolicy flushPolicy, LogFlusher flusher,
                          ScheduledExecutorService scheduler, ChannelOpener channelOpener) {
        if (flushPolicy == FlushPolicy.ON_ACK && flusher == null) {
            throw new IllegalArgumentException("The on-ack flush policy needs a flusher");
        }
        this.time = time;
        this.gate = gate;
        this.flushPolicy = flushPolicy;
        this.flusher = flusher;
        this.scheduler = scheduler;
        this.channelOpener = channelOpener;
    }

    public ChannelOpener channelOpener() {
        return channelOpener;
    }

    public Time time() {
        return time;
    }

    public IoFailureGate gate() {
        return gate;
    }

    public FlushPolicy flushPolicy() {
        return flushPolicy;
    }

    /** Counts a log whose recovery cut {@code bytes} of damaged or later data. */
    void recordRecoveryTruncation(long bytes) {
        recoveryTruncations.increment();
        recoveryTruncatedBytes.add(bytes);
    }

    /** Logs whose recovery truncated them, since this environment was created. */
    public long recoveryTruncations() {
        return recoveryTruncations.sum();
    }

    /** Bytes that recovery cut from logs, since this environment was created. */
    public long recoveryTruncatedBytes() {
        return recoveryTruncatedBytes.sum();
    }

    /** The future an append's caller gets: completed now, or after the fsync under on-ack. */
    CompletableFuture<AppendResult> acknowledge(FilePartitionLog log, AppendResult result) {
        if (flushPolicy != FlushPolicy.ON_ACK) {
            return CompletableFuture.completedFuture(result);
        }
        return flusher.requestFlush(log, result.nextOffset()).thenApply(ignored -> result);
    }

    /** Deletes a segment's files after {@code delayMs}, letting in-flight reads finish. */
    void deleteLater(LogSegment segment, long delayMs) {
        pendingDeletes.add(segment);
        Runnable delete = () -> {
            if (!pendingDeletes.remove(segment)) {
                return;
            }
            try {
                segment.deleteFiles();
            } catch (IOException e) {
                LOG.warn("Could not delete {}: {}", segment.logFile(), e.toString());
            }
        };
        if (scheduler == null || delayMs == 0) {
            delete.run();
            return;
        }
        try {
            scheduler.schedule(delete, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            delete.run();
        }
    }

    /** Deletes, now, every segment still waiting out its deletion delay (at shutdown). */
    void deletePendingNow() {
        for (LogSegment segment : java.util.List.copyOf(pendingDeletes)) {
            if (pendingDeletes.remove(segment)) {
                try {
                    segment.deleteFiles();
                } catch (IOException e) {
                    LOG.warn("Could not delete {}: {}", segment.logFile(), e.toString());
                }
            }
        }
    }
}
