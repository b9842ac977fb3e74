package io.tributary.api.codec;

/**
 * Checks UTF-8 sequences in place (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF), so bytes can be copied into a text frame only when they are valid UTF-8. Stateless.
 */
final class Utf8 {

    private Utf8() {
    }

    /**
     * The position after the multi-byte sequence starting at {@code p} (whose byte is 0x80 or
     * above), or -1 when the bytes there are not a valid sequence ending at or before {@code end}.
     */
    static int sequenceEnd(byte[] b, int p, int end) {
        int lead = b[p] & 0xFF;
        int length;
        int min = 0x80;
        int max = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0) {
                min = 0xA0;
            } else if (lead == 0xED) {
                max = 0x9F;
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0) {
                min = 0x90;
            } else if (lead == 0xF4) {
                max = 0x8F;
            }
        } else {
            return -1;
        }
        if (end - p < length) {
            return -1;
        }
        int second = b[p + 1] & 0xFF;
        if (second < min || second > max) {
            return -1;
        }
        for (int i = 2; i < length; i++) {
            int next = b[p + i] & 0xFF;
            if (next < 0x80 || next > 0xBF) {
                return -1;
            }
        }
        return p + length;
    }
}
