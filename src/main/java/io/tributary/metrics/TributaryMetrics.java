package io.tributary.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.PartitionState;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.group.GroupAdmin;
import io.tributary.group.GroupDescription;
import io.tributary.group.GroupSummary;
import io.tributary.log.LogManager;
import io.tributary.replication.Partition;
import io.tributary.replication.ReplicaManager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * The broker's metrics, bound to a registry: per-topic traffic counters summed over the partitions
 * this broker hosts, replica-manager and controller gauges, per-partition log gauges, recovery
 * counters and consumer-group lag.
 *
 * <p>Counters and gauges read the core's adders and state at scrape time. Which rows exist (topics,
 * partitions, groups) is decided by {@link #refresh}, called on a schedule: a topic's counters
 * appear once this broker hosts one of its partitions and go when it hosts none; group lag is a
 * snapshot taken by the refresh, since describing a group may ask other brokers for log ends.
 * Per-topic counters are sums over the replicas hosted now, so a partition moving away lowers them
 * (Prometheus's {@code rate()} reads that as a counter reset).
 *
 * <p>Thread safety: thread-safe; {@link #refresh} is serialised.
 */
public final class TributaryMetrics implements MeterBinder {

    static final String TOPIC = "topic";
    static final String PARTITION = "partition";
    static final String GROUP = "group";

    private final ReplicaManager replicas;
    private final LogManager logs;
    private final ClusterMetadata cluster;
    private final GroupAdmin groups;
    private final Map<String, List<Meter>> topicMeters = new HashMap<>();
    private MeterRegistry registry;
    private MultiGauge logSize;
    private MultiGauge logSegments;
    private MultiGauge logStartOffset;
    private MultiGauge logEndOffset;
    private MultiGauge groupLag;
    private MultiGauge groupMembers;

    /** @param groups null on a broker without group coordination (no group metrics then) */
    public TributaryMetrics(ReplicaManager replicas, LogManager logs, ClusterMetadata cluster, GroupAdmin groups) {
        this.replicas = replicas;
        this.logs = logs;
        this.cluster = cluster;
        this.groups = groups;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        this.registry = registry;
        String rm = "tributary.server.replica.manager.";
        gauge(rm + "partition.count", "Replicas this broker hosts, leaders and followers",
                m -> m.replicas.partitions().size());
        gauge(rm + "leader.count", "Partitions this broker leads", m -> m.leaders().size());
        gauge(rm + "under.replicated.partitions", "Partitions led here whose ISR is smaller than the replica list",
                TributaryMetrics::underReplicated);
        gauge(rm + "under.min.isr.partition.count",
                "Partitions led here with fewer in-sync replicas than min.insync.replicas",
                m -> m.leaders().stream().filter(p -> p.isr().size() < p.minInsyncReplicas()).count());
        counter(rm + "isr.shrinks", "ISR changes written by this broker as leader that removed replicas",
                Tags.empty(), m -> m.replicas.isrShrinks());
        counter(rm + "isr.expands", "ISR changes written by this broker as leader that added a replica",
                Tags.empty(), m -> m.replicas.isrExpands());
        String controller = "tributary.controller.";
        gauge(controller + "active.controller.count", "1 on the broker that is the controller now, else 0",
                m -> m.cluster.isController() ? 1 : 0);
        gauge(controller + "offline.partitions.count", "Partitions without a leader (reported by the controller only)",
                m -> m.cluster.isController() ? m.controllerPartitions(true) : 0);
        gauge(controller + "global.partition.count", "Partitions in the cluster (reported by the controller only)",
                m -> m.cluster.isController() ? m.controllerPartitions(false) : 0);
        counter("tributary.log.recovery.truncations", "Logs that recovery truncated at startup", Tags.empty(),
                m -> m.logs.recoveryTruncations());
        counter("tributary.log.recovery.truncated.bytes", "Bytes recovery cut from damaged logs at startup",
                Tags.empty(), m -> m.logs.recoveryTruncatedBytes());
        logSize = MultiGauge.builder("tributary.log.size").description("Bytes in the partition's log segments")
                .register(registry);
        logSegments = MultiGauge.builder("tributary.log.num.segments").description("Segments of the partition's log")
                .register(registry);
        logStartOffset = MultiGauge.builder("tributary.log.log.start.offset").description("First offset in the log")
                .register(registry);
        logEndOffset = MultiGauge.builder("tributary.log.log.end.offset")
                .description("Offset the next record appended to the log gets").register(registry);
        groupLag = MultiGauge.builder("tributary.group.lag")
                .description("High watermark minus the group's committed offset").register(registry);
        groupMembers = MultiGauge.builder("tributary.group.members").description("Members of the group")
                .register(registry);
        refresh();
    }

    /** Brings the set of topic, partition and group rows up to date, and takes a group lag snapshot. */
    public synchronized void refresh() {
        if (registry == null) {
            return;
        }
        Collection<Partition> hosted = replicas.partitions();
        refreshTopicCounters(hosted);
        List<MultiGauge.Row<?>> size = new ArrayList<>();
        List<MultiGauge.Row<?>> segments = new ArrayList<>();
        List<MultiGauge.Row<?>> start = new ArrayList<>();
        List<MultiGauge.Row<?>> end = new ArrayList<>();
        for (Partition p : hosted) {
            Tags tags = partitionTags(p.topicPartition());
            size.add(MultiGauge.Row.of(tags, p, q -> q.log().sizeInBytes()));
            segments.add(MultiGauge.Row.of(tags, p, q -> q.log().numberOfSegments()));
            start.add(MultiGauge.Row.of(tags, p, Partition::logStartOffset));
            end.add(MultiGauge.Row.of(tags, p, Partition::logEndOffset));
        }
        logSize.register(size, true);
        logSegments.register(segments, true);
        logStartOffset.register(start, true);
        logEndOffset.register(end, true);
        refreshGroups();
    }

    private void refreshTopicCounters(Collection<Partition> hosted) {
        Set<String> topics = new TreeSet<>();
        hosted.forEach(p -> topics.add(p.topicPartition().topic()));
        for (String topic : topics) {
            topicMeters.computeIfAbsent(topic, this::registerTopicCounters);
        }
        topicMeters.entrySet().removeIf(e -> {
            if (topics.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
    }

    private List<Meter> registerTopicCounters(String topic) {
        Tags tags = Tags.of(TOPIC, topic);
        String bt = "tributary.server.broker.topic.";
        return List.of(
                counter(bt + "bytes.in", "Bytes of record batches appended as leader", tags,
                        m -> m.sumOver(topic, Partition::bytesIn)),
                counter(bt + "messages.in", "Records appended as leader", tags,
                        m -> m.sumOver(topic, Partition::messagesIn)),
                counter(bt + "bytes.out", "Bytes of record batches read by consumers", tags,
                        m -> m.sumOver(topic, Partition::bytesOut)),
                counter(bt + "replication.bytes.out", "Bytes of record batches read by followers", tags,
                        m -> m.sumOver(topic, Partition::replicationBytesOut)));
    }

    private void refreshGroups() {
        if (groups == null) {
            return;
        }
        List<MultiGauge.Row<?>> lag = new ArrayList<>();
        List<MultiGauge.Row<?>> members = new ArrayList<>();
        for (GroupSummary summary : groups.list()) {
            members.add(MultiGauge.Row.of(Tags.of(GROUP, summary.group()), summary.members()));
            describe(summary.group()).ifPresent(d -> d.offsets().stream().filter(o -> o.lag() != null).forEach(o ->
                    lag.add(MultiGauge.Row.of(Tags.of(GROUP, d.group(), TOPIC, o.topic(), PARTITION,
                            Integer.toString(o.partition())), o.lag()))));
        }
        groupLag.register(lag, true);
        groupMembers.register(members, true);
    }

    private Optional<GroupDescription> describe(String group) {
        try {
            return Optional.of(groups.describe(group));
        } catch (TributaryException e) {
            return Optional.empty();
        }
    }

    private List<Partition> leaders() {
        return replicas.partitions().stream().filter(Partition::isLeader).toList();
    }

    private long underReplicated() {
        return leaders().stream().filter(p -> {
            Optional<TopicDefinition> topic = cluster.topic(p.topicPartition().topic());
            return topic.isPresent() && p.isr().size() < topic.get().replicas(p.topicPartition().partition()).size();
        }).count();
    }

    /** Partitions in cluster state: all of them, or only those without a leader. */
    private long controllerPartitions(boolean offlineOnly) {
        long count = 0;
        for (TopicDefinition topic : cluster.topics().values()) {
            for (int p : topic.assignment().keySet()) {
                Optional<PartitionState> state = cluster.partitionState(new TopicPartition(topic.name(), p));
                if (!offlineOnly || state.isEmpty() || !state.get().hasLeader()) {
                    count++;
                }
            }
        }
        return count;
    }

    private long sumOver(String topic, ToLongFunction<Partition> counter) {
        long sum = 0;
        for (Partition p : replicas.partitions()) {
            if (p.topicPartition().topic().equals(topic)) {
                sum += counter.applyAsLong(p);
            }
        }
        return sum;
    }

    private static Tags partitionTags(TopicPartition tp) {
        return Tags.of(TOPIC, tp.topic(), PARTITION, Integer.toString(tp.partition()));
    }

    private void gauge(String name, String description, ToLongFunction<TributaryMetrics> value) {
        Gauge.builder(name, this, m -> value.applyAsLong(m)).description(description).strongReference(true)
                .register(registry);
    }

    private Meter counter(String name, String description, Tags tags, ToLongFunction<TributaryMetrics> value) {
        return FunctionCounter.builder(name, this, m -> value.applyAsLong(m)).description(description).tags(tags)
                .register(registry);
    }
}
