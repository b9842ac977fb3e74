package io.tributary.common;

import java.util.Objects;

/**
 * A partition of a topic. Its string form, {@code <topic>-<partition>}, is also the name of the
 * partition's directory on disk.
 */
public record TopicPartition(String topic, int partition) {

    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0: " + partition);
        }
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
