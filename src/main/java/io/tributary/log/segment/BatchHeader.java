package io.tributary.log.segment;

import io.tributary.log.record.RecordBatch;

import java.nio.ByteBuffer;

/**
 * The header fields of a batch at a position in a segment file, read without touching its records.
 * See {@link RecordBatch} for the layout.
 */
public record BatchHeader(int position, long baseOffset, long lastOffset, int sizeInBytes, byte magic, long maxTimestamp) {

    /** Parses the header starting at {@code buffer}'s absolute index {@code at}. */
    static BatchHeader parse(ByteBuffer buffer, int at, int position) {
        long baseOffset = buffer.getLong(at + RecordBatch.BASE_OFFSET_OFFSET);
        int length = buffer.getInt(at + RecordBatch.LENGTH_OFFSET);
        byte magic = buffer.get(at + RecordBatch.MAGIC_OFFSET);
        int lastOffsetDelta = buffer.getInt(at + RecordBatch.LAST_OFFSET_DELTA_OFFSET);
        long maxTimestamp = buffer.getLong(at + RecordBatch.MAX_TIMESTAMP_OFFSET);
        return new BatchHeader(position, baseOffset, baseOffset + lastOffsetDelta,
                RecordBatch.LOG_OVERHEAD + length, magic, maxTimestamp);
    }

    public int nextPosition() {
        return position + sizeInBytes;
    }

    public long nextOffset() {
        return lastOffset + 1;
    }

    /** Whether the fields are plausible enough to walk on: the CRC is checked separately. */
    public boolean isWellFormed() {
        return magic == RecordBatch.MAGIC && sizeInBytes >= RecordBatch.RECORD_BATCH_OVERHEAD
                && lastOffset >= baseOffset && baseOffset >= 0;
    }
}
