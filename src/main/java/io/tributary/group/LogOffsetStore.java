package io.tributary.group;

import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.LogConfig;
import io.tributary.log.LogReadResult;
import io.tributary.log.record.Header;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatch;
import io.tributary.replication.Acks;
import io.tributary.replication.Partition;
import io.tributary.replication.ReplicaManager;
import io.tributary.service.ProduceRecord;
import io.tributary.service.ProduceService;
import io.tributary.service.TopicService;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Committed offsets kept in the internal compacted topic {@code __consumer_offsets}, with an
 * in-memory cache of every group this broker coordinates.
 *
 * <p>The topic is created on first need ({@code cleanup.policy=compact}, the configured partition
 * count and replication factor). A group lives in partition {@link CoordinatorPlacement#partitionFor};
 * this broker coordinates it when it leads that partition. Records follow
 * {@link OffsetCommitRecords}. Commits go through {@link ProduceService} as internal writes with
 * {@code acks=all}, grouped per partition by a {@link CommitBatcher}; the cache changes only after
 * the write is durable, so the cache never shows an offset a restart could lose.
 *
 * <p><b>Loading.</b> The cache of a partition is (re)built by replaying it from its log start to
 * its high watermark, last record per key wins, tombstones delete; this happens the first time the
 * partition is used after this broker became its leader in a new leader epoch (startup included).
 *
 * <p>Thread safety: thread-safe. {@link #coordinatorFor} may block (topic creation, loading).
 */
public final class LogOffsetStore implements OffsetStore {

    public static final String TOPIC = "__consumer_offsets";
    private static final Logger LOG = LoggerFactory.getLogger(LogOffsetStore.class);
    private static final int LOAD_READ_BYTES = 1 << 20;

    private final ClusterMetadata cluster;
    private final TopicService topics;
    private final ProduceService produce;
    private final ReplicaManager replicas;
    private final int configuredPartitions;
    private final int replicationFactor;
    private final Map<String, Map<TopicPartition, OffsetAndMetadata>> cache = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> loadedEpochs = new ConcurrentHashMap<>();
    private final Map<Integer, CommitBatcher> batchers = new ConcurrentHashMap<>();

    public LogOffsetStore(ClusterMetadata cluster, TopicService topics, ProduceService produce, ReplicaManager replicas,
                          int partitions, int replicationFactor) {
        this.cluster = cluster;
        this.topics = topics;
        this.produce = produce;
        this.replicas = replicas;
        this.configuredPartitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    @Override
    public CoordinatorPlacement coordinatorFor(String group) {
        int partition = CoordinatorPlacement.partitionFor(group, partitionCount());
        Optional<Partition> leader = replicas.partition(new TopicPartition(TOPIC, partition)).filter(Partition::isLeader);
        if (leader.isEmpty()) {
            return new CoordinatorPlacement(partition, false);
        }
        ensureLoaded(partition, leader.get());
        return new CoordinatorPlacement(partition, true);
    }

    /** Loads every offsets partition this broker leads, if the topic exists (at startup). */
    public void loadLocalPartitions() {
        Optional<TopicDefinition> topic = cluster.topic(TOPIC);
        if (topic.isEmpty()) {
            return;
        }
        for (int p = 0; p < topic.get().partitions(); p++) {
            int partition = p;
            replicas.partition(new TopicPartition(TOPIC, p)).filter(Partition::isLeader)
                    .ifPresent(leader -> ensureLoaded(partition, leader));
        }
    }

    /** The offsets topic's partition count, creating the topic if it does not exist yet. */
    int partitionCount() {
        Optional<TopicDefinition> existing = cluster.topic(TOPIC);
        if (existing.isPresent()) {
            return existing.get().partitions();
        }
        synchronized (this) {
            if (cluster.topic(TOPIC).isEmpty()) {
                try {
                    int factor = replicationFactor > 0 ? replicationFactor
                            : Math.max(1, Math.min(3, cluster.liveBrokers().size()));
                    topics.createTopic(TOPIC, configuredPartitions, factor, Map.of(LogConfig.CLEANUP_POLICY, "compact"));
                    LOG.info("Created {} with {} partitions, replication factor {}", TOPIC, configuredPartitions, factor);
                } catch (TributaryException e) {
                    if (e.code() != ErrorCode.TOPIC_ALREADY_EXISTS) {
                        throw e;
                    }
                }
            }
        }
        return cluster.topic(TOPIC).map(TopicDefinition::partitions).orElseThrow(() ->
                new TributaryException(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, TOPIC + " is being created"));
    }

    private void ensureLoaded(int partition, Partition leader) {
        int epoch = leader.state().leaderEpoch();
        Integer loaded = loadedEpochs.get(partition);
        if (loaded != null && loaded == epoch) {
            return;
        }
        synchronized (leader) {
            loaded = loadedEpochs.get(partition);
            if (loaded == null || loaded != epoch) {
                load(partition, leader);
                loadedEpochs.put(partition, epoch);
            }
        }
    }

    /** Rebuilds the cache of every group in {@code partition} from the log. */
    private void load(int partition, Partition leader) {
        int count = partitionCount();
        cache.keySet().removeIf(group -> CoordinatorPlacement.partitionFor(group, count) == partition);
        long offset = leader.logStartOffset();
        long end = leader.highWatermark();
        int records = 0;
        while (offset < end) {
            LogReadResult read = leader.read(offset, LOAD_READ_BYTES);
            long before = offset;
            for (RecordBatch batch : read.records().batches()) {
                for (Record record : batch) {
                    if (record.offset() >= offset && record.hasKey()) {
                        replay(record);
                        records++;
                    }
                }
                offset = Math.max(offset, batch.nextOffset());
            }
            if (offset == before) {
                break;
            }
        }
        LOG.info("Loaded offsets partition {}: {} records up to offset {}, {} groups", partition, records, end,
                cache.keySet().stream().filter(g -> CoordinatorPlacement.partitionFor(g, count) == partition).count());
    }

    private void replay(Record record) {
        OffsetCommitRecords.Key key = OffsetCommitRecords.readKey(record.key());
        if (key == null) {
            return;
        }
        if (!record.hasValue()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = cache.get(key.group());
            if (offsets != null) {
                offsets.remove(key.partition());
                if (offsets.isEmpty()) {
                    cache.remove(key.group());
                }
            }
            return;
        }
        cache.computeIfAbsent(key.group(), g -> new ConcurrentHashMap<>())
                .put(key.partition(), OffsetCommitRecords.readValue(record.value()));
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(String group) {
        Map<TopicPartition, OffsetAndMetadata> offsets = cache.get(group);
        return offsets == null ? Map.of() : Collections.unmodifiableMap(offsets);
    }

    @Override
    public CompletableFuture<Void> commit(String group, Map<TopicPartition, OffsetAndMetadata> offsets) {
        long now = System.currentTimeMillis();
        List<ProduceRecord> records = new ArrayList<>(offsets.size());
        int partition = CoordinatorPlacement.partitionFor(group, partitionCount());
        offsets.forEach((tp, o) -> records.add(new ProduceRecord(OffsetCommitRecords.key(group, tp),
                OffsetCommitRecords.value(o), Header.EMPTY, partition, now)));
        return batcher(partition).submit(records, () -> cache.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                .putAll(offsets));
    }

    @Override
    public CompletableFuture<Void> deleteGroup(String group) {
        Set<TopicPartition> keys = Set.copyOf(committed(group).keySet());
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long now = System.currentTimeMillis();
        int partition = CoordinatorPlacement.partitionFor(group, partitionCount());
        List<ProduceRecord> tombstones = keys.stream().map(tp -> new ProduceRecord(OffsetCommitRecords.key(group, tp),
                null, Header.EMPTY, partition, now)).collect(Collectors.toList());
        return batcher(partition).submit(tombstones, () -> {
            Map<TopicPartition, OffsetAndMetadata> offsets = cache.get(group);
            if (offsets != null) {
                keys.forEach(offsets::remove);
                if (offsets.isEmpty()) {
                    cache.remove(group);
                }
            }
        });
    }

    @Override
    public Set<String> groups() {
        return Set.copyOf(cache.keySet());
    }

    private CommitBatcher batcher(int partition) {
        return batchers.computeIfAbsent(partition, p -> new CommitBatcher(records ->
                produce.produce(TOPIC, records, Acks.ALL, true)));
    }
}
