package io.tributary.log.record;

/**
 * What {@link MemoryRecords#validate()} found in a run of valid batches. Offsets and timestamps are
 * as written in the batches: before the log assigns offsets they are the producer's (base offset 0).
 *
 * @param batches the number of batches
 * @param records the number of records in all batches
 * @param firstOffset the first batch's base offset, -1 when there are no batches
 * @param lastOffset the last batch's last offset, -1 when there are no batches
 * @param maxTimestamp the greatest record timestamp, {@link RecordBatch#NO_TIMESTAMP} when there
 *     are no records (under log-append time a record's timestamp is its batch's max timestamp)
 * @param offsetOfMaxTimestamp the offset of the first record holding {@code maxTimestamp}, -1 when
 *     there are no records
 */
public record BatchesSummary(int batches, int records, long firstOffset, long lastOffset,
        long maxTimestamp, long offsetOfMaxTimestamp) {
}
