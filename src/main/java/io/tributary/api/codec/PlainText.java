package io.tributary.api.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds the end of a run of bytes that can stand in a JSON string as they are: printable ASCII
 * other than {@code "} and {@code \}. Eight bytes are checked at a time (SWAR: bit tricks on a
 * {@code long}), which is where validating and escaping spend their time. Stateless.
 */
final class PlainText {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = '"' * ONES;
    private static final long BACKSLASHES = '\\' * ONES;
    private static final long SPACES = 0x20 * ONES;

    private PlainText() {
    }

    /** The first position at or after {@code p} (before {@code end}) holding a byte that is not plain; else {@code end}. */
    static int runEnd(byte[] b, int p, int end) {
        while (p + Long.BYTES <= end && plain((long) LONGS.get(b, p))) {
            p += Long.BYTES;
        }
        while (p < end && plain(b[p])) {
            p++;
        }
        return p;
    }

    static boolean plain(byte c) {
        return c >= 0x20 && c != '"' && c != '\\'; // bytes of 0x80 and above are negative
    }

    /** Whether none of the eight bytes is 0x80 or above, below 0x20, a quote or a backslash. */
    private static boolean plain(long w) {
        long below = (w - SPACES) & ~w;
        long quote = zeroByte(w ^ QUOTES);
        long backslash = zeroByte(w ^ BACKSLASHES);
        return ((w | below | quote | backslash) & HIGH_BITS) == 0;
    }

    private static long zeroByte(long v) {
        return (v - ONES) & ~v;
    }
}
