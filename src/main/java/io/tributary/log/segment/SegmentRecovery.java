package io.tributary.log.segment;

/**
 * What recovering one segment found: {@code validBytes} of whole, CRC-checked batches ending at
 * {@code nextOffset}, and {@code truncatedBytes} cut after them because of {@code reason} (null when
 * nothing was cut).
 */
public record SegmentRecovery(int validBytes, long truncatedBytes, long nextOffset, String reason) {

    public boolean truncated() {
        return truncatedBytes > 0;
    }
}
