package io.tributary.replication;

import io.tributary.cluster.ClusterListener;
import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.PartitionState;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.FlushPolicy;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this broker's replicas in line with cluster state. For every partition whose replica list
 * names this broker it opens the log and takes the role the partition state gives it: leader when
 * the state names this broker, follower otherwise. Topic deletion removes the logs; a topic's
 * config changes reach its logs. When the ZooKeeper session is in doubt every leader steps down at
 * once and resumes only after the state has been re-read.
 *
 * <p>State changes run one at a time on a dedicated thread, off ZooKeeper's event thread.
 * Thread safety: thread-safe.
 */
public final class ReplicaManager implements ClusterListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    private final ClusterMetadata cluster;
    private final LogManager logManager;
    private final LogConfig defaults;
    private final int brokerId;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final ExecutorService stateThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tributary-replica-state");
        t.setDaemon(true);
        return t;
    });

    public ReplicaManager(ClusterMetadata cluster, LogManager logManager, LogConfig defaults) {
        this.cluster = cluster;
        this.logManager = logManager;
        this.defaults = defaults;
        this.brokerId = cluster.localBrokerId();
    }

    /** Brings every local replica in line with the cluster, and removes logs of deleted topics. */
    public void reconcileAll() {
        submit(() -> {
            Map<String, TopicDefinition> topics = cluster.topics();
            for (PartitionLog log : logManager.allLogs()) {
                TopicPartition tp = log.topicPartition();
                TopicDefinition topic = topics.get(tp.topic());
                if (topic == null || !topic.replicas(tp.partition()).contains(brokerId)) {
                    LOG.info("Removing the log of {}: this broker no longer hosts it", tp);
                    removePartition(tp);
                }
            }
            topics.values().forEach(this::applyTopic);
        });
    }

    private void applyTopic(TopicDefinition topic) {
        for (int p : topic.assignment().keySet()) {
            TopicPartition tp = new TopicPartition(topic.name(), p);
            cluster.partitionState(tp).ifPresent(state -> applyState(topic, tp, state));
        }
        LogConfig config = logConfig(topic);
        int minIsr = minInsyncReplicas(topic);
        partitions.forEach((tp, partition) -> {
            if (tp.topic().equals(topic.name())) {
                partition.log().updateConfig(config);
                partition.setMinInsyncReplicas(minIsr);
            }
        });
    }

    private void applyState(TopicDefinition topic, TopicPartition tp, PartitionState state) {
        if (!topic.replicas(tp.partition()).contains(brokerId)) {
            return;
        }
        Partition partition = partitions.computeIfAbsent(tp, key -> new Partition(key,
                logManager.getOrCreateLog(key, logConfig(topic)), brokerId,
                logManager.config().flushPolicy() == FlushPolicy.ON_ACK));
        partition.setMinInsyncReplicas(minInsyncReplicas(topic));
        if (state.leader() == brokerId && cluster.sessionHealthy()) {
            partition.makeLeader(state);
        } else {
            partition.makeFollower(state);
        }
    }

    private void removePartition(TopicPartition tp) {
        Partition removed = partitions.remove(tp);
        if (removed != null) {
            removed.stopLeading();
        }
        logManager.deleteLog(tp);
    }

    /** The topic's log settings: broker defaults with the topic's log overrides. */
    public LogConfig logConfig(TopicDefinition topic) {
        Map<String, String> logOverrides = new java.util.HashMap<>(topic.configs());
        logOverrides.keySet().retainAll(LogConfig.NAMES);
        return defaults.withOverrides(logOverrides);
    }

    static int minInsyncReplicas(TopicDefinition topic) {
        String value = topic.configs().get(MIN_INSYNC_REPLICAS);
        return value == null ? 1 : Integer.parseInt(value);
    }

    @Override
    public void onTopicChanged(String topic) {
        submit(() -> cluster.topic(topic).ifPresent(this::applyTopic));
    }

    @Override
    public void onTopicDeleted(String topic) {
        submit(() -> {
            for (TopicPartition tp : Set.copyOf(partitions.keySet())) {
                if (tp.topic().equals(topic)) {
                    removePartition(tp);
                }
            }
            for (PartitionLog log : logManager.allLogs()) {
                if (log.topicPartition().topic().equals(topic)) {
                    logManager.deleteLog(log.topicPartition());
                }
            }
        });
    }

    @Override
    public void onPartitionStateChanged(TopicPartition tp, PartitionState state) {
        submit(() -> cluster.topic(tp.topic()).ifPresent(topic -> applyState(topic, tp, state)));
    }

    @Override
    public void onSessionSuspended() {
        partitions.values().forEach(Partition::stopLeading);
    }

    @Override
    public void onSessionRestored() {
        reconcileAll();
    }

    private void submit(Runnable change) {
        stateThread.execute(() -> {
            try {
                change.run();
            } catch (RuntimeException e) {
                LOG.error("Applying a replica state change failed", e);
            }
        });
    }

    /** Waits until every change submitted so far has been applied (used after this broker's own writes). */
    public void awaitApplied(long timeoutMs) {
        try {
            stateThread.submit(() -> { }).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new TributaryException(ErrorCode.REQUEST_TIMED_OUT, "Replica state did not settle in time");
        }
    }

    public Optional<Partition> partition(TopicPartition tp) {
        return Optional.ofNullable(partitions.get(tp));
    }

    /** The partition, which this broker must lead. */
    public Partition leaderPartition(TopicPartition tp) {
        Partition partition = partitions.get(tp);
        if (partition == null || !partition.isLeader()) {
            if (cluster.topic(tp.topic()).isEmpty()) {
                throw new TributaryException(ErrorCode.TOPIC_NOT_FOUND, "Topic '" + tp.topic() + "' does not exist");
            }
            throw new TributaryException(ErrorCode.NOT_LEADER, "Broker " + brokerId + " does not lead " + tp);
        }
        return partition;
    }

    @Override
    public void close() {
        stateThread.shutdown();
        try {
            stateThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        partitions.values().forEach(Partition::stopLeading);
    }
}
