package io.tributary.group;

/**
 * A committed offset: the <b>next</b> offset the group will read from the partition (not the last
 * one it read), the client's optional metadata string, and when it was committed.
 */
public record OffsetAndMetadata(long offset, String metadata, long commitTimestampMs) {

    /** The longest metadata string a commit may carry. */
    public static final int MAX_METADATA_LENGTH = 4096;

    public OffsetAndMetadata {
        if (offset < 0) {
            throw new IllegalArgumentException("A committed offset cannot be negative: " + offset);
        }
    }
}
