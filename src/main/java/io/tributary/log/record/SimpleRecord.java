package io.tributary.log.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record's content before it is encoded: what {@link RecordBatchBuilder#withRecords(long,
 * SimpleRecord...)} takes. Arrays are not copied. Equality, hash code and string form go by array
 * contents.
 *
 * @param timestamp the record's create time, in milliseconds since the epoch
 * @param key the key, or null
 * @param value the value, or null for a tombstone
 * @param headers the headers; null is taken as none
 */
public record SimpleRecord(long timestamp, byte[] key, byte[] value, Header[] headers) {

    public SimpleRecord {
        headers = headers == null ? Header.EMPTY : headers;
    }

    /** A record of UTF-8 key and value (either may be null) stamped with the current time. */
    public static SimpleRecord of(String key, String value) {
        return new SimpleRecord(System.currentTimeMillis(), utf8(key), utf8(value), Header.EMPTY);
    }

    /** A record without headers. */
    public static SimpleRecord of(long timestamp, byte[] key, byte[] value) {
        return new SimpleRecord(timestamp, key, value, Header.EMPTY);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return this == o
                || o instanceof SimpleRecord other
                        && timestamp == other.timestamp
                        && Arrays.equals(key, other.key)
                        && Arrays.equals(value, other.value)
                        && Arrays.equals(headers, other.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, Arrays.hashCode(key), Arrays.hashCode(value), Arrays.hashCode(headers));
    }

    @Override
    public String toString() {
        return "SimpleRecord(timestamp=" + timestamp + ", key=" + Arrays.toString(key) + ", value="
                + Arrays.toString(value) + ", headers=" + Arrays.toString(headers) + ")";
    }
}
