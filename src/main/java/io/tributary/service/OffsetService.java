package io.tributary.service;

import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.ErrorCode;
import io.tributary.common.TopicName;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.index.TimestampOffset;
import io.tributary.replication.Partition;
import io.tributary.replication.ReplicaManager;
import io.tributary.replication.ReplicationMessages;
import io.tributary.replication.ReplicationMessages.OffsetsRequest;
import io.tributary.replication.ReplicationMessages.OffsetsResponse;

/** Offsets of a partition: earliest, latest (the high watermark) and by timestamp, asked of its leader. */
public final class OffsetService {

    /**
     * @param earliest        the log start offset
     * @param latest          the high watermark: the offset the next committed record will get
     * @param timestamp       the time asked for, or null
     * @param offsetForTimestamp the first offset at or after {@code timestamp} ({@code latest} when none), or null
     */
    public record PartitionOffsets(int partition, long earliest, long latest, Long timestamp, Long offsetForTimestamp) {
    }

    private final ClusterMetadata cluster;
    private final ReplicaManager replicas;
    private final PartitionRouter router;

    public OffsetService(ClusterMetadata cluster, ReplicaManager replicas) {
        this.cluster = cluster;
        this.replicas = replicas;
        this.router = new PartitionRouter(cluster);
    }

    /** The partition, checking that the topic and partition exist. */
    public TopicPartition requirePartition(String topic, int partition) {
        if (!TopicName.isValid(topic)) {
            throw new TributaryException(ErrorCode.INVALID_TOPIC_NAME, "'" + topic + "' is not a valid topic name");
        }
        TopicDefinition definition = cluster.topic(topic).orElseThrow(() ->
                new TributaryException(ErrorCode.TOPIC_NOT_FOUND, "Topic '" + topic + "' does not exist"));
        if (partition < 0 || partition >= definition.partitions()) {
            throw new TributaryException(ErrorCode.PARTITION_NOT_FOUND, "Topic '" + topic + "' has "
                    + definition.partitions() + " partitions; there is no partition " + partition);
        }
        return new TopicPartition(topic, partition);
    }

    public PartitionOffsets offsets(TopicPartition tp, Long timestamp) {
        if (!router.isLocal(tp)) {
            int leader = router.route(tp).leaderId();
            OffsetsResponse r;
            try {
                r = replicas.clients().offsets(leader, new OffsetsRequest(tp, timestamp == null ? -1 : timestamp),
                        replicas.forwardTimeoutMs()).join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof TributaryException t ? t
                        : new TributaryException(ErrorCode.BROKER_NOT_AVAILABLE, "Broker " + leader + " did not answer: " + e.getCause());
            }
            if (!r.error().isEmpty()) {
                throw ReplicationMessages.toException(r.error(), r.message());
            }
            return new PartitionOffsets(tp.partition(), r.logStartOffset(), r.highWatermark(), timestamp,
                    timestamp == null ? null : r.offsetForTimestamp());
        }
        Partition partition = replicas.leaderPartition(tp);
        long latest = partition.highWatermark();
        Long forTimestamp = null;
        if (timestamp != null) {
            forTimestamp = partition.log().offsetForTimestamp(timestamp)
                    .map(TimestampOffset::offset)
                    .filter(o -> o < latest)
                    .orElse(latest);
        }
        return new PartitionOffsets(tp.partition(), partition.logStartOffset(), latest, timestamp, forTimestamp);
    }
}
