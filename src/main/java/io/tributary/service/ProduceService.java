package io.tributary.service;

import io.tributary.cluster.ClusterMetadata;
import io.tributary.cluster.TopicDefinition;
import io.tributary.common.ErrorCode;
import io.tributary.common.Time;
import io.tributary.common.TopicName;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.AppendResult;
import io.tributary.log.LogConfig;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.RecordBatch;
import io.tributary.log.record.RecordBatchBuilder;
import io.tributary.log.record.TimestampType;
import io.tributary.replication.Acks;
import io.tributary.replication.Partition;
import io.tributary.replication.ReplicaManager;
import io.tributary.replication.ReplicationMessages;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Producing records to a topic. A request is checked whole before anything is written (topic,
 * partitions, sizes, leadership); then each partition's records become one append of whole batches,
 * so within a partition a request lands entirely or not at all. A partition led by another broker
 * gets its batches, encoded here, forwarded to the leader over the replication channel; the
 * leader's answer (offsets or error code) is passed on as it came. The result lists every record's
 * position in request order. Thread safety: thread-safe.
 */
public final class ProduceService {

    private final ClusterMetadata cluster;
    private final ReplicaManager replicas;
    private final PartitionRouter router;
    private final Partitioner partitioner = new Partitioner();
    private final Time time;

    public ProduceService(ClusterMetadata cluster, ReplicaManager replicas, Time time) {
        this.cluster = cluster;
        this.replicas = replicas;
        this.time = time;
        this.router = new PartitionRouter(cluster);
    }

    /**
     * Appends {@code records} to {@code topic}. The future completes when {@code acks} is met with
     * every record's position (under {@link Acks#NONE}: as soon as the records are handed to the
     * logs, with positions the caller should not rely on).
     */
    public CompletableFuture<List<RecordPosition>> produce(String topic, List<ProduceRecord> records, Acks acks) {
        return produce(topic, records, acks, false);
    }

    /** As {@link #produce(String, List, Acks)}; {@code internal} allows writing to internal topics. */
    public CompletableFuture<List<RecordPosition>> produce(String topic, List<ProduceRecord> records, Acks acks,
                                                           boolean internal) {
        TopicDefinition definition = requireTopic(topic, internal);
        if (records.isEmpty()) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "A produce request needs at least one record");
        }
        int[] partitionOf = choosePartitions(definition, records);
        Map<Integer, List<Integer>> byPartition = new TreeMap<>();
        for (int i = 0; i < records.size(); i++) {
            byPartition.computeIfAbsent(partitionOf[i], p -> new ArrayList<>()).add(i);
        }
        long now = time.milliseconds();
        Map<Integer, Partition> leaders = new TreeMap<>();
        Map<Integer, Integer> remoteLeaders = new TreeMap<>();
        Map<Integer, MemoryRecords> batches = new TreeMap<>();
        for (Map.Entry<Integer, List<Integer>> e : byPartition.entrySet()) {
            TopicPartition tp = new TopicPartition(topic, e.getKey());
            LogConfig config;
            if (router.isLocal(tp)) {
                Partition partition = replicas.leaderPartition(tp);
                leaders.put(e.getKey(), partition);
                config = partition.log().config();
            } else {
                remoteLeaders.put(e.getKey(), router.route(tp).leaderId());
                config = replicas.logConfig(definition);
            }
            batches.put(e.getKey(), encode(topic, config, records, e.getValue(), now));
        }
        RecordPosition[] positions = new RecordPosition[records.size()];
        List<CompletableFuture<?>> appends = new ArrayList<>();
        for (Map.Entry<Integer, MemoryRecords> e : batches.entrySet()) {
            int p = e.getKey();
            List<Integer> indexes = byPartition.get(p);
            CompletableFuture<AppendResult> append = leaders.containsKey(p)
                    ? leaders.get(p).appendAsLeader(e.getValue(), acks)
                    : forward(remoteLeaders.get(p), new TopicPartition(topic, p), e.getValue(), acks);
            appends.add(append.thenAccept(result -> fill(positions, p, indexes, records, result, now)));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new));
        if (acks == Acks.NONE) {
            return CompletableFuture.completedFuture(List.of());
        }
        return all.thenApply(ignored -> List.of(positions));
    }

    /** Sends a partition's batches to its leader on another broker; the answer is the leader's, as it gave it. */
    private CompletableFuture<AppendResult> forward(int leaderId, TopicPartition tp, MemoryRecords batches, Acks acks) {
        return replicas.clients().produce(leaderId, new ReplicationMessages.ProduceRequest(tp, acks, batches),
                        replicas.forwardTimeoutMs())
                .thenApply(r -> {
                    if (!r.error().isEmpty()) {
                        throw ReplicationMessages.toException(r.error(), r.message());
                    }
                    return new AppendResult(r.firstOffset(), r.lastOffset(), r.logAppendTime(), r.records(),
                            batches.sizeInBytes());
                });
    }

    private TopicDefinition requireTopic(String topic, boolean internal) {
        if (!TopicName.isValid(topic)) {
            throw new TributaryException(ErrorCode.INVALID_TOPIC_NAME, "'" + topic + "' is not a valid topic name");
        }
        if (!internal && TopicName.isInternal(topic)) {
            throw new TributaryException(ErrorCode.TOPIC_AUTHORIZATION_FAILED,
                    "Internal topic '" + topic + "' is written by the broker only");
        }
        return cluster.topic(topic).orElseThrow(() ->
                new TributaryException(ErrorCode.TOPIC_NOT_FOUND, "Topic '" + topic + "' does not exist"));
    }

    private int[] choosePartitions(TopicDefinition topic, List<ProduceRecord> records) {
        int count = topic.partitions();
        int[] chosen = new int[records.size()];
        for (int i = 0; i < chosen.length; i++) {
            ProduceRecord r = records.get(i);
            if (r.partition() != null) {
                if (r.partition() < 0 || r.partition() >= count) {
                    throw new TributaryException(ErrorCode.PARTITION_NOT_FOUND, "Topic '" + topic.name() + "' has "
                            + count + " partitions; there is no partition " + r.partition());
                }
                chosen[i] = r.partition();
            } else if (r.key() != null) {
                chosen[i] = Partitioner.partitionForKey(r.key(), count);
            } else {
                chosen[i] = partitioner.nextUnkeyed(count);
            }
        }
        return chosen;
    }

    /**
     * The records of one partition as batches of at most {@code max.message.bytes} each, in one
     * buffer (one append). A single record too large for a batch fails the whole request.
     */
    private static MemoryRecords encode(String topic, LogConfig config, List<ProduceRecord> records,
                                        List<Integer> indexes, long now) {
        List<MemoryRecords> built = new ArrayList<>();
        RecordBatchBuilder builder = null;
        for (int index : indexes) {
            ProduceRecord r = records.get(index);
            long timestamp = r.timestamp() != null ? r.timestamp() : now;
            if (timestamp < 0) {
                throw new TributaryException(ErrorCode.INVALID_RECORD, "A record timestamp cannot be negative: " + timestamp);
            }
            int estimate = RecordBatch.RECORD_BATCH_OVERHEAD + 32 + length(r.key()) + length(r.value()) + headerBytes(r);
            if (estimate > config.maxMessageBytes()) {
                throw new TributaryException(ErrorCode.RECORD_TOO_LARGE, "A record of about " + estimate
                        + " bytes exceeds max.message.bytes (" + config.maxMessageBytes() + ") of topic '" + topic + "'");
            }
            if (builder != null && builder.estimatedSizeInBytes() + estimate > config.maxMessageBytes()) {
                built.add(builder.build());
                builder = null;
            }
            if (builder == null) {
                builder = new RecordBatchBuilder(0, TimestampType.CREATE_TIME, RecordBatch.NO_PRODUCER_ID,
                        RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, RecordBatch.NO_PARTITION_LEADER_EPOCH);
            }
            builder.append(timestamp, r.key(), r.value(), r.headers());
        }
        built.add(builder.build());
        if (built.size() == 1) {
            return built.get(0);
        }
        int size = built.stream().mapToInt(MemoryRecords::sizeInBytes).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        built.forEach(m -> all.put(m.buffer()));
        return MemoryRecords.readableRecords(all.flip());
    }

    private static void fill(RecordPosition[] positions, int partition, List<Integer> indexes, List<ProduceRecord> records,
                             AppendResult result, long now) {
        for (int i = 0; i < indexes.size(); i++) {
            ProduceRecord r = records.get(indexes.get(i));
            long timestamp = result.logAppendTime() >= 0 ? result.logAppendTime()
                    : r.timestamp() != null ? r.timestamp() : now;
            positions[indexes.get(i)] = new RecordPosition(partition, result.firstOffset() + i, timestamp);
        }
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static int headerBytes(ProduceRecord r) {
        int total = 0;
        if (r.headers() != null) {
            for (var h : r.headers()) {
                total += h.key().length() * 3 + length(h.value()) + 10;
            }
        }
        return total;
    }
}
