package io.tributary.log.record;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hand-made batch and record bytes for tests that need what the builder would never write. */
final class RawBatches {

    private RawBatches() {
    }

    /** A batch around {@code records} with the given header counts and a correct CRC. */
    static ByteBuffer batch(long baseOffset, int recordCount, int lastOffsetDelta, byte[] records) {
        ByteBuffer buffer = ByteBuffer.allocate(RecordBatch.RECORD_BATCH_OVERHEAD + records.length);
        buffer.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset)
                .putInt(RecordBatch.LENGTH_OFFSET, RecordBatch.MIN_BATCH_LENGTH + records.length)
                .putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, RecordBatch.NO_PARTITION_LEADER_EPOCH)
                .put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC)
                .putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, lastOffsetDelta)
                .putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, 1_000L)
                .putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, 1_000L)
                .putLong(RecordBatch.PRODUCER_ID_OFFSET, RecordBatch.NO_PRODUCER_ID)
                .putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, RecordBatch.NO_PRODUCER_EPOCH)
                .putInt(RecordBatch.BASE_SEQUENCE_OFFSET, RecordBatch.NO_SEQUENCE)
                .putInt(RecordBatch.RECORDS_COUNT_OFFSET, recordCount)
                .put(RecordBatch.RECORDS_OFFSET, records);
        RecordBatch.wrap(buffer).writeChecksum();
        return buffer;
    }

    /** A well-formed record with no key, value or headers. */
    static byte[] emptyRecord(int offsetDelta, long timestampDelta) {
        ByteBuffer body = ByteBuffer.allocate(32);
        body.put((byte) 0);
        ByteUtils.writeVarlong(timestampDelta, body);
        ByteUtils.writeVarint(offsetDelta, body);
        ByteUtils.writeVarint(-1, body);
        ByteUtils.writeVarint(-1, body);
        ByteUtils.writeVarint(0, body);
        body.flip();
        ByteBuffer record = ByteBuffer.allocate(40);
        ByteUtils.writeVarint(body.remaining(), record);
        record.put(body).flip();
        byte[] bytes = new byte[record.remaining()];
        record.get(bytes);
        return bytes;
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String hex(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A copy of the buffer's remaining bytes. */
    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The bytes of {@code records} concatenated into one fresh buffer. */
    static ByteBuffer concat(MemoryRecords... records) {
        int size = 0;
        for (MemoryRecords r : records) {
            size += r.sizeInBytes();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (MemoryRecords r : records) {
            out.put(r.buffer());
        }
        return out.flip();
    }
}
