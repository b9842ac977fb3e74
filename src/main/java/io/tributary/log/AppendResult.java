package io.tributary.log;

/**
 * What an append did: the offsets it assigned ({@code firstOffset}..{@code lastOffset}), the
 * broker's timestamp when the topic uses log-append time (else -1), and how much it wrote.
 */
public record AppendResult(long firstOffset, long lastOffset, long logAppendTime, int records, int bytes) {

    public long nextOffset() {
        return lastOffset + 1;
    }
}
