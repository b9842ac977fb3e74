package io.tributary.log.record;

import io.tributary.common.CorruptRecordException;
import java.nio.ByteBuffer;

/**
 * The variable-length integer encodings of the record format, identical to Kafka's {@code
 * ByteUtils}: a signed value is zigzag-mapped ({@code (n << 1) ^ (n >> 31)}, so small magnitudes of
 * either sign stay small) and then written seven bits at a time, least significant group first,
 * with the high bit of each byte set while more bytes follow. A varint takes 1 to 5 bytes, a
 * varlong 1 to 10. For example 300 is {@code 0xD8 0x04} and -1 is {@code 0x01}.
 *
 * <p>Readers advance the buffer's position and report a varint that runs past the buffer's limit
 * or past its maximum length as {@link CorruptRecordException}, never as a buffer underflow.
 * Writers advance the position and assume the caller made room ({@link #sizeOfVarint(int)}).
 *
 * <p>Also here: the UTF-8 length and encoding of header keys without an intermediate array.
 * Stateless and thread-safe.
 */
public final class ByteUtils {

    private static final int MAX_VARINT_SHIFT = 28;
    private static final int MAX_VARLONG_SHIFT = 63;

    private ByteUtils() {
    }

    /**
     * Reads a zigzag varint at the buffer's position.
     *
     * @throws CorruptRecordException if the buffer ends inside the varint or it is longer than 5
     *     bytes
     */
    public static int readVarint(ByteBuffer buffer) {
        int raw = 0;
        for (int shift = 0; shift <= MAX_VARINT_SHIFT; shift += 7) {
            if (!buffer.hasRemaining()) {
                throw new CorruptRecordException("Varint runs past the end of its buffer");
            }
            int b = buffer.get();
            raw |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new CorruptRecordException("Varint is longer than the maximum of 5 bytes");
    }

    /**
     * Reads a zigzag varlong at the buffer's position.
     *
     * @throws CorruptRecordException if the buffer ends inside the varlong or it is longer than 10
     *     bytes
     */
    public static long readVarlong(ByteBuffer buffer) {
        long raw = 0L;
        for (int shift = 0; shift <= MAX_VARLONG_SHIFT; shift += 7) {
            if (!buffer.hasRemaining()) {
                throw new CorruptRecordException("Varlong runs past the end of its buffer");
            }
            long b = buffer.get();
            raw |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new CorruptRecordException("Varlong is longer than the maximum of 10 bytes");
    }

    /** Writes {@code value} as a zigzag varint at the buffer's position. */
    public static void writeVarint(int value, ByteBuffer buffer) {
        int raw = (value << 1) ^ (value >> 31);
        while ((raw & 0xffffff80) != 0) {
            buffer.put((byte) ((raw & 0x7f) | 0x80));
            raw >>>= 7;
        }
        buffer.put((byte) raw);
    }

    /** Writes {@code value} as a zigzag varlong at the buffer's position. */
    public static void writeVarlong(long value, ByteBuffer buffer) {
        long raw = (value << 1) ^ (value >> 63);
        while ((raw & 0xffffffffffffff80L) != 0L) {
            buffer.put((byte) ((raw & 0x7f) | 0x80));
            raw >>>= 7;
        }
        buffer.put((byte) raw);
    }

    /** The number of bytes {@link #writeVarint(int, ByteBuffer)} writes for {@code value}: 1 to 5. */
    public static int sizeOfVarint(int value) {
        int raw = (value << 1) ^ (value >> 31);
        int leadingZeros = Integer.numberOfLeadingZeros(raw);
        // ceil((32 - leadingZeros) / 7), at least 1; the multiply-shift divides by 7.
        return (((38 - leadingZeros) * 0b10010010010010011) >>> 19) + (leadingZeros >>> 5);
    }

    /** The number of bytes {@link #writeVarlong(long, ByteBuffer)} writes for {@code value}: 1 to 10. */
    public static int sizeOfVarlong(long value) {
        long raw = (value << 1) ^ (value >> 63);
        int leadingZeros = Long.numberOfLeadingZeros(raw);
        return (((70 - leadingZeros) * 0b10010010010010011) >>> 19) + (leadingZeros >>> 6);
    }

    /**
     * The length of {@code s} in UTF-8, as {@code s.getBytes(UTF_8).length} would say (an unpaired
     * surrogate counts as the one byte {@code '?'} that replaces it), without encoding it.
     */
    public static int utf8Length(String s) {
        int length = s.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (!Character.isSurrogate(c)) {
                bytes += 2;
            } else if (isSurrogatePairAt(s, i)) {
                bytes += 2; // two chars, four bytes
                i++;
            }
        }
        return bytes;
    }

    /**
     * Writes {@code s} as UTF-8 at the buffer's position: exactly the bytes of {@code
     * s.getBytes(UTF_8)}, {@link #utf8Length(String)} of them.
     */
    public static void writeUtf8(String s, ByteBuffer buffer) {
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buffer.put((byte) c);
            } else if (c < 0x800) {
                buffer.put((byte) (0xc0 | (c >> 6)));
                buffer.put((byte) (0x80 | (c & 0x3f)));
            } else if (!Character.isSurrogate(c)) {
                buffer.put((byte) (0xe0 | (c >> 12)));
                buffer.put((byte) (0x80 | ((c >> 6) & 0x3f)));
                buffer.put((byte) (0x80 | (c & 0x3f)));
            } else if (isSurrogatePairAt(s, i)) {
                int codePoint = Character.toCodePoint(c, s.charAt(++i));
                buffer.put((byte) (0xf0 | (codePoint >> 18)));
                buffer.put((byte) (0x80 | ((codePoint >> 12) & 0x3f)));
                buffer.put((byte) (0x80 | ((codePoint >> 6) & 0x3f)));
                buffer.put((byte) (0x80 | (codePoint & 0x3f)));
            } else {
                buffer.put((byte) '?');
            }
        }
    }

    private static boolean isSurrogatePairAt(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i))
                && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1));
    }
}
