package io.tributary.group;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

import java.util.Locale;

/**
 * Where a member starts reading a partition its group has no committed offset for (or whose
 * committed offset is outside the log): the log start, the high watermark, or the first record at
 * or after a time. Text form: {@code earliest}, {@code latest}, {@code time:<epochMs>}.
 */
public record OffsetResetPolicy(Kind kind, long timestampMs) {

    public enum Kind {
        EARLIEST,
        LATEST,
        TIMESTAMP
    }

    public static final OffsetResetPolicy EARLIEST = new OffsetResetPolicy(Kind.EARLIEST, -1);
    public static final OffsetResetPolicy LATEST = new OffsetResetPolicy(Kind.LATEST, -1);

    /** Parses the text form; null means {@code latest} (Kafka's default). */
    public static OffsetResetPolicy parse(String value) {
        if (value == null || value.isBlank()) {
            return LATEST;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("earliest")) {
            return EARLIEST;
        }
        if (v.equals("latest")) {
            return LATEST;
        }
        if (v.startsWith("time:")) {
            try {
                long ts = Long.parseLong(v.substring(5));
                if (ts >= 0) {
                    return new OffsetResetPolicy(Kind.TIMESTAMP, ts);
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new TributaryException(ErrorCode.INVALID_REQUEST,
                "autoOffsetReset must be earliest, latest or time:<epochMs>, not '" + value + "'");
    }

    /** The offset this policy picks in {@code tp}. */
    public long resolve(LogOffsets offsets, io.tributary.common.TopicPartition tp) {
        return switch (kind) {
            case EARLIEST -> offsets.logStartOffset(tp);
            case LATEST -> offsets.highWatermark(tp);
            case TIMESTAMP -> offsets.offsetForTimestamp(tp, timestampMs);
        };
    }

    @Override
    public String toString() {
        return kind == Kind.TIMESTAMP ? "time:" + timestampMs : kind.name().toLowerCase(Locale.ROOT);
    }
}
