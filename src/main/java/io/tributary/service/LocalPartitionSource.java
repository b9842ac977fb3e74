package io.tributary.service;

import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TributaryException;
import io.tributary.log.LogReadResult;
import io.tributary.replication.Partition;

import java.util.concurrent.CompletableFuture;

/**
 * A partition this broker leads, read from its log. The wake-up future is taken before the high
 * watermark, so no advance between the two is missed; it also completes when the replica's role
 * changes, so a session waiting here notices at once that this broker stopped leading.
 * Thread safety: thread-safe (the partition is).
 */
final class LocalPartitionSource implements PartitionSource {

    private final Partition partition;

    LocalPartitionSource(Partition partition) {
        this.partition = partition;
    }

    @Override
    public Read read(long position, int maxBytes) {
        CompletableFuture<Void> advance = partition.nextHighWatermarkAdvance();
        long highWatermark = partition.highWatermark();
        if (!partition.isLeader()) {
            throw new TributaryException(ErrorCode.NOT_LEADER, "This broker no longer leads " + partition.topicPartition());
        }
        if (position >= highWatermark) {
            return Read.idle(advance);
        }
        LogReadResult read;
        try {
            read = partition.read(position, maxBytes);
        } catch (OffsetOutOfRangeException e) {
            throw new OffsetOutOfRangeException(partition.topicPartition(), position, e.logStartOffset(), highWatermark);
        }
        return new Read(read.records(), highWatermark, advance);
    }

    @Override
    public boolean current() {
        return partition.isLeader();
    }
}
