package io.tributary.log.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record header: a non-null key, written as UTF-8, and a value that may be null.
 *
 * <p>The value array is neither copied in nor out: a header is as immutable as its caller keeps the
 * array. Equality, hash code and string form go by the array's contents.
 *
 * @param key the header key, never null
 * @param value the header value, or null
 */
public record Header(String key, byte[] value) {

    /** An empty header array, shared. */
    public static final Header[] EMPTY = new Header[0];

    public Header {
        Objects.requireNonNull(key, "header key");
    }

    /** A header whose value is {@code value} encoded as UTF-8, or null when {@code value} is null. */
    public static Header of(String key, String value) {
        return new Header(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** The value decoded as UTF-8, or null when the value is null. */
    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return this == o
                || o instanceof Header other && key.equals(other.key) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header[key=" + key + ", value=" + Arrays.toString(value) + "]";
    }
}
