package io.tributary.group;

import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.record.Record;
import io.tributary.replication.Partition;
import io.tributary.replication.ReplicaManager;
import io.tributary.service.FetchResult;
import io.tributary.service.FetchService;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long-polling fetch for REST members. The member's partitions and positions come from the
 * coordinator, not from the request, so any request of the member (on any broker front) continues
 * where the last one stopped. When there is nothing to read it waits for a high-watermark advance
 * on any of its partitions, a change of its assignment, or {@code maxWaitMs}.
 *
 * <p>Records are handed out only through {@link GroupCoordinator#endPoll}, which keeps just the
 * partitions the member still owns at the position the read started from: a partition revoked (or
 * read by a concurrent request) while the read was in flight delivers nothing. That is why REST
 * members can confirm a revocation at once. Thread safety: thread-safe.
 */
public final class MemberFetcher {

    /** Records of one partition, in offset order. */
    public record PartitionRecords(TopicPartition partition, List<Record> records) {
    }

    /** What a member's fetch returns: its generation and positions after the fetch, and the records. */
    public record MemberRecords(String memberId, int generation, Map<TopicPartition, Long> positions,
                                List<PartitionRecords> records) {
    }

    private final GroupCoordinator coordinator;
    private final ReplicaManager replicas;
    private final AtomicInteger rotation = new AtomicInteger();

    public MemberFetcher(GroupCoordinator coordinator, ReplicaManager replicas) {
        this.coordinator = coordinator;
        this.replicas = replicas;
    }

    public CompletableFuture<MemberRecords> fetch(String group, String memberId, String token, int maxRecords,
                                                  int maxBytes, long maxWaitMs) {
        if (maxRecords < 1 || maxBytes < 1 || maxWaitMs < 0) {
            throw new TributaryException(io.tributary.common.ErrorCode.INVALID_REQUEST,
                    "maxRecords and maxBytes must be positive, maxWaitMs not negative");
        }
        GroupCoordinator.PollSnapshot snapshot = coordinator.poll(group, memberId, token, false);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        return attempt(group, memberId, token, snapshot, maxRecords, maxBytes, deadline)
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        coordinator.endPoll(group, memberId, Map.of(), Map.of());
                    }
                });
    }

    private CompletableFuture<MemberRecords> attempt(String group, String memberId, String token,
                                                     GroupCoordinator.PollSnapshot snapshot, int maxRecords,
                                                     int maxBytes, long deadlineNanos) {
        List<CompletableFuture<?>> wakeups = new ArrayList<>();
        wakeups.add(snapshot.change());
        Map<TopicPartition, FetchResult> read = new HashMap<>();
        int records = maxRecords;
        int bytes = maxBytes;
        List<TopicPartition> partitions = new ArrayList<>(snapshot.positions().keySet());
        partitions.sort(PartitionOrder.ORDER);
        int start = partitions.isEmpty() ? 0 : Math.floorMod(rotation.getAndIncrement(), partitions.size());
        for (int i = 0; i < partitions.size() && records > 0 && bytes > 0; i++) {
            TopicPartition tp = partitions.get((start + i) % partitions.size());
            long position = snapshot.positions().get(tp);
            Partition partition;
            try {
                partition = replicas.leaderPartition(tp);
            } catch (TributaryException e) {
                continue;
            }
            wakeups.add(partition.nextHighWatermarkAdvance());
            FetchResult result;
            try {
                result = FetchService.readNow(partition, position, records, bytes);
            } catch (OffsetOutOfRangeException e) {
                coordinator.resetPosition(group, memberId, tp, position);
                wakeups.add(CompletableFuture.completedFuture(null));
                continue;
            }
            if (!result.records().isEmpty()) {
                read.put(tp, result);
                records -= result.records().size();
                bytes -= result.records().stream().mapToInt(Record::sizeInBytes).sum();
            }
        }
        long remaining = deadlineNanos - System.nanoTime();
        if (!read.isEmpty() || remaining <= 0) {
            return CompletableFuture.completedFuture(finish(group, memberId, snapshot, read));
        }
        return CompletableFuture.anyOf(wakeups.toArray(CompletableFuture[]::new))
                .orTimeout(remaining, TimeUnit.NANOSECONDS)
                .handle((ok, timeout) -> null)
                .thenCompose(ignored -> attempt(group, memberId, token, coordinator.poll(group, memberId, token, true),
                        maxRecords, maxBytes, deadlineNanos));
    }

    private MemberRecords finish(String group, String memberId, GroupCoordinator.PollSnapshot snapshot,
                                 Map<TopicPartition, FetchResult> read) {
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        read.forEach((tp, r) -> {
            from.put(tp, snapshot.positions().get(tp));
            next.put(tp, r.nextOffset());
        });
        Set<TopicPartition> accepted = coordinator.endPoll(group, memberId, from, next);
        List<PartitionRecords> delivered = new ArrayList<>();
        Map<TopicPartition, Long> positions = new HashMap<>(snapshot.positions());
        read.entrySet().stream().sorted(Map.Entry.comparingByKey(PartitionOrder.ORDER)).forEach(e -> {
            if (accepted.contains(e.getKey())) {
                delivered.add(new PartitionRecords(e.getKey(), e.getValue().records()));
                positions.put(e.getKey(), e.getValue().nextOffset());
            }
        });
        positions.keySet().removeIf(tp -> read.containsKey(tp) && !accepted.contains(tp));
        return new MemberRecords(memberId, snapshot.generation(), positions, delivered);
    }
}
