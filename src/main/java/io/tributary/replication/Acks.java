package io.tributary.replication;

import io.tributary.common.ErrorCode;
import io.tributary.common.TributaryException;

/** How much replication a producer waits for before it is answered. */
public enum Acks {
    /** Answer at once; the producer learns of no failure after validation. */
    NONE,
    /** Answer after the leader's append (and its fsync under the on-ack flush policy). */
    LEADER,
    /** Answer after the high watermark passes the records: every in-sync replica has them. */
    ALL;

    /** Parses {@code 0}, {@code 1}, {@code all} (or {@code -1}). */
    public static Acks parse(String value) {
        if (value == null) {
            return ALL;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "0" -> NONE;
            case "1" -> LEADER;
            case "all", "-1" -> ALL;
            default -> throw new TributaryException(ErrorCode.INVALID_REQUEST,
                    "acks must be 0, 1 or all, not '" + value + "'");
        };
    }
}
