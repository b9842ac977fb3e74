package io.tributary.service;

import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.PartitionState;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicName;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.replication.Partition;
import io.tributary.replication.ReplicaManager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Streaming consumption: resolves where consumers start and opens {@link ConsumeSession}s, which
 * it keeps track of while they are open. Thread safety: thread-safe.
 */
public final class ConsumeService {

    /** How long a leader holds a session's fetch when it has nothing new. */
    static final int REMOTE_FETCH_MAX_WAIT_MS = 2_000;

    private final ClusterMetadata cluster;
    private final ReplicaManager replicas;
    private final OffsetService offsets;
    private final Executor reader;
    private final PartitionSources.Routes routes = new LeaderRoutes();
    private final Set<ConsumeSession> sessions = ConcurrentHashMap.newKeySet();

    /**
     * @param reader where sessions read the logs: a pool that may block on file I/O, never a
     *               network event loop
     */
    public ConsumeService(ClusterMetadata cluster, ReplicaManager replicas, OffsetService offsets, Executor reader) {
        this.cluster = cluster;
        this.replicas = replicas;
        this.offsets = offsets;
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
     * high watermark). Asks the leader, here or on another broker; may block (the time index, the
     * network).
     */
    public long resolve(TopicPartition tp, StartPosition from) {
        OffsetService.PartitionOffsets range = offsets.offsets(tp, from.kind() == StartPosition.Kind.TIME ? from.value() : null);
        return switch (from.kind()) {
            case EARLIEST -> range.earliest();
            case LATEST -> range.latest();
            case OFFSET -> {
                if (from.value() < range.earliest() || from.value() > range.latest()) {
                    throw new OffsetOutOfRangeException(tp, from.value(), range.earliest(), range.latest());
                }
                yield from.value();
            }
            case TIME -> Math.max(range.offsetForTimestamp(), range.earliest());
        };
    }

    /** Opens a session with no partitions; {@link ConsumeSession#assign} starts it. */
    public ConsumeSession open(ConsumeSession.Sink sink, ConsumeSession.Options options,
                               ConsumeSession.DeliveryListener listener) {
        ConsumeSession session = new ConsumeSession(new PartitionSources(routes), reader, sink, options, listener, sessions::remove);
        sessions.add(session);
        return session;
    }

    /** The sessions open now. */
    public Collection<ConsumeSession> sessions() {
        return List.copyOf(sessions);
    }

    /** Partition leaders from this broker's replicas and its copy of cluster state. */
    private final class LeaderRoutes implements PartitionSources.Routes {

        @Override
        public Optional<Partition> leading(TopicPartition tp) {
            if (cluster.topic(tp.topic()).isEmpty()) {
                throw new TributaryException(ErrorCode.TOPIC_NOT_FOUND, "Topic '" + tp.topic() + "' does not exist");
            }
            return replicas.partition(tp).filter(Partition::isLeader);
        }

        @Override
        public int leaderOf(TopicPartition tp) {
            return cluster.partitionState(tp).filter(PartitionState::hasLeader).map(PartitionState::leader).orElse(-1);
        }

        @Override
        public int localBrokerId() {
            return cluster.localBrokerId();
        }

        @Override
        public PartitionSource remote(TopicPartition tp, int leaderId) {
            return new RemotePartitionSource(tp, leaderId, replicas.clients()::fetch, REMOTE_FETCH_MAX_WAIT_MS,
                    replicas.forwardTimeoutMs(), this::leaderOf);
        }
    }
}
