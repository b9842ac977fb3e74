package io.tributary.api.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes JSON text straight into a growable byte array: the hot path of streaming records out,
 * with no tree and no intermediate strings. The caller writes the punctuation; this class writes
 * the values, and guarantees that what it writes is valid JSON in valid UTF-8 whatever the input
 * bytes are:
 * <ul>
 *   <li>{@link #utf8String} escapes what JSON requires and replaces each byte that is not part of
 *       a valid UTF-8 sequence with U+FFFD, as {@code new String(bytes, UTF_8)} would;</li>
 *   <li>{@link #jsonValue} copies stored bytes as they are when they are one valid JSON text (checked
 *       by {@link JsonValidator}: values produced as JSON are stored as the text the producer sent),
 *       and writes them as a string otherwise, so a value produced as a string or as base64 never
 *       breaks a frame.</li>
 * </ul>
 *
 * <p>The array is reused across frames: {@link #reset()} before each, {@link #trim(int)} to give
 * memory back when idle. Not thread-safe; owned by one stream at a time.
 */
public final class JsonByteWriter {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    private byte[] buf;
    private int size;
    private byte[] scratch = new byte[256];

    public JsonByteWriter(int initialCapacity) {
        this.buf = new byte[Math.max(64, initialCapacity)];
    }

    /** Bytes written since the last {@link #reset()}. */
    public int size() {
        return size;
    }

    /** The backing array; valid up to {@link #size()} until the next write. */
    public byte[] array() {
        return buf;
    }

    public void reset() {
        size = 0;
    }

    /** Drops everything written after {@code newSize}. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("Cannot truncate " + size + " bytes to " + newSize);
        }
        size = newSize;
    }

    /** Lets a large array go after a burst, so an idle stream holds little memory. */
    public void trim(int maxCapacity) {
        if (buf.length > maxCapacity && size <= maxCapacity) {
            buf = Arrays.copyOf(buf, Math.max(64, maxCapacity));
        }
        if (scratch.length > maxCapacity) {
            scratch = new byte[256];
        }
    }

    /** A copy of what was written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Replaces every {@code from} byte written at or after {@code start} with {@code to}. */
    public void replace(int start, byte from, byte to) {
        for (int i = start; i < size; i++) {
            if (buf[i] == from) {
                buf[i] = to;
            }
        }
    }

    public JsonByteWriter raw(byte b) {
        ensure(1);
        buf[size++] = b;
        return this;
    }

    /** Bytes that are already JSON (punctuation, pre-encoded names). */
    public JsonByteWriter raw(byte[] bytes) {
        return raw(bytes, 0, bytes.length);
    }

    public JsonByteWriter raw(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, size, length);
        size += length;
        return this;
    }

    /** Text known to be ASCII and to need no escaping (field names, keywords). */
    public JsonByteWriter ascii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) text.charAt(i);
        }
        return this;
    }

    public JsonByteWriter nullValue() {
        return raw(NULL);
    }

    public JsonByteWriter number(long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                return ascii(Long.toString(value));
            }
            raw((byte) '-');
            value = -value;
        }
        int digits = digits(value);
        ensure(digits);
        int p = size + digits;
        while (value >= 100) {
            int pair = (int) (value % 100) * 2;
            value /= 100;
            buf[--p] = DIGIT_PAIRS[pair + 1];
            buf[--p] = DIGIT_PAIRS[pair];
        }
        if (value >= 10) {
            int pair = (int) value * 2;
            buf[--p] = DIGIT_PAIRS[pair + 1];
            buf[--p] = DIGIT_PAIRS[pair];
        } else {
            buf[--p] = (byte) ('0' + value);
        }
        size += digits;
        return this;
    }

    private static final byte[] DIGIT_PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** Decimal digits of a non-negative value. */
    static int digits(long value) {
        int digits = 1;
        long bound = 10;
        while (digits < 19 && value >= bound) {
            digits++;
            bound *= 10;
        }
        return digits;
    }

    /** A JSON string of {@code text}, or null. */
    public JsonByteWriter string(String text) {
        if (text == null) {
            return nullValue();
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return escaped(utf8, 0, utf8.length);
    }

    /** A JSON string of the UTF-8 text in {@code bytes} (from its position), or null. Not moved. */
    public JsonByteWriter utf8String(ByteBuffer bytes) {
        if (bytes == null) {
            return nullValue();
        }
        int n = bytes.remaining();
        byte[] src = scratch(n);
        bytes.get(bytes.position(), src, 0, n);
        return escaped(src, 0, n);
    }

    /** A JSON string of {@code bytes} in base64 (RFC 4648, padded), or null. Not moved. */
    public JsonByteWriter base64(ByteBuffer bytes) {
        if (bytes == null) {
            return nullValue();
        }
        int n = bytes.remaining();
        byte[] src = scratch(n);
        bytes.get(bytes.position(), src, 0, n);
        ensure(2 + (n + 2) / 3 * 4);
        buf[size++] = '"';
        int i = 0;
        for (; i + 3 <= n; i += 3) {
            int bits = (src[i] & 0xFF) << 16 | (src[i + 1] & 0xFF) << 8 | (src[i + 2] & 0xFF);
            buf[size++] = BASE64[bits >>> 18];
            buf[size++] = BASE64[bits >>> 12 & 0x3F];
            buf[size++] = BASE64[bits >>> 6 & 0x3F];
            buf[size++] = BASE64[bits & 0x3F];
        }
        if (i < n) {
            int bits = (src[i] & 0xFF) << 16 | (i + 1 < n ? (src[i + 1] & 0xFF) << 8 : 0);
            buf[size++] = BASE64[bits >>> 18];
            buf[size++] = BASE64[bits >>> 12 & 0x3F];
            buf[size++] = i + 1 < n ? BASE64[bits >>> 6 & 0x3F] : (byte) '=';
            buf[size++] = '=';
        }
        buf[size++] = '"';
        return this;
    }

    /**
     * {@code bytes} as they are when they hold one valid JSON text, as a string otherwise; null for
     * null. Not moved.
     */
    public JsonByteWriter jsonValue(ByteBuffer bytes) {
        if (bytes == null) {
            return nullValue();
        }
        int n = bytes.remaining();
        ensure(n);
        int start = size;
        bytes.get(bytes.position(), buf, start, n);
        if (JsonValidator.isValid(buf, start, start + n)) {
            size += n;
            return this;
        }
        byte[] src = scratch(n);
        System.arraycopy(buf, start, src, 0, n);
        return escaped(src, 0, n);
    }

    /** A key or value in the given format. */
    public JsonByteWriter formatted(ByteBuffer bytes, RecordFormat format) {
        return switch (format) {
            case JSON -> jsonValue(bytes);
            case STRING -> utf8String(bytes);
            case BASE64 -> base64(bytes);
        };
    }

    private JsonByteWriter escaped(byte[] src, int from, int to) {
        ensure(to - from + 2);
        buf[size++] = '"';
        int p = from;
        while (p < to) {
            int start = p;
            p = PlainText.runEnd(src, p, to);
            if (p > start) {
                raw(src, start, p - start);
            }
            if (p >= to) {
                break;
            }
            byte c = src[p];
            if (c < 0) {
                int end = Utf8.sequenceEnd(src, p, to);
                if (end < 0) {
                    raw(REPLACEMENT);
                    p++;
                } else {
                    raw(src, p, end - p);
                    p = end;
                }
            } else {
                escapeAscii(c);
                p++;
            }
        }
        raw((byte) '"');
        return this;
    }

    private void escapeAscii(byte c) {
        ensure(6);
        buf[size++] = '\\';
        switch (c) {
            case '"' -> buf[size++] = '"';
            case '\\' -> buf[size++] = '\\';
            case '\n' -> buf[size++] = 'n';
            case '\r' -> buf[size++] = 'r';
            case '\t' -> buf[size++] = 't';
            case '\b' -> buf[size++] = 'b';
            case '\f' -> buf[size++] = 'f';
            default -> {
                buf[size++] = 'u';
                buf[size++] = '0';
                buf[size++] = '0';
                buf[size++] = HEX[c >> 4];
                buf[size++] = HEX[c & 0xF];
            }
        }
    }

    private byte[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        return scratch;
    }

    private void ensure(int more) {
        int needed = size + more;
        if (needed > buf.length) {
            if (needed < 0) {
                throw new IllegalStateException("A JSON frame cannot exceed 2 GiB");
            }
            buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
        }
    }
}
