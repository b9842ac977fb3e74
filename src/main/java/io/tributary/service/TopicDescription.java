package io.tributary.service;

import java.util.List;
import java.util.Map;

/**
 * A topic as clients see it: its overrides and, per partition, where it lives and its offsets
 * (-1 where this broker does not know them).
 */
public record TopicDescription(String name, boolean internal, int replicationFactor, Map<String, String> configs,
                               List<PartitionDescription> partitions, long createdAtMs) {

    public record PartitionDescription(int partition, int leader, int leaderEpoch, List<Integer> replicas,
                                       List<Integer> isr, long logStartOffset, long highWatermark) {
    }
}
