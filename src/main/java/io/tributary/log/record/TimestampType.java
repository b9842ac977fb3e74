package io.tributary.log.record;

/**
 * What the timestamps of a batch mean, stored in bit 3 of the batch attributes.
 *
 * <p>{@link #CREATE_TIME}: each record carries the time its producer gave it. {@link
 * #LOG_APPEND_TIME}: the broker stamped the batch when it appended it; the batch's max timestamp is
 * that time and every record of the batch reads it as its own timestamp.
 */
public enum TimestampType {
    /** The producer's timestamp of each record (attribute bit 3 clear). */
    CREATE_TIME,
    /** The broker's append time, the same for every record of the batch (attribute bit 3 set). */
    LOG_APPEND_TIME
}
