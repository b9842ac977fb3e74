package io.tributary.log.index;

/** A time index entry: by {@code offset}, the largest timestamp seen so far is {@code timestamp}. */
public record TimestampOffset(long timestamp, long offset) {
}
