package io.tributary.log;

/**
 * The answer to "where does leader epoch {@code e} end in this log": the largest epoch at or below
 * the one asked for, and the offset one past its last record (the start of the next epoch, or the
 * log end for the latest). {@link #UNDEFINED} when the log knows no epoch at or below it.
 */
public record EpochEndOffset(int epoch, long endOffset) {

    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1L);

    public boolean isDefined() {
        return epoch >= 0 && endOffset >= 0;
    }
}
