package io.tributary.service;

import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.record.RecordBatch;
import io.tributary.replication.ReplicationMessages;
import io.tributary.replication.ReplicationMessages.FetchPartition;
import io.tributary.replication.ReplicationMessages.FetchRequest;
import io.tributary.replication.ReplicationMessages.FetchResponse;
import io.tributary.replication.ReplicationMessages.PartitionData;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.ToIntFunction;

/**
 * A partition led by another broker, read from that leader over the replication channel as a
 * consumer (replica id {@link ReplicationMessages#CONSUMER_REPLICA_ID}): the leader long-polls
 * and answers with its batches below its high watermark.
 *
 * <p>One fetch is in flight at a time. A read never waits: it answers with the fetch that came
 * back for the position asked, or starts one and answers idle with a future that completes when
 * the answer is in. After handing out records it fetches the next offset at once, so the network
 * round trip overlaps the delivery of the records before it. An answer for another position (the
 * consumer seeked, or took fewer records than were read) is dropped and fetched again.
 *
 * <p>Failures: the leader's error codes come back as {@link TributaryException}s; a transport
 * failure (connection lost, no answer in time) as the retriable {@code BROKER_NOT_AVAILABLE}, so
 * {@link PartitionSources} looks for the leader again.
 *
 * <p>Thread safety: thread-safe; state is guarded by {@code this}.
 */
final class RemotePartitionSource implements PartitionSource {

    /** Sends a fetch to a broker; the future fails on transport errors. */
    @FunctionalInterface
    interface Fetcher {
        CompletableFuture<FetchResponse> fetch(int brokerId, FetchRequest request, long timeoutMs);
    }

    private final TopicPartition tp;
    private final int leaderId;
    private final Fetcher fetcher;
    private final int maxWaitMs;
    private final long timeoutMs;
    private final ToIntFunction<TopicPartition> currentLeader;

    private long pendingOffset = -1;
    private CompletableFuture<PartitionData> pending;
    private CompletableFuture<Void> pendingDone;

    /**
     * @param maxWaitMs how long the leader holds a fetch when there is nothing to read
     * @param timeoutMs how long beyond {@code maxWaitMs} an answer may take before the leader counts as out of reach
     * @param currentLeader the partition's leader in this broker's copy of cluster state (-1: none)
     */
    RemotePartitionSource(TopicPartition tp, int leaderId, Fetcher fetcher, int maxWaitMs, long timeoutMs,
                          ToIntFunction<TopicPartition> currentLeader) {
        this.tp = tp;
        this.leaderId = leaderId;
        this.fetcher = fetcher;
        this.maxWaitMs = maxWaitMs;
        this.timeoutMs = timeoutMs;
        this.currentLeader = currentLeader;
    }

    int leaderId() {
        return leaderId;
    }

    @Override
    public synchronized Read read(long position, int maxBytes) {
        if (pending != null && pending.isDone() && pendingOffset == position) {
            CompletableFuture<PartitionData> done = pending;
            pending = null;
            PartitionData data = answer(done);
            if (data.error().equals(ErrorCode.OFFSET_OUT_OF_RANGE.name())) {
                throw new OffsetOutOfRangeException(tp, position, data.logStartOffset(), data.highWatermark());
            }
            if (!data.ok()) {
                throw ReplicationMessages.toException(data.error(), "Broker " + leaderId + " answered " + data.error()
                        + " for " + tp);
            }
            if (data.records().sizeInBytes() > 0) {
                long next = position;
                for (RecordBatch batch : data.records().batches()) {
                    next = batch.nextOffset();
                }
                start(Math.max(position, Math.min(next, data.highWatermark())), maxBytes);
                return new Read(data.records(), data.highWatermark(), pendingDone);
            }
        }
        if (pending == null || pendingOffset != position) {
            start(position, maxBytes);
        }
        return Read.idle(pendingDone);
    }

    private void start(long offset, int maxBytes) {
        FetchRequest request = new FetchRequest(ReplicationMessages.CONSUMER_REPLICA_ID, maxWaitMs, maxBytes,
                List.of(new FetchPartition(tp, offset, -1)));
        CompletableFuture<PartitionData> fetch;
        try {
            fetch = fetcher.fetch(leaderId, request, maxWaitMs + timeoutMs).thenApply(r -> r.partitions().get(0));
        } catch (RuntimeException e) {
            fetch = CompletableFuture.failedFuture(e);
        }
        pendingOffset = offset;
        pending = fetch;
        pendingDone = fetch.handle((ok, error) -> null);
    }

    private PartitionData answer(CompletableFuture<PartitionData> done) {
        try {
            return done.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof TributaryException t) {
                throw t;
            }
            throw new TributaryException(ErrorCode.BROKER_NOT_AVAILABLE, "Reading " + tp + " from broker " + leaderId
                    + " failed: " + cause, cause);
        }
    }

    /**
     * Whether cluster state still names this source's broker as the leader. (A leader that lost
     * the role also answers NOT_LEADER; this catches the move before the answer is back.)
     */
    @Override
    public boolean current() {
        return currentLeader.applyAsInt(tp) == leaderId;
    }
}
