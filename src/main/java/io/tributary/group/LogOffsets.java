package io.tributary.group;

import io.tributary.common.TopicPartition;

/**
 * What the coordinator needs to know about the partitions its groups read: how many a topic has,
 * and where their logs start and end. A port, so the coordinator can be tested without logs.
 * Implementations are thread-safe.
 */
public interface LogOffsets {

    /** The number of partitions of {@code topic}; 0 when it does not exist. */
    int partitionCount(String topic);

    /** The first offset still in the log. */
    long logStartOffset(TopicPartition tp);

    /** The high watermark: the offset the next committed record will get (what consumers call log end). */
    long highWatermark(TopicPartition tp);

    /** The first offset whose record has a timestamp at or after {@code timestampMs}; the high watermark if none. */
    long offsetForTimestamp(TopicPartition tp, long timestampMs);
}
