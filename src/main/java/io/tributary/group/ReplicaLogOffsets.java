package io.tributary.group;

import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.TopicPartition;
import io.tributary.service.OffsetService;

/** {@link LogOffsets} from cluster state and the partitions this broker leads. Thread-safe. */
public final class ReplicaLogOffsets implements LogOffsets {

    private final ClusterMetadata cluster;
    private final OffsetService offsets;

    public ReplicaLogOffsets(ClusterMetadata cluster, OffsetService offsets) {
        this.cluster = cluster;
        this.offsets = offsets;
    }

    @Override
    public int partitionCount(String topic) {
        return cluster.topic(topic).map(TopicDefinition::partitions).orElse(0);
    }

    @Override
    public long logStartOffset(TopicPartition tp) {
        return offsets.offsets(tp, null).earliest();
    }

    @Override
    public long highWatermark(TopicPartition tp) {
        return offsets.offsets(tp, null).latest();
    }

    @Override
    public long offsetForTimestamp(TopicPartition tp, long timestampMs) {
        return offsets.offsets(tp, timestampMs).offsetForTimestamp();
    }
}
