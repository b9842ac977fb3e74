package io.tributary.common;

/** A read asked for an offset outside {@code [logStartOffset, logEndOffset]}. */
public class OffsetOutOfRangeException extends TributaryException {

    private final long offset;
    private final long logStartOffset;
    private final long logEndOffset;

    public OffsetOutOfRangeException(TopicPartition tp, long offset, long logStartOffset, long logEndOffset) {
        super(ErrorCode.OFFSET_OUT_OF_RANGE, "Offset " + offset + " is outside the log of " + tp
                + "; valid offsets are " + logStartOffset + " to " + logEndOffset);
        this.offset = offset;
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    public long offset() {
        return offset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}
