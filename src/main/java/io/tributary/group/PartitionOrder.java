package io.tributary.group;

import io.tributary.common.TopicPartition;

import java.util.Comparator;

/** The order partitions are listed in: by topic, then partition number. */
final class PartitionOrder {

    static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private PartitionOrder() {
    }
}
