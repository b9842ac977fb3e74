package io.tributary.log.record;

import io.tributary.common.CorruptRecordException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A flyweight over one record batch in a {@link ByteBuffer}: Kafka's record batch format version 2
 * (magic 2), byte for byte. Accessors read the header in place; {@link #iterator()} decodes the
 * records without copying their keys and values.
 *
 * <h2>Layout</h2>
 *
 * A 61-byte header, big-endian, then {@link #recordCount()} records as {@link Record} describes:
 *
 * <pre>
 * offset  size  field                 meaning
 *  0      8     baseOffset            offset of the first record; assigned by the log on append
 *  8      4     batchLength           bytes after this field: sizeInBytes - LOG_OVERHEAD
 * 12      4     partitionLeaderEpoch  epoch of the leader that appended the batch, -1 if none
 * 16      1     magic                 format version, always 2
 * 17      4     crc                   CRC-32C (unsigned) of bytes 21 to the end of the batch
 * 21      2     attributes            bits 0-2 compression codec (only 0, none, is supported),
 *                                     bit 3 timestamp type (0 create time, 1 log-append time),
 *                                     bit 4 transactional, bit 5 control; other bits 0, kept as read
 * 23      4     lastOffsetDelta       offset of the last record minus baseOffset
 * 27      8     baseTimestamp         timestamp of the first record
 * 35      8     maxTimestamp          greatest record timestamp, or the log-append time
 * 43      8     producerId            -1 when the producer is not idempotent
 * 51      2     producerEpoch         -1 when none
 * 53      4     baseSequence          sequence number of the first record, -1 when none
 * 57      4     recordCount           number of records that follow
 * 61      ...   records
 * </pre>
 *
 * <p><b>The CRC covers exactly the bytes from {@link #ATTRIBUTES_OFFSET} (21) to the end of the
 * batch</b>: attributes, the rest of the header and every record. It does not cover baseOffset,
 * batchLength, partitionLeaderEpoch, magic or itself, so the log can assign offsets and stamp the
 * leader epoch in place ({@link #setBaseOffset}, {@link #setPartitionLeaderEpoch}) without
 * recomputing it. {@link #LOG_OVERHEAD} (baseOffset and batchLength) is the framing every batch
 * starts with; {@link MemoryRecords} walks a run of batches by it.
 *
 * <h2>Invariants and thread safety</h2>
 *
 * The view holds a slice of exactly one batch: position 0, limit = {@link #sizeInBytes()} once
 * {@link #ensureValid()} has passed. Nothing is checked when wrapping beyond the header being
 * there; call {@link #ensureValid()} before trusting the bytes. Reads are thread-safe (absolute
 * gets and private duplicates); the setters write the shared bytes and must not race with readers.
 */
public final class RecordBatch implements Iterable<Record> {

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int BASE_OFFSET_LENGTH = 8;
    public static final int LENGTH_OFFSET = BASE_OFFSET_OFFSET + BASE_OFFSET_LENGTH;
    public static final int LENGTH_LENGTH = 4;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = LENGTH_OFFSET + LENGTH_LENGTH;
    public static final int PARTITION_LEADER_EPOCH_LENGTH = 4;
    public static final int MAGIC_OFFSET = PARTITION_LEADER_EPOCH_OFFSET + PARTITION_LEADER_EPOCH_LENGTH;
    public static final int MAGIC_LENGTH = 1;
    public static final int CRC_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
    public static final int CRC_LENGTH = 4;
    public static final int ATTRIBUTES_OFFSET = CRC_OFFSET + CRC_LENGTH;
    public static final int ATTRIBUTES_LENGTH = 2;
    public static final int LAST_OFFSET_DELTA_OFFSET = ATTRIBUTES_OFFSET + ATTRIBUTES_LENGTH;
    public static final int LAST_OFFSET_DELTA_LENGTH = 4;
    public static final int BASE_TIMESTAMP_OFFSET = LAST_OFFSET_DELTA_OFFSET + LAST_OFFSET_DELTA_LENGTH;
    public static final int BASE_TIMESTAMP_LENGTH = 8;
    public static final int MAX_TIMESTAMP_OFFSET = BASE_TIMESTAMP_OFFSET + BASE_TIMESTAMP_LENGTH;
    public static final int MAX_TIMESTAMP_LENGTH = 8;
    public static final int PRODUCER_ID_OFFSET = MAX_TIMESTAMP_OFFSET + MAX_TIMESTAMP_LENGTH;
    public static final int PRODUCER_ID_LENGTH = 8;
    public static final int PRODUCER_EPOCH_OFFSET = PRODUCER_ID_OFFSET + PRODUCER_ID_LENGTH;
    public static final int PRODUCER_EPOCH_LENGTH = 2;
    public static final int BASE_SEQUENCE_OFFSET = PRODUCER_EPOCH_OFFSET + PRODUCER_EPOCH_LENGTH;
    public static final int BASE_SEQUENCE_LENGTH = 4;
    public static final int RECORDS_COUNT_OFFSET = BASE_SEQUENCE_OFFSET + BASE_SEQUENCE_LENGTH;
    public static final int RECORDS_COUNT_LENGTH = 4;
    public static final int RECORDS_OFFSET = RECORDS_COUNT_OFFSET + RECORDS_COUNT_LENGTH;

    /** The header size: the smallest possible batch, 61 bytes. */
    public static final int RECORD_BATCH_OVERHEAD = RECORDS_OFFSET;
    /** The framing at the start of every batch: baseOffset and batchLength, 12 bytes. */
    public static final int LOG_OVERHEAD = LENGTH_OFFSET + LENGTH_LENGTH;
    /** The smallest valid batchLength field: a header and no records. */
    public static final int MIN_BATCH_LENGTH = RECORD_BATCH_OVERHEAD - LOG_OVERHEAD;

    public static final byte MAGIC = 2;
    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    static final int COMPRESSION_CODEC_MASK = 0x07;
    static final int TIMESTAMP_TYPE_MASK = 0x08;
    static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    static final int CONTROL_FLAG_MASK = 0x20;

    private final ByteBuffer buffer;

    private RecordBatch(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /**
     * A view of the batch between the buffer's position and limit, sharing its bytes. The buffer's
     * position is left alone.
     *
     * @throws CorruptRecordException if fewer than {@link #RECORD_BATCH_OVERHEAD} bytes remain
     */
    public static RecordBatch wrap(ByteBuffer buffer) {
        if (buffer.remaining() < RECORD_BATCH_OVERHEAD) {
            throw new CorruptRecordException("Record batch is corrupt: " + buffer.remaining()
                    + " bytes is smaller than the minimum batch overhead of " + RECORD_BATCH_OVERHEAD);
        }
        return new RecordBatch(buffer.slice());
    }

    public long baseOffset() {
        return buffer.getLong(BASE_OFFSET_OFFSET);
    }

    /** The offset of the last record: {@code baseOffset() + lastOffsetDelta()}. */
    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset after the last record: where the next batch starts. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(LAST_OFFSET_DELTA_OFFSET);
    }

    /** The batch's size in bytes as its length field says: {@code LOG_OVERHEAD + batchLength}. */
    public int sizeInBytes() {
        return LOG_OVERHEAD + buffer.getInt(LENGTH_OFFSET);
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buffer.get(MAGIC_OFFSET);
    }

    /** The CRC stored in the header, unsigned. */
    public long checksum() {
        return Integer.toUnsignedLong(buffer.getInt(CRC_OFFSET));
    }

    /** The CRC-32C of the bytes from {@link #ATTRIBUTES_OFFSET} to the end of the batch. */
    public long computeChecksum() {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().position(ATTRIBUTES_OFFSET));
        return crc.getValue();
    }

    /** Whether {@link #ensureValid()} would pass. */
    public boolean isValid() {
        return invalidReason() == null;
    }

    /**
     * Checks the batch as a whole without decoding its records: the size is at least the header,
     * the length field agrees with the bytes held, the magic is 2, the stored CRC matches, the
     * compression codec is none, and the record count and last offset delta fit the bytes.
     *
     * @throws CorruptRecordException naming the first check that failed and the values involved
     */
    public void ensureValid() {
        String reason = invalidReason();
        if (reason != null) {
            throw new CorruptRecordException(reason);
        }
    }

    /** Why the batch is invalid, or null when it is valid. */
    String invalidReason() {
        String reason = framingProblem();
        if (reason == null) {
            long stored = checksum();
            long computed = computeChecksum();
            if (stored != computed) {
                reason = "stored CRC " + stored + " does not match computed CRC " + computed;
            }
        }
        if (reason == null) {
            reason = contentProblem();
        }
        return reason == null ? null : "Record batch at base offset " + baseOffset() + " is corrupt: " + reason;
    }

    private String framingProblem() {
        long declaredSize = LOG_OVERHEAD + (long) buffer.getInt(LENGTH_OFFSET);
        if (declaredSize < RECORD_BATCH_OVERHEAD) {
            return "size " + declaredSize + " is smaller than the minimum batch overhead of "
                    + RECORD_BATCH_OVERHEAD;
        }
        if (declaredSize != buffer.limit()) {
            return "length field gives a size of " + declaredSize + " bytes but the batch holds "
                    + buffer.limit();
        }
        if (magic() != MAGIC) {
            return "magic " + magic() + " is not the supported magic " + MAGIC;
        }
        return null;
    }

    private String contentProblem() {
        String codecProblem = codecProblem();
        if (codecProblem != null) {
            return codecProblem;
        }
        int count = recordCount();
        int recordBytes = buffer.limit() - RECORDS_OFFSET;
        if (count < 0 || (long) count * Record.MIN_SIZE_IN_BYTES > recordBytes) {
            return "record count " + count + " does not fit in " + recordBytes + " bytes of records";
        }
        if (count == 0 && recordBytes > 0) {
            return "record count is 0 but " + recordBytes + " bytes of records follow the header";
        }
        int lastOffsetDelta = lastOffsetDelta();
        if (lastOffsetDelta < 0 || lastOffsetDelta < count - 1) {
            return "last offset delta " + lastOffsetDelta + " cannot hold " + count + " records";
        }
        return null;
    }

    private String codecProblem() {
        int codec = attributes() & COMPRESSION_CODEC_MASK;
        return codec == 0 ? null : "compression codec " + codec + " is not supported (only 0, none)";
    }

    public TimestampType timestampType() {
        return (attributes() & TIMESTAMP_TYPE_MASK) == 0 ? TimestampType.CREATE_TIME : TimestampType.LOG_APPEND_TIME;
    }

    public long baseTimestamp() {
        return buffer.getLong(BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buffer.getLong(PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(BASE_SEQUENCE_OFFSET);
    }

    public int recordCount() {
        return buffer.getInt(RECORDS_COUNT_OFFSET);
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    public boolean isControl() {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    private short attributes() {
        return buffer.getShort(ATTRIBUTES_OFFSET);
    }

    /** Sets the base offset in place. The CRC does not cover it and stays valid. */
    public void setBaseOffset(long baseOffset) {
        buffer.putLong(BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Sets the partition leader epoch in place. The CRC does not cover it and stays valid. */
    public void setPartitionLeaderEpoch(int epoch) {
        buffer.putInt(PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    /**
     * Sets the timestamp type bit and the max timestamp in place and rewrites the CRC; nothing is
     * written when both already hold. With {@link TimestampType#LOG_APPEND_TIME} every record then
     * reads {@code maxTimestamp} as its timestamp. Since the CRC is recomputed, call {@link
     * #ensureValid()} first: this would otherwise make a corrupt batch look valid.
     */
    public void setMaxTimestamp(TimestampType type, long maxTimestamp) {
        Objects.requireNonNull(type, "type");
        if (timestampType() == type && maxTimestamp() == maxTimestamp) {
            return;
        }
        int attributes = attributes() & ~TIMESTAMP_TYPE_MASK;
        if (type == TimestampType.LOG_APPEND_TIME) {
            attributes |= TIMESTAMP_TYPE_MASK;
        }
        buffer.putShort(ATTRIBUTES_OFFSET, (short) attributes);
        buffer.putLong(MAX_TIMESTAMP_OFFSET, maxTimestamp);
        writeChecksum();
    }

    /** Stores {@link #computeChecksum()} in the header. */
    void writeChecksum() {
        buffer.putInt(CRC_OFFSET, (int) computeChecksum());
    }

    /**
     * Decodes the records in order, with absolute offsets and timestamps. The CRC is not checked
     * here ({@link #ensureValid()} does that); every length is, against the batch's own bytes.
     *
     * @throws CorruptRecordException from this method or the iterator's {@code next()} when the
     *     bytes cannot be decoded: framing or magic wrong, compression not none, a malformed record,
     *     or fewer or more record bytes than {@link #recordCount()} records take
     */
    @Override
    public Iterator<Record> iterator() {
        String reason = decodingProblem();
        if (reason != null) {
            throw new CorruptRecordException("Record batch at base offset " + baseOffset()
                    + " cannot be decoded: " + reason);
        }
        return new RecordBatchIterator(this, buffer.duplicate().position(RECORDS_OFFSET));
    }

    private String decodingProblem() {
        String reason = framingProblem();
        int recordBytes = buffer.limit() - RECORDS_OFFSET;
        if (reason == null) {
            reason = codecProblem();
        }
        if (reason == null && recordCount() < 0) {
            reason = "record count " + recordCount() + " is negative";
        }
        if (reason == null && recordCount() == 0 && recordBytes > 0) {
            reason = "record count is 0 but " + recordBytes + " bytes of records follow the header";
        }
        return reason;
    }

    /** A duplicate of exactly the batch's bytes, position 0; it shares the bytes. */
    public ByteBuffer buffer() {
        return buffer.duplicate();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof RecordBatch other && buffer.equals(other.buffer);
    }

    @Override
    public int hashCode() {
        return buffer.hashCode();
    }

    @Override
    public String toString() {
        return "RecordBatch(magic=" + magic() + ", offsets=[" + baseOffset() + ", " + lastOffset()
                + "], records=" + recordCount() + ", size=" + buffer.limit() + ", timestampType="
                + timestampType() + ", maxTimestamp=" + maxTimestamp() + ", producerId=" + producerId()
                + ", crc=" + checksum() + ")";
    }
}
