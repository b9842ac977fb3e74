package io.tributary.log.record;

import io.tributary.common.CorruptRecordException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record decoded from a {@link RecordBatch}: its absolute offset and timestamp, its key, value
 * and headers. Key and value are read-only views of the batch's own bytes, not copies, so a record
 * is only as stable as the buffer under its batch; {@link #keyBytes()} and {@link #valueBytes()}
 * copy.
 *
 * <h2>Layout</h2>
 *
 * Records follow the batch header back to back. All lengths are zigzag varints ({@link ByteUtils}):
 *
 * <pre>
 * field            type       meaning
 * length           varint     bytes of the record after this field (the body)
 * attributes       int8       unused, written as 0
 * timestampDelta   varlong    timestamp - the batch's base timestamp
 * offsetDelta      varint     offset - the batch's base offset
 * keyLength        varint     -1 for a null key
 * key              bytes
 * valueLength      varint     -1 for a null value (a tombstone)
 * value            bytes
 * headerCount      varint
 * headers          [headerKeyLength varint, headerKey UTF-8, headerValueLength varint (-1 null),
 *                   headerValue bytes] * headerCount
 * </pre>
 *
 * <p>Decoding checks every length against the bytes the record declared, and that the body is
 * consumed exactly; anything else is a {@link CorruptRecordException}. Immutable and thread-safe as
 * long as the underlying bytes do not change.
 */
public final class Record {

    /** The smallest body: attributes and five one-byte varints. */
    static final int MIN_BODY_SIZE = 6;

    /** The smallest whole record: a one-byte length and the smallest body. */
    static final int MIN_SIZE_IN_BYTES = 1 + MIN_BODY_SIZE;

    private final long offset;
    private final long timestamp;
    private final ByteBuffer key;
    private final ByteBuffer value;
    private final Header[] headers;
    private final int sizeInBytes;

    private Record(long offset, long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers,
            int sizeInBytes) {
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
        this.headers = headers;
        this.sizeInBytes = sizeInBytes;
    }

    /**
     * Decodes the record at the buffer's position and leaves the position after it. The returned
     * key and value share the buffer's bytes.
     *
     * @param logAppendTime the batch's max timestamp when its timestamp type is log-append time, to
     *     stand for every record's timestamp; {@code null} under create time
     * @throws CorruptRecordException if the bytes there are not a well-formed record that ends
     *     before the buffer's limit
     */
    static Record readFrom(ByteBuffer buffer, long baseOffset, long baseTimestamp, Long logAppendTime) {
        int start = buffer.position();
        int bodySize = ByteUtils.readVarint(buffer);
        if (bodySize < MIN_BODY_SIZE) {
            throw new CorruptRecordException("Record length " + bodySize + " is smaller than the minimum "
                    + MIN_BODY_SIZE);
        }
        if (bodySize > buffer.remaining()) {
            throw new CorruptRecordException("Record length " + bodySize + " exceeds the "
                    + buffer.remaining() + " bytes left in its batch");
        }
        int bodyStart = buffer.position();
        int bodyEnd = bodyStart + bodySize;
        int limit = buffer.limit();
        buffer.limit(bodyEnd); // every read below is bounded by the record's own length
        try {
            buffer.get(); // attributes: none defined for records
            long timestampDelta = ByteUtils.readVarlong(buffer);
            int offsetDelta = ByteUtils.readVarint(buffer);
            ByteBuffer key = readBytes(buffer, "key");
            ByteBuffer value = readBytes(buffer, "value");
            Header[] headers = readHeaders(buffer);
            if (buffer.hasRemaining()) {
                throw new CorruptRecordException("Record length " + bodySize + " but its fields end after "
                        + (buffer.position() - bodyStart) + " bytes");
            }
            long timestamp = logAppendTime != null ? logAppendTime : baseTimestamp + timestampDelta;
            return new Record(baseOffset + offsetDelta, timestamp, key, value, headers, bodyEnd - start);
        } finally {
            buffer.limit(limit);
        }
    }

    private static ByteBuffer readBytes(ByteBuffer buffer, String field) {
        int size = ByteUtils.readVarint(buffer);
        if (size == -1) {
            return null;
        }
        checkLength(size, buffer, field);
        ByteBuffer bytes = buffer.slice(buffer.position(), size);
        buffer.position(buffer.position() + size);
        return bytes;
    }

    private static Header[] readHeaders(ByteBuffer buffer) {
        int count = ByteUtils.readVarint(buffer);
        if (count == 0) {
            return Header.EMPTY;
        }
        // Each header takes at least two bytes (its two lengths): bound the count before allocating.
        if (count < 0 || count > buffer.remaining() / 2) {
            throw new CorruptRecordException("Record header count " + count + " does not fit in the "
                    + buffer.remaining() + " bytes left in the record");
        }
        Header[] headers = new Header[count];
        for (int i = 0; i < count; i++) {
            int keySize = ByteUtils.readVarint(buffer);
            checkLength(keySize, buffer, "header key");
            String key = readUtf8(buffer, keySize);
            int valueSize = ByteUtils.readVarint(buffer);
            byte[] value = null;
            if (valueSize != -1) {
                checkLength(valueSize, buffer, "header value");
                value = new byte[valueSize];
                buffer.get(value);
            }
            headers[i] = new Header(key, value);
        }
        return headers;
    }

    private static void checkLength(int size, ByteBuffer buffer, String field) {
        if (size < 0 || size > buffer.remaining()) {
            throw new CorruptRecordException("Record " + field + " length " + size + " is invalid with "
                    + buffer.remaining() + " bytes left in the record");
        }
    }

    private static String readUtf8(ByteBuffer buffer, int size) {
        String s;
        if (buffer.hasArray()) {
            s = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), size,
                    StandardCharsets.UTF_8);
            buffer.position(buffer.position() + size);
        } else {
            byte[] bytes = new byte[size];
            buffer.get(bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        return s;
    }

    /** The record's absolute offset: the batch's base offset plus the record's offset delta. */
    public long offset() {
        return offset;
    }

    /**
     * The record's timestamp: the batch's base timestamp plus the record's delta under create time,
     * the batch's max timestamp under log-append time.
     */
    public long timestamp() {
        return timestamp;
    }

    /** Whether the key is present (not null). */
    public boolean hasKey() {
        return key != null;
    }

    /** Whether the value is present; a record without one is a tombstone. */
    public boolean hasValue() {
        return value != null;
    }

    /** The key's size in bytes, or -1 when it is null. */
    public int keySize() {
        return key == null ? -1 : key.remaining();
    }

    /** The value's size in bytes, or -1 when it is null. */
    public int valueSize() {
        return value == null ? -1 : value.remaining();
    }

    /** A fresh read-only view of the key's bytes in the batch (position 0), or null. No copy. */
    public ByteBuffer key() {
        return key == null ? null : key.asReadOnlyBuffer();
    }

    /** A fresh read-only view of the value's bytes in the batch (position 0), or null. No copy. */
    public ByteBuffer value() {
        return value == null ? null : value.asReadOnlyBuffer();
    }

    /** A copy of the key, or null. */
    public byte[] keyBytes() {
        return copy(key);
    }

    /** A copy of the value, or null. */
    public byte[] valueBytes() {
        return copy(value);
    }

    private static byte[] copy(ByteBuffer bytes) {
        if (bytes == null) {
            return null;
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(0, copy);
        return copy;
    }

    /** The headers in the order they were written; an empty array when there are none. */
    public Header[] headers() {
        return headers.length == 0 ? headers : headers.clone();
    }

    /** The bytes this record takes in its batch, its length field included. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    @Override
    public boolean equals(Object o) {
        return this == o
                || o instanceof Record other
                        && offset == other.offset
                        && timestamp == other.timestamp
                        && Objects.equals(key, other.key)
                        && Objects.equals(value, other.value)
                        && Arrays.equals(headers, other.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(offset, timestamp, key, value, Arrays.hashCode(headers));
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset + ", timestamp=" + timestamp + ", keySize=" + keySize()
                + ", valueSize=" + valueSize() + ", headers=" + headers.length + ")";
    }
}
