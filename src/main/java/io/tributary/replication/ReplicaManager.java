package io.tributary.replication;

import io.tributary.cluster.ClusterListener;
import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.PartitionState;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.ErrorCode;
import io.tributary.common.LogFields;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.FlushPolicy;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this broker's replicas in line with cluster state. For every partition whose replica list
 * names this broker it opens the log and takes the role the partition state gives it: leader when
 * the state names this broker, follower otherwise (fetching from the leader through
 * {@link ReplicaFetchers}). Topic deletion removes the logs; a topic's config changes reach its
 * logs. When the ZooKeeper session is in doubt every leader steps down at once and resumes only
 * after the state has been re-read. As leader it writes ISR changes (compare-and-set, one thread)
 * and checks every {@code replica.lag.time.max.ms / 2} for followers that fell behind.
 *
 * <p>State changes run one at a time on a dedicated thread, off ZooKeeper's event thread; a
 * partition stops being fetched before it becomes leader. A broker in a controlled shutdown is not
 * taken into an ISR. Thread safety: thread-safe.
 */
public final class ReplicaManager implements ClusterListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    private final ClusterMetadata cluster;
    private final LogManager logManager;
    private final LogConfig defaults;
    private final int brokerId;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final ExecutorService stateThread = daemonThread("tributary-replica-state");
    private final ScheduledExecutorService isrThread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tributary-isr");
        t.setDaemon(true);
        return t;
    });
    private final Time time;
    private final ReplicationConfig config;
    private final ReplicationClients clients;
    private final ReplicaFetchers fetchers;
    private final LongAdder isrShrinks = new LongAdder();
    private final LongAdder isrExpands = new LongAdder();

    public ReplicaManager(ClusterMetadata cluster, LogManager logManager, LogConfig defaults) {
        this(cluster, logManager, defaults, Time.SYSTEM, ReplicationConfig.defaults(), new ReplicationClients(cluster));
    }

    public ReplicaManager(ClusterMetadata cluster, LogManager logManager, LogConfig defaults, Time time,
                          ReplicationConfig config, ReplicationClients clients) {
        this.cluster = cluster;
        this.logManager = logManager;
        this.defaults = defaults;
        this.brokerId = cluster.localBrokerId();
        this.time = time;
        this.config = config;
        this.clients = clients;
        this.fetchers = new ReplicaFetchers(brokerId, clients, config);
        long checkMs = Math.max(50, config.replicaLagTimeMaxMs() / 2);
        isrThread.scheduleWithFixedDelay(this::maybeShrinkIsrs, checkMs, checkMs, TimeUnit.MILLISECONDS);
    }

    private static ExecutorService daemonThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Serves this broker's replicas on the replication channel. */
    public void serveOn(ReplicationServer server) {
        server.setHandler(new ReplicationRequestHandler(this));
    }

    public ReplicationClients clients() {
        return clients;
    }

    /** How long a request forwarded to another broker may take: the ack timeout and some slack. */
    public long forwardTimeoutMs() {
        return config.ackTimeoutMs() + 10_000;
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
                logManager.config().flushPolicy() == FlushPolicy.ON_ACK, time, config, this::proposeIsr));
        partition.setMinInsyncReplicas(minInsyncReplicas(topic));
        PartitionState previous = partition.state();
        if (previous == null || previous.leaderEpoch() != state.leaderEpoch()) {
            LogFields.of(LOG.atInfo(), tp).log("Broker {} is {} of {} in leader epoch {} (leader {})", brokerId,
                            state.leader() == brokerId ? "leader" : "follower", tp, state.leaderEpoch(), state.leader());
        }
        if (state.leader() == brokerId && cluster.sessionHealthy()) {
            fetchers.stop(tp);
            partition.makeLeader(state, topic.replicas(tp.partition()));
        } else {
            partition.makeFollower(state);
            if (state.hasLeader() && state.leader() != brokerId) {
                fetchers.follow(partition, state.leader(), state.leaderEpoch());
            } else {
                fetchers.stop(tp);
            }
        }
    }

    /** Writes a leader's ISR change, compare-and-set, on the ISR thread. */
    private void proposeIsr(Partition partition, PartitionState expected, List<Integer> newIsr) {
        isrThread.execute(() -> {
            boolean written = false;
            try {
                if (partition.isLeader() && cluster.sessionHealthy() && !addsBrokerShuttingDown(expected, newIsr)) {
                    written = cluster.compareAndSetPartitionState(partition.topicPartition(), expected,
                            expected.withIsr(newIsr));
                }
                if (written) {
                    (newIsr.size() < expected.isr().size() ? isrShrinks : isrExpands).increment();
                    LogFields.of(LOG.atInfo(), partition.topicPartition()).log("Leader {} changed the ISR of {} from {} to {}",
                            brokerId, partition.topicPartition(), expected.isr(), newIsr);
                }
            } catch (RuntimeException e) {
                LOG.warn("Changing the ISR of {} failed: {}", partition.topicPartition(), e.toString());
            } finally {
                if (!written) {
                    partition.isrChangeFailed();
                }
            }
        });
    }

    /** A broker in a controlled shutdown is not taken (back) into an ISR. */
    private boolean addsBrokerShuttingDown(PartitionState expected, List<Integer> newIsr) {
        Set<Integer> leaving = cluster.shuttingDownBrokers();
        return newIsr.stream().anyMatch(r -> leaving.contains(r) && !expected.isr().contains(r));
    }

    private void maybeShrinkIsrs() {
        try {
            if (cluster.sessionHealthy()) {
                partitions.values().forEach(Partition::maybeShrinkIsr);
            }
        } catch (RuntimeException e) {
            LOG.warn("Checking ISRs failed: {}", e.toString());
        }
    }

    private void removePartition(TopicPartition tp) {
        fetchers.stop(tp);
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

    /** This broker's replicas, leaders and followers. */
    public Collection<Partition> partitions() {
        return List.copyOf(partitions.values());
    }

    /**
     * The partitions this broker follows that have a leader but do not count this broker in their
     * ISR yet: it is still catching up (after a start, or after falling behind). Partitions without
     * a leader are not listed, as no follower can catch up with them.
     */
    public List<TopicPartition> followersNotInSync() {
        List<TopicPartition> behind = new ArrayList<>();
        for (Partition p : partitions.values()) {
            PartitionState s = p.state();
            if (!p.isLeader() && s != null && s.hasLeader() && s.leader() != brokerId && !s.isr().contains(brokerId)) {
                behind.add(p.topicPartition());
            }
        }
        behind.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return behind;
    }

    /** ISR changes this broker wrote as leader that removed replicas, since it started. */
    public long isrShrinks() {
        return isrShrinks.sum();
    }

    /** ISR changes this broker wrote as leader that added a replica, since it started. */
    public long isrExpands() {
        return isrExpands.sum();
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
        isrThread.shutdownNow();
        fetchers.close();
        clients.close();
        stateThread.shutdown();
        try {
            stateThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        partitions.values().forEach(Partition::stopLeading);
    }
}
