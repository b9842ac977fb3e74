package io.tributary.bench.front;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * A tolerant scan of JSON text for {@code "name": <integer>} pairs, with no tree and no string
 * decoding, so that counting records in large frames costs the client far less than it costs the
 * broker to write them. It looks for the quoted name, skips blanks and a colon, and reads an
 * optional minus sign and digits; anything else after the name is not a match. A value that
 * happens to contain the quoted name followed by a colon and digits would be counted too: the
 * benchmark's own values never do. Thread safety: not thread-safe (reuses a buffer); one per
 * connection.
 */
final class JsonScan {

    /** Receives each matched number, in order. */
    @FunctionalInterface
    interface NumberSink {
        void accept(int nameIndex, long value);
    }

    private final byte[][] names;
    private byte[] copy = new byte[64 * 1024];

    /** Scans for each of {@code names}; the sink is told which one matched by its index. */
    JsonScan(String... names) {
        this.names = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            this.names[i] = ('"' + names[i] + '"').getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Scans the readable bytes of {@code buf} without moving its reader index. */
    void scan(ByteBuf buf, NumberSink sink) {
        int length = buf.readableBytes();
        if (copy.length < length) {
            copy = new byte[Math.max(length, copy.length * 2)];
        }
        buf.getBytes(buf.readerIndex(), copy, 0, length);
        scan(copy, 0, length, sink);
    }

    /** Scans {@code bytes[from, to)}. */
    void scan(byte[] bytes, int from, int to, NumberSink sink) {
        int i = from;
        while (i < to) {
            if (bytes[i] != '"') {
                i++;
                continue;
            }
            int matched = match(bytes, i, to);
            if (matched < 0) {
                i++;
                continue;
            }
            i += names[matched].length;
            while (i < to && (bytes[i] == ' ' || bytes[i] == ':')) {
                i++;
            }
            boolean negative = i < to && bytes[i] == '-';
            if (negative) {
                i++;
            }
            long value = 0;
            int digits = 0;
            while (i < to && bytes[i] >= '0' && bytes[i] <= '9') {
                value = value * 10 + (bytes[i++] - '0');
                digits++;
            }
            if (digits > 0) {
                sink.accept(matched, negative ? -value : value);
            }
        }
    }

    private int match(byte[] bytes, int at, int to) {
        for (int n = 0; n < names.length; n++) {
            byte[] name = names[n];
            if (at + name.length > to) {
                continue;
            }
            int k = 1;
            while (k < name.length && bytes[at + k] == name[k]) {
                k++;
            }
            if (k == name.length) {
                return n;
            }
        }
        return -1;
    }
}
