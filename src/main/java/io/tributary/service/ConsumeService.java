package io.tributary.service;

import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicName;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.index.TimestampOffset;
import io.tributary.replication.Partition;
import io.tributary.replication.ReplicaManager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Streaming consumption: resolves where consumers start and opens {@link ConsumeSession}s, which
 * it keeps track of while they are open. Thread safety: thread-safe.
 */
public final class ConsumeService {

    private final ClusterMetadata cluster;
    private final ReplicaManager replicas;
    private final Executor reader;
    private final Set<ConsumeSession> sessions = ConcurrentHashMap.newKeySet();

    /**
     * @param reader where sessions read the logs: a pool that may block on file I/O, never a
     *               network event loop
     */
    public ConsumeService(ClusterMetadata cluster, ReplicaManager replicas, Executor reader) {
        this.cluster = cluster;
        this.replicas = replicas;
        this.reader = reader;
    }

    /** Every partition of a topic, checking the name and that it exists. */
    public List<TopicPartition> partitions(String topic) {
        TopicDefinition definition = requireTopic(topic);
        List<TopicPartition> partitions = new ArrayList<>(definition.partitions());
        for (int p = 0; p < definition.partitions(); p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        return partitions;
    }

    /** One partition, checking the topic and that the partition exists. */
    public TopicPartition partition(String topic, int partition) {
        TopicDefinition definition = requireTopic(topic);
        if (partition < 0 || partition >= definition.partitions()) {
            throw new TributaryException(ErrorCode.PARTITION_NOT_FOUND, "Topic '" + topic + "' has "
                    + definition.partitions() + " partitions; there is no partition " + partition);
        }
        return new TopicPartition(topic, partition);
    }

    private TopicDefinition requireTopic(String topic) {
        if (topic == null || !TopicName.isValid(topic)) {
            throw new TributaryException(ErrorCode.INVALID_TOPIC_NAME, "'" + topic + "' is not a valid topic name");
        }
        return cluster.topic(topic).orElseThrow(() ->
                new TributaryException(ErrorCode.TOPIC_NOT_FOUND, "Topic '" + topic + "' does not exist"));
    }

    /**
     * The next offset to deliver for {@code from}. An explicit offset must lie in
     * {@code [logStartOffset, highWatermark]}, else {@link OffsetOutOfRangeException} (its end is the
     * high watermark). May block: a timestamp is looked up in the time index.
     */
    public long resolve(TopicPartition tp, StartPosition from) {
        Partition partition = replicas.leaderPartition(tp);
        long highWatermark = partition.highWatermark();
        return switch (from.kind()) {
            case EARLIEST -> partition.logStartOffset();
            case LATEST -> highWatermark;
            case OFFSET -> checkRange(partition, from.value());
            case TIME -> partition.log().offsetForTimestamp(from.value())
                    .map(TimestampOffset::offset)
                    .filter(offset -> offset < highWatermark)
                    .map(offset -> Math.max(offset, partition.logStartOffset()))
                    .orElse(highWatermark);
        };
    }

    private static long checkRange(Partition partition, long offset) {
        long start = partition.logStartOffset();
        long highWatermark = partition.highWatermark();
        if (offset < start || offset > highWatermark) {
            throw new OffsetOutOfRangeException(partition.topicPartition(), offset, start, highWatermark);
        }
        return offset;
    }

    /** Whether this broker leads {@code tp} now, so that a session can read it. */
    public boolean leads(TopicPartition tp) {
        try {
            replicas.leaderPartition(tp);
            return true;
        } catch (TributaryException e) {
            return false;
        }
    }

    /** Opens a session with no partitions; {@link ConsumeSession#assign} starts it. */
    public ConsumeSession open(ConsumeSession.Sink sink, ConsumeSession.Options options,
                               ConsumeSession.DeliveryListener listener) {
        ConsumeSession session = new ConsumeSession(replicas::leaderPartition, reader, sink, options, listener, sessions::remove);
        sessions.add(session);
        return session;
    }

    /** The sessions open now. */
    public Collection<ConsumeSession> sessions() {
        return List.copyOf(sessions);
    }
}
