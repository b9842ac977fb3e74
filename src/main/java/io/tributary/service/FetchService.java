package io.tributary.service;

import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.LogReadResult;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatch;
import io.tributary.replication.Partition;
import io.tributary.replication.ReplicaManager;
import io.tributary.replication.ReplicationMessages;
import io.tributary.replication.ReplicationMessages.FetchPartition;
import io.tributary.replication.ReplicationMessages.FetchRequest;
import io.tributary.replication.ReplicationMessages.PartitionData;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reading committed records from a partition, with long polling: when there is nothing to read,
 * the fetch waits until the high watermark moves (woken by the append, no polling loop) or
 * {@code maxWaitMs} passes. A partition led by another broker is read there (forwarded over the
 * replication channel; the leader long-polls and answers with its batches as stored).
 * Thread safety: thread-safe.
 */
public final class FetchService {

    private final ReplicaManager replicas;
    private final PartitionRouter router;

    public FetchService(ReplicaManager replicas, PartitionRouter router) {
        this.replicas = replicas;
        this.router = router;
    }

    /** Reads from {@code offset}: at most {@code maxRecords} records and about {@code maxBytes}. */
    public CompletableFuture<FetchResult> fetch(TopicPartition tp, long offset, int maxRecords, int maxBytes,
                                                long maxWaitMs) {
        if (offset < 0) {
            throw new TributaryException(ErrorCode.OFFSET_OUT_OF_RANGE, "Offset must not be negative: " + offset);
        }
        if (maxRecords < 1 || maxBytes < 1 || maxWaitMs < 0) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "maxRecords and maxBytes must be positive, "
                    + "maxWaitMs not negative");
        }
        if (!router.isLocal(tp)) {
            return forward(router.route(tp).leaderId(), tp, offset, maxRecords, maxBytes, maxWaitMs);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        return attempt(tp, offset, maxRecords, maxBytes, deadline);
    }

    /** A read of a partition led by another broker: the leader long-polls and answers with its raw batches. */
    private CompletableFuture<FetchResult> forward(int leaderId, TopicPartition tp, long offset, int maxRecords,
                                                   int maxBytes, long maxWaitMs) {
        FetchRequest request = new FetchRequest(ReplicationMessages.CONSUMER_REPLICA_ID, (int) maxWaitMs, maxBytes,
                List.of(new FetchPartition(tp, offset, -1)));
        return replicas.clients().fetch(leaderId, request, maxWaitMs + replicas.forwardTimeoutMs())
                .thenApply(response -> {
                    PartitionData data = response.partitions().get(0);
                    if (data.error().equals(ErrorCode.OFFSET_OUT_OF_RANGE.name())) {
                        throw new OffsetOutOfRangeException(tp, offset, data.logStartOffset(), data.logEndOffset());
                    }
                    if (!data.ok()) {
                        throw ReplicationMessages.toException(data.error(), "Broker " + leaderId + " answered "
                                + data.error() + " for " + tp);
                    }
                    return toResult(tp.partition(), data.records(), offset, maxRecords, data.highWatermark(),
                            data.logStartOffset());
                });
    }

    private CompletableFuture<FetchResult> attempt(TopicPartition tp, long offset, int maxRecords, int maxBytes,
                                                   long deadlineNanos) {
        Partition partition = replicas.leaderPartition(tp);
        CompletableFuture<Void> advance = partition.nextHighWatermarkAdvance();
        FetchResult result = readNow(partition, offset, maxRecords, maxBytes);
        long remaining = deadlineNanos - System.nanoTime();
        if (!result.records().isEmpty() || remaining <= 0) {
            return CompletableFuture.completedFuture(result);
        }
        return advance.orTimeout(remaining, TimeUnit.NANOSECONDS)
                .handle((ok, timeout) -> timeout == null)
                .thenCompose(advanced -> advanced
                        ? attempt(tp, offset, maxRecords, maxBytes, deadlineNanos)
                        : CompletableFuture.completedFuture(readNow(partition, offset, maxRecords, maxBytes)));
    }

    /** Reads what is there now, without waiting. */
    public static FetchResult readNow(Partition partition, long offset, int maxRecords, int maxBytes) {
        LogReadResult read = partition.read(offset, maxBytes);
        return toResult(partition.topicPartition().partition(), read.records(), offset, maxRecords,
                partition.highWatermark(), read.logStartOffset());
    }

    private static FetchResult toResult(int partition, MemoryRecords batches, long offset, int maxRecords,
                                        long highWatermark, long logStartOffset) {
        List<Record> records = new ArrayList<>();
        long next = offset;
        outer:
        for (RecordBatch batch : batches.batches()) {
            for (Record record : batch) {
                if (record.offset() < offset) {
                    continue;
                }
                if (records.size() == maxRecords) {
                    break outer;
                }
                records.add(record);
                next = record.offset() + 1;
            }
            if (records.size() < maxRecords) {
                next = Math.max(next, batch.nextOffset());
            }
        }
        return new FetchResult(partition, records, next, highWatermark, logStartOffset);
    }
}
