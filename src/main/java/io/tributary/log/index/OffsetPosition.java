package io.tributary.log.index;

/** An offset index entry: the batch starting at byte {@code position} ends at {@code offset}. */
public record OffsetPosition(long offset, int position) {
}
