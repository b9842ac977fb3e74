package io.tributary.service;

import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.PartitionState;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.ErrorCode;
import io.tributary.common.Time;
import io.tributary.common.TopicName;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.LogConfig;
import io.tributary.replication.Partition;
import io.tributary.replication.ReplicaManager;
import io.tributary.replication.ReplicationMessages;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Creating, describing, changing and deleting topics. Every input is checked before anything is
 * written; the change goes to cluster state in one atomic write, and the call returns once this
 * broker's replicas have caught up with it. Blocking: call it off the event loop.
 * Thread safety: thread-safe.
 */
public final class TopicService {

    public static final int MAX_PARTITIONS = 10_000;
    private static final long SETTLE_TIMEOUT_MS = 10_000;
    private static final long DESCRIBE_TIMEOUT_MS = 2_000;

    private final ClusterMetadata cluster;
    private final ReplicaManager replicas;
    private final LogConfig defaults;
    private final Time time;

    public TopicService(ClusterMetadata cluster, ReplicaManager replicas, LogConfig defaults, Time time) {
        this.cluster = cluster;
        this.replicas = replicas;
        this.defaults = defaults;
        this.time = time;
    }

    /** Creates a user topic. */
    public TopicDescription create(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        TopicName.validate(name);
        if (TopicName.isInternal(name)) {
            throw new TributaryException(ErrorCode.INVALID_TOPIC_NAME,
                    "Topic names starting with '" + TopicName.INTERNAL_PREFIX + "' are reserved for internal topics");
        }
        return createTopic(name, partitions, replicationFactor, configs);
    }

    /** Creates a topic, internal names allowed (for the broker's own topics). */
    public TopicDescription createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        TopicName.validate(name);
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new TributaryException(ErrorCode.INVALID_PARTITIONS,
                    "A topic needs between 1 and " + MAX_PARTITIONS + " partitions, not " + partitions);
        }
        List<Integer> brokers = liveBrokerIds();
        if (replicationFactor < 1 || replicationFactor > brokers.size()) {
            throw new TributaryException(ErrorCode.INVALID_REPLICATION_FACTOR, "Replication factor " + replicationFactor
                    + " is not between 1 and the " + brokers.size() + " live broker(s)");
        }
        Map<String, String> validConfigs = TopicConfigs.validate(configs, defaults, replicationFactor);
        Map<Integer, List<Integer>> assignment = ReplicaPlacement.assign(0, partitions, replicationFactor, brokers,
                Math.abs(name.hashCode()));
        cluster.createTopic(new TopicDefinition(name, replicationFactor, validConfigs, assignment, time.milliseconds()),
                initialStates(assignment));
        replicas.awaitApplied(SETTLE_TIMEOUT_MS);
        return describe(name);
    }

    /** Replaces a topic's config overrides (when {@code configs} is not null) and grows it to {@code partitions}. */
    public TopicDescription update(String name, Map<String, String> configs, Integer partitions) {
        TopicDefinition current = require(name);
        Map<String, String> newConfigs = configs == null ? current.configs()
                : TopicConfigs.validate(configs, defaults, current.replicationFactor());
        Map<Integer, List<Integer>> assignment = new HashMap<>(current.assignment());
        Map<Integer, List<Integer>> added = Map.of();
        if (partitions != null && partitions != current.partitions()) {
            if (partitions < current.partitions() || partitions > MAX_PARTITIONS) {
                throw new TributaryException(ErrorCode.INVALID_PARTITIONS, "Topic '" + name + "' has "
                        + current.partitions() + " partitions; it can only grow, up to " + MAX_PARTITIONS);
            }
            List<Integer> brokers = liveBrokerIds();
            if (current.replicationFactor() > brokers.size()) {
                throw new TributaryException(ErrorCode.INVALID_REPLICATION_FACTOR,
                        "Not enough live brokers to place new partitions");
            }
            added = ReplicaPlacement.assign(current.partitions(), partitions - current.partitions(),
                    current.replicationFactor(), brokers, Math.abs(name.hashCode()));
            assignment.putAll(added);
        }
        cluster.updateTopic(new TopicDefinition(name, current.replicationFactor(), newConfigs, assignment,
                current.createdAtMs()), initialStates(added));
        replicas.awaitApplied(SETTLE_TIMEOUT_MS);
        return describe(name);
    }

    /** Deletes a user topic and, shortly after, its files. */
    public void delete(String name) {
        TopicName.validate(name);
        if (TopicName.isInternal(name)) {
            throw new TributaryException(ErrorCode.TOPIC_AUTHORIZATION_FAILED, "Internal topic '" + name
                    + "' cannot be deleted");
        }
        cluster.deleteTopic(name);
        replicas.awaitApplied(SETTLE_TIMEOUT_MS);
    }

    /**
     * The topic with, per partition, its leader, epoch, replicas, ISR and offsets; offsets of a
     * partition led elsewhere are asked of its leader (-1 when it does not answer in time).
     */
    public TopicDescription describe(String name) {
        TopicDefinition topic = require(name);
        Map<Integer, CompletableFuture<ReplicationMessages.OffsetsResponse>> remote = askRemoteLeaders(topic);
        List<TopicDescription.PartitionDescription> parts = new ArrayList<>();
        for (Map.Entry<Integer, List<Integer>> e : topic.assignment().entrySet()) {
            TopicPartition tp = new TopicPartition(name, e.getKey());
            Optional<PartitionState> state = cluster.partitionState(tp);
            Optional<Partition> local = replicas.partition(tp).filter(Partition::isLeader);
            Optional<ReplicationMessages.OffsetsResponse> answer = Optional.ofNullable(remote.get(e.getKey()))
                    .map(f -> f.exceptionally(failure -> null).join()).filter(r -> r.error().isEmpty());
            parts.add(new TopicDescription.PartitionDescription(e.getKey(),
                    state.map(PartitionState::leader).orElse(PartitionState.NO_LEADER),
                    state.map(PartitionState::leaderEpoch).orElse(-1), e.getValue(),
                    state.map(PartitionState::isr).orElse(List.of()),
                    local.map(Partition::logStartOffset).orElse(answer.map(r -> r.logStartOffset()).orElse(-1L)),
                    local.map(Partition::highWatermark).orElse(answer.map(r -> r.highWatermark()).orElse(-1L))));
        }
        return new TopicDescription(name, TopicName.isInternal(name), topic.replicationFactor(), topic.configs(), parts,
                topic.createdAtMs());
    }

    /** Offsets requests, sent at once, for the partitions whose live leader is another broker. */
    private Map<Integer, CompletableFuture<ReplicationMessages.OffsetsResponse>> askRemoteLeaders(TopicDefinition topic) {
        Map<Integer, CompletableFuture<ReplicationMessages.OffsetsResponse>> asked = new HashMap<>();
        for (int p : topic.assignment().keySet()) {
            TopicPartition tp = new TopicPartition(topic.name(), p);
            cluster.partitionState(tp)
                    .filter(s -> s.hasLeader() && s.leader() != cluster.localBrokerId()
                            && cluster.liveBrokers().containsKey(s.leader()))
                    .ifPresent(s -> {
                        try {
                            asked.put(p, replicas.clients().offsets(s.leader(), new ReplicationMessages.OffsetsRequest(tp, -1),
                                    DESCRIBE_TIMEOUT_MS));
                        } catch (RuntimeException e) {
                            // the leader is unreachable: its offsets show as -1
                        }
                    });
        }
        return asked;
    }

    public TopicDefinition require(String name) {
        if (!TopicName.isValid(name)) {
            throw new TributaryException(ErrorCode.INVALID_TOPIC_NAME, "'" + name + "' is not a valid topic name");
        }
        return cluster.topic(name).orElseThrow(() ->
                new TributaryException(ErrorCode.TOPIC_NOT_FOUND, "Topic '" + name + "' does not exist"));
    }

    private List<Integer> liveBrokerIds() {
        return cluster.liveBrokers().keySet().stream().sorted().toList();
    }

    private static Map<Integer, PartitionState> initialStates(Map<Integer, List<Integer>> assignment) {
        Map<Integer, PartitionState> states = new HashMap<>();
        assignment.forEach((p, replicas) -> states.put(p, new PartitionState(replicas.get(0), 0, replicas, 0)));
        return states;
    }
}
