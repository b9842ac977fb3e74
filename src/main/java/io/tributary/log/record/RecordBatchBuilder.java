package io.tributary.log.record;

import static io.tributary.log.record.RecordBatch.ATTRIBUTES_OFFSET;
import static io.tributary.log.record.RecordBatch.BASE_OFFSET_OFFSET;
import static io.tributary.log.record.RecordBatch.BASE_SEQUENCE_OFFSET;
import static io.tributary.log.record.RecordBatch.BASE_TIMESTAMP_OFFSET;
import static io.tributary.log.record.RecordBatch.LAST_OFFSET_DELTA_OFFSET;
import static io.tributary.log.record.RecordBatch.LENGTH_OFFSET;
import static io.tributary.log.record.RecordBatch.LOG_OVERHEAD;
import static io.tributary.log.record.RecordBatch.MAGIC;
import static io.tributary.log.record.RecordBatch.MAGIC_OFFSET;
import static io.tributary.log.record.RecordBatch.MAX_TIMESTAMP_OFFSET;
import static io.tributary.log.record.RecordBatch.NO_TIMESTAMP;
import static io.tributary.log.record.RecordBatch.PARTITION_LEADER_EPOCH_OFFSET;
import static io.tributary.log.record.RecordBatch.PRODUCER_EPOCH_OFFSET;
import static io.tributary.log.record.RecordBatch.PRODUCER_ID_OFFSET;
import static io.tributary.log.record.RecordBatch.RECORDS_COUNT_OFFSET;
import static io.tributary.log.record.RecordBatch.RECORD_BATCH_OVERHEAD;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Encodes one {@link RecordBatch}, uncompressed, in the layout {@link RecordBatch} and {@link
 * Record} document. Records are written straight into one growing heap buffer as they are
 * appended (the header is reserved and filled in by {@link #build()}), so building costs one copy
 * of each key and value plus the occasional doubling of the buffer.
 *
 * <p>Offsets: {@code append} gives each record the offset after the previous one (the base offset
 * for the first), so a batch built with it alone is dense and lastOffsetDelta is {@code numRecords()
 * - 1}. {@code appendWithOffset} takes the offset from the caller instead, as compaction needs to
 * keep a record's original offset: any offset from the base offset up, strictly above the previous
 * record's, within {@code Integer.MAX_VALUE} of the base, leaving gaps where records were removed.
 * Either way each record's offset delta is {@code offset - baseOffset} and lastOffsetDelta is the
 * last record's delta. The base timestamp is the first record's timestamp and the max timestamp the
 * greatest appended one; later records may be older than the first (their delta is negative).
 * Under {@link TimestampType#LOG_APPEND_TIME} readers see the max timestamp as every record's
 * timestamp, so append with the append time or call {@link RecordBatch#setMaxTimestamp} after.
 *
 * <p>Not thread-safe: one builder per request. After {@link #build()} it takes no more records.
 */
public final class RecordBatchBuilder {

    private static final int DEFAULT_INITIAL_CAPACITY = 1024;
    /** The largest array the JVM reliably allocates. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private final long baseOffset;
    private final TimestampType timestampType;
    private final long producerId;
    private final short producerEpoch;
    private final int baseSequence;
    private final int partitionLeaderEpoch;

    private ByteBuffer buffer;
    private int numRecords;
    private int lastOffsetDelta = -1;
    private long baseTimestamp = NO_TIMESTAMP;
    private long maxTimestamp = NO_TIMESTAMP;
    private MemoryRecords built;

    public RecordBatchBuilder(long baseOffset, TimestampType timestampType, long producerId,
            short producerEpoch, int baseSequence, int partitionLeaderEpoch) {
        this(baseOffset, timestampType, producerId, producerEpoch, baseSequence, partitionLeaderEpoch,
                DEFAULT_INITIAL_CAPACITY);
    }

    /**
     * As the six-argument constructor, with a first buffer of {@code initialCapacity} bytes (at
     * least the batch header): size it from the request to avoid regrowing.
     */
    public RecordBatchBuilder(long baseOffset, TimestampType timestampType, long producerId,
            short producerEpoch, int baseSequence, int partitionLeaderEpoch, int initialCapacity) {
        this.baseOffset = baseOffset;
        this.timestampType = Objects.requireNonNull(timestampType, "timestampType");
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        this.partitionLeaderEpoch = partitionLeaderEpoch;
        this.buffer = ByteBuffer.allocate(Math.max(initialCapacity, RECORD_BATCH_OVERHEAD));
        this.buffer.position(RECORD_BATCH_OVERHEAD);
    }

    /** A builder for a batch under create time, with no producer id, epoch, sequence or leader epoch. */
    public static RecordBatchBuilder create(long baseOffset) {
        return new RecordBatchBuilder(baseOffset, TimestampType.CREATE_TIME, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, RecordBatch.NO_PARTITION_LEADER_EPOCH);
    }

    /**
     * One batch at {@code baseOffset} holding {@code records} in order, under create time with no
     * producer information; {@link MemoryRecords#EMPTY} when there are no records.
     */
    public static MemoryRecords withRecords(long baseOffset, SimpleRecord... records) {
        if (records.length == 0) {
            return MemoryRecords.EMPTY;
        }
        RecordBatchBuilder builder = create(baseOffset);
        for (SimpleRecord record : records) {
            builder.append(record.timestamp(), record.key(), record.value(), record.headers());
        }
        return builder.build();
    }

    /** Appends a record without headers. */
    public void append(long timestamp, byte[] key, byte[] value) {
        append(timestamp, key, value, Header.EMPTY);
    }

    /**
     * Appends a record; null key, null value and null headers are allowed. The arrays are copied
     * into the batch.
     *
     * @throws IllegalArgumentException if the timestamp is negative but not {@link
     *     RecordBatch#NO_TIMESTAMP}, or the batch would outgrow 2 GiB
     * @throws IllegalStateException after {@link #build()}
     */
    public void append(long timestamp, byte[] key, byte[] value, Header[] headers) {
        appendWithDelta(nextOffsetDelta(), timestamp, key, value, headers);
    }

    /**
     * Appends a record at {@code offset} rather than the next one: its offset delta is {@code
     * offset - baseOffset}. Nulls are allowed as in {@link #append(long, byte[], byte[], Header[])}.
     *
     * @throws IllegalArgumentException if {@code offset} is below the base offset, not above the
     *     previous record's offset, or more than {@code Integer.MAX_VALUE} above the base offset;
     *     or as {@link #append(long, byte[], byte[], Header[])}
     * @throws IllegalStateException after {@link #build()}
     */
    public void appendWithOffset(long offset, long timestamp, byte[] key, byte[] value, Header[] headers) {
        appendWithDelta(offsetDelta(offset), timestamp, key, value, headers);
    }

    private void appendWithDelta(int offsetDelta, long timestamp, byte[] key, byte[] value, Header[] headers) {
        Header[] hs = headers == null ? Header.EMPTY : headers;
        long timestampDelta = checkAppendable(timestamp);
        int bodySize = bodySize(offsetDelta, timestampDelta, key == null ? -1 : key.length,
                value == null ? -1 : value.length, hs);
        ensureRoom(ByteUtils.sizeOfVarint(bodySize) + (long) bodySize);
        writeRecordStart(bodySize, timestampDelta, offsetDelta);
        writeField(key);
        writeField(value);
        writeHeaders(hs);
        recordAppended(timestamp, offsetDelta);
    }

    /**
     * Appends a record whose key and value are the remaining bytes of the given buffers (either may
     * be null), copied into the batch; the buffers' positions do not move.
     *
     * @throws IllegalArgumentException as {@link #append(long, byte[], byte[], Header[])}
     * @throws IllegalStateException after {@link #build()}
     */
    public void append(long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {
        appendWithDelta(nextOffsetDelta(), timestamp, key, value, headers);
    }

    /**
     * Appends a record at {@code offset}, as {@link #appendWithOffset(long, long, byte[], byte[],
     * Header[])}, taking key and value from the buffers as {@link #append(long, ByteBuffer,
     * ByteBuffer, Header[])} does: a compacted batch is rebuilt from decoded records this way
     * without copying their keys and values first.
     *
     * @throws IllegalArgumentException as {@link #appendWithOffset(long, long, byte[], byte[], Header[])}
     * @throws IllegalStateException after {@link #build()}
     */
    public void appendWithOffset(long offset, long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {
        appendWithDelta(offsetDelta(offset), timestamp, key, value, headers);
    }

    private void appendWithDelta(int offsetDelta, long timestamp, ByteBuffer key, ByteBuffer value,
            Header[] headers) {
        Header[] hs = headers == null ? Header.EMPTY : headers;
        long timestampDelta = checkAppendable(timestamp);
        int bodySize = bodySize(offsetDelta, timestampDelta, key == null ? -1 : key.remaining(),
                value == null ? -1 : value.remaining(), hs);
        ensureRoom(ByteUtils.sizeOfVarint(bodySize) + (long) bodySize);
        writeRecordStart(bodySize, timestampDelta, offsetDelta);
        writeField(key);
        writeField(value);
        writeHeaders(hs);
        recordAppended(timestamp, offsetDelta);
    }

    /** The number of records appended so far. */
    public int numRecords() {
        return numRecords;
    }

    /** The size the batch has if built now, header included: exact, not an estimate. */
    public int estimatedSizeInBytes() {
        return built != null ? built.sizeInBytes() : buffer.position();
    }

    /**
     * Writes the header and CRC and returns the batch. Calling it again returns the same batch.
     *
     * @throws IllegalStateException if no record was appended
     */
    public MemoryRecords build() {
        if (built != null) {
            return built;
        }
        if (numRecords == 0) {
            throw new IllegalStateException("Cannot build a record batch with no records");
        }
        int size = buffer.position();
        buffer.putLong(BASE_OFFSET_OFFSET, baseOffset)
                .putInt(LENGTH_OFFSET, size - LOG_OVERHEAD)
                .putInt(PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch)
                .put(MAGIC_OFFSET, MAGIC)
                .putShort(ATTRIBUTES_OFFSET, attributes())
                .putInt(LAST_OFFSET_DELTA_OFFSET, lastOffsetDelta)
                .putLong(BASE_TIMESTAMP_OFFSET, baseTimestamp)
                .putLong(MAX_TIMESTAMP_OFFSET, maxTimestamp)
                .putLong(PRODUCER_ID_OFFSET, producerId)
                .putShort(PRODUCER_EPOCH_OFFSET, producerEpoch)
                .putInt(BASE_SEQUENCE_OFFSET, baseSequence)
                .putInt(RECORDS_COUNT_OFFSET, numRecords);
        ByteBuffer bytes = buffer.flip();
        RecordBatch.wrap(bytes).writeChecksum();
        built = MemoryRecords.readableRecords(bytes);
        buffer = null;
        return built;
    }

    private short attributes() {
        return (short) (timestampType == TimestampType.LOG_APPEND_TIME ? RecordBatch.TIMESTAMP_TYPE_MASK : 0);
    }

    /** The offset delta {@code append} uses: one past the last record's. */
    private int nextOffsetDelta() {
        checkNotBuilt();
        if (lastOffsetDelta == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("A record batch holds at most " + Integer.MAX_VALUE
                    + " offsets after its base offset");
        }
        return lastOffsetDelta + 1;
    }

    /** Checks an explicit offset against the base offset and the previous record's; returns its delta. */
    private int offsetDelta(long offset) {
        checkNotBuilt();
        if (offset < baseOffset) {
            throw new IllegalArgumentException("Offset " + offset + " is below the base offset " + baseOffset);
        }
        if (offset - baseOffset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Offset " + offset + " is more than " + Integer.MAX_VALUE
                    + " above the base offset " + baseOffset);
        }
        int delta = (int) (offset - baseOffset);
        if (delta <= lastOffsetDelta) {
            throw new IllegalArgumentException("Offset " + offset + " is not above the previous record's offset "
                    + (baseOffset + lastOffsetDelta));
        }
        return delta;
    }

    private void checkNotBuilt() {
        if (built != null) {
            throw new IllegalStateException("The record batch is already built");
        }
    }

    /** Checks the builder and timestamp; returns the record's timestamp delta. */
    private long checkAppendable(long timestamp) {
        checkNotBuilt();
        if (timestamp < 0 && timestamp != NO_TIMESTAMP) {
            throw new IllegalArgumentException("Invalid negative timestamp " + timestamp);
        }
        return numRecords == 0 ? 0L : timestamp - baseTimestamp;
    }

    private int bodySize(int offsetDelta, long timestampDelta, int keySize, int valueSize, Header[] headers) {
        long size = 1 // attributes
                + ByteUtils.sizeOfVarlong(timestampDelta)
                + ByteUtils.sizeOfVarint(offsetDelta)
                + sizeOfField(keySize)
                + sizeOfField(valueSize)
                + ByteUtils.sizeOfVarint(headers.length);
        for (Header header : headers) {
            int keyLength = ByteUtils.utf8Length(header.key());
            size += ByteUtils.sizeOfVarint(keyLength) + keyLength;
            size += sizeOfField(header.value() == null ? -1 : header.value().length);
        }
        if (size > MAX_CAPACITY) {
            throw new IllegalArgumentException("Record of " + size + " bytes is too large for a batch");
        }
        return (int) size;
    }

    private static long sizeOfField(int size) {
        return size < 0 ? 1 : ByteUtils.sizeOfVarint(size) + (long) size;
    }

    private void ensureRoom(long recordSize) {
        if (recordSize <= buffer.remaining()) {
            return;
        }
        long required = buffer.position() + recordSize;
        if (required > MAX_CAPACITY) {
            throw new IllegalArgumentException("Record batch would grow to " + required + " bytes, over "
                    + MAX_CAPACITY);
        }
        int capacity = (int) Math.max(required, Math.min(2L * buffer.capacity(), MAX_CAPACITY));
        ByteBuffer grown = ByteBuffer.allocate(capacity);
        grown.put(buffer.flip());
        buffer = grown;
    }

    private void writeRecordStart(int bodySize, long timestampDelta, int offsetDelta) {
        ByteUtils.writeVarint(bodySize, buffer);
        buffer.put((byte) 0); // record attributes: none defined
        ByteUtils.writeVarlong(timestampDelta, buffer);
        ByteUtils.writeVarint(offsetDelta, buffer);
    }

    private void writeField(byte[] bytes) {
        if (bytes == null) {
            ByteUtils.writeVarint(-1, buffer);
        } else {
            ByteUtils.writeVarint(bytes.length, buffer);
            buffer.put(bytes);
        }
    }

    private void writeField(ByteBuffer bytes) {
        if (bytes == null) {
            ByteUtils.writeVarint(-1, buffer);
        } else {
            ByteUtils.writeVarint(bytes.remaining(), buffer);
            buffer.put(bytes.duplicate());
        }
    }

    private void writeHeaders(Header[] headers) {
        ByteUtils.writeVarint(headers.length, buffer);
        for (Header header : headers) {
            ByteUtils.writeVarint(ByteUtils.utf8Length(header.key()), buffer);
            ByteUtils.writeUtf8(header.key(), buffer);
            writeField(header.value());
        }
    }

    private void recordAppended(long timestamp, int offsetDelta) {
        if (numRecords == 0) {
            baseTimestamp = timestamp;
        }
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        lastOffsetDelta = offsetDelta;
        numRecords++;
    }
}
