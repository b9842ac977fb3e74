package io.tributary.log;

import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.record.BatchesSummary;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.RecordBatch;
import io.tributary.log.record.TimestampType;

/**
 * Checks batches before anything is written, and stamps client batches with their offsets. Shared
 * by every {@link PartitionLog} so they all accept and refuse exactly the same input.
 */
final class LogValidator {

    private LogValidator() {
    }

    /**
     * Every batch whole, CRC-valid and within {@code max.message.bytes}; client batches must also
     * number their records densely. Returns the summary of the batches, from their headers: the
     * CRC vouches for the records, which are not decoded here.
     */
    static BatchesSummary validate(TopicPartition tp, LogConfig config, MemoryRecords records, boolean fromClient) {
        if (records.sizeInBytes() == 0) {
            throw new TributaryException(ErrorCode.INVALID_RECORD, "An append needs at least one batch");
        }
        if (records.validBytes() != records.sizeInBytes()) {
            throw new TributaryException(ErrorCode.CORRUPT_RECORD, "The appended bytes end in a partial batch");
        }
        for (RecordBatch batch : records.batches()) {
            if (batch.sizeInBytes() > config.maxMessageBytes() || batch.sizeInBytes() > config.segmentBytes()) {
                throw new TributaryException(ErrorCode.RECORD_TOO_LARGE, "A batch of " + batch.sizeInBytes()
                        + " bytes exceeds max.message.bytes (" + config.maxMessageBytes() + ") of " + tp.topic());
            }
            if (fromClient && batch.lastOffsetDelta() != batch.recordCount() - 1) {
                throw new TributaryException(ErrorCode.INVALID_RECORD, "A client batch must number its records densely");
            }
        }
        return records.validateHeaders();
    }

    /**
     * Gives client batches their offsets from {@code nextOffset}, the leader epoch and, for
     * log-append time, the broker's timestamp. Returns the offset after the last batch.
     */
    static long assignOffsets(MemoryRecords records, long nextOffset, int leaderEpoch, TimestampType timestampType,
                              long nowMs) {
        long next = nextOffset;
        for (RecordBatch batch : records.batches()) {
            batch.setBaseOffset(next);
            batch.setPartitionLeaderEpoch(leaderEpoch);
            if (timestampType == TimestampType.LOG_APPEND_TIME) {
                batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, nowMs);
            }
            next = batch.lastOffset() + 1;
        }
        return next;
    }
}
