package io.tributary.api.codec;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

import java.util.Arrays;

/**
 * Cuts a stream of byte chunks into whole NDJSON lines: {@link #append} returns the complete lines
 * received so far (up to and including the last newline) and keeps the unfinished tail for the next
 * chunk; {@link #finish} returns that tail once the stream ends. Lines are never split or copied
 * more than once per chunk, so a producer streaming many small records pays per chunk, not per
 * record. A line longer than {@code maxLineBytes} is {@link ErrorCode#REQUEST_TOO_LARGE}, so an
 * endless line cannot fill the heap. Thread safety: not thread-safe; one per stream, fed in order.
 */
public final class NdjsonLines {

    private static final byte[] NONE = new byte[0];

    private final int maxLineBytes;
    private byte[] tail = NONE;

    public NdjsonLines(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** The whole lines now available ({@code tail + chunk} up to its last newline); empty if none. */
    public byte[] append(byte[] chunk) {
        int lastNewline = lastIndexOf(chunk, (byte) '\n');
        if (lastNewline < 0) {
            tail = checkLength(concat(tail, chunk, chunk.length));
            return NONE;
        }
        byte[] lines = concat(tail, chunk, lastNewline + 1);
        tail = checkLength(Arrays.copyOfRange(chunk, lastNewline + 1, chunk.length));
        return lines;
    }

    /** What is left after the last newline, once the stream has ended; empty if nothing. */
    public byte[] finish() {
        byte[] rest = tail;
        tail = NONE;
        return rest;
    }

    private byte[] checkLength(byte[] unfinished) {
        if (unfinished.length > maxLineBytes) {
            throw new TributaryException(ErrorCode.REQUEST_TOO_LARGE, "An NDJSON line is longer than " + maxLineBytes
                    + " bytes");
        }
        return unfinished;
    }

    private static byte[] concat(byte[] head, byte[] chunk, int chunkLength) {
        if (head.length == 0) {
            return chunkLength == chunk.length ? chunk : Arrays.copyOf(chunk, chunkLength);
        }
        byte[] joined = Arrays.copyOf(head, head.length + chunkLength);
        System.arraycopy(chunk, 0, joined, head.length, chunkLength);
        return joined;
    }

    private static int lastIndexOf(byte[] bytes, byte b) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
