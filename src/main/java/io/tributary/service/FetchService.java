package io.tributary.service;

import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.LogReadResult;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatch;
import io.tributary.replication.Partition;
import io.tributary.replication.ReplicaManager;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reading committed records from a partition this broker leads, with long polling: when there is
 * nothing to read, the fetch waits until the high watermark moves (woken by the append, no
 * polling loop) or {@code maxWaitMs} passes. Thread safety: thread-safe.
 */
public final class FetchService {

    private final ReplicaManager replicas;

    public FetchService(ReplicaManager replicas) {
        this.replicas = replicas;
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
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        return attempt(tp, offset, maxRecords, maxBytes, deadline);
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
        List<Record> records = new ArrayList<>();
        long next = offset;
        outer:
        for (RecordBatch batch : read.records().batches()) {
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
        return new FetchResult(partition.topicPartition().partition(), records, next, partition.highWatermark(),
                read.logStartOffset());
    }
}
