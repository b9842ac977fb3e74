package io.tributary.group;

import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.record.Record;
import io.tributary.service.FetchResult;
import io.tributary.service.FetchService;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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

    /** How long a poll waits before trying a partition again that had no reachable leader. */
    private static final long UNREADABLE_PAUSE_MS = 200;

    private final GroupCoordinator coordinator;
    private final FetchService fetcher;
    private final AtomicInteger rotation = new AtomicInteger();

    public MemberFetcher(GroupCoordinator coordinator, FetchService fetcher) {
        this.coordinator = coordinator;
        this.fetcher = fetcher;
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
        List<TopicPartition> partitions = new ArrayList<>(snapshot.positions().keySet());
        partitions.sort(PartitionOrder.ORDER);
        int start = partitions.isEmpty() ? 0 : Math.floorMod(rotation.getAndIncrement(), partitions.size());
        List<TopicPartition> order = new ArrayList<>(partitions.size());
        for (int i = 0; i < partitions.size(); i++) {
            order.add(partitions.get((start + i) % partitions.size()));
        }
        Reads reads = new Reads(maxRecords, maxBytes);
        CompletableFuture<Reads> chain = CompletableFuture.completedFuture(reads);
        for (TopicPartition tp : order) {
            long position = snapshot.positions().get(tp);
            chain = chain.thenCompose(r -> r.full() ? CompletableFuture.completedFuture(r)
                    : readOne(group, memberId, tp, position, r));
        }
        return chain.thenCompose(r -> {
            long remaining = deadlineNanos - System.nanoTime();
            if (!r.read.isEmpty() || remaining <= 0) {
                return CompletableFuture.completedFuture(finish(group, memberId, snapshot, r.read));
            }
            List<CompletableFuture<?>> wakeups = new ArrayList<>();
            wakeups.add(snapshot.change());
            if (r.reset) {
                wakeups.add(CompletableFuture.completedFuture(null));
            }
            long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining));
            order.forEach(tp -> wakeups.add(longPoll(tp, snapshot.positions().get(tp), waitMs)));
            return CompletableFuture.anyOf(wakeups.toArray(CompletableFuture[]::new))
                    .orTimeout(remaining, TimeUnit.NANOSECONDS)
                    .handle((ok, timeout) -> null)
                    .thenCompose(ignored -> attempt(group, memberId, token,
                            coordinator.poll(group, memberId, token, true), maxRecords, maxBytes, deadlineNanos));
        });
    }

    /** What one attempt has read so far, and the budget left. Confined to the attempt's chain. */
    private static final class Reads {
        final Map<TopicPartition, FetchResult> read = new HashMap<>();
        int records;
        int bytes;
        boolean reset;

        Reads(int records, int bytes) {
            this.records = records;
            this.bytes = bytes;
        }

        boolean full() {
            return records <= 0 || bytes <= 0;
        }
    }

    /**
     * Reads what {@code tp} has now, here or at its leader. A position outside the log is reset
     * by the coordinator's policy; a partition without a reachable leader reads nothing this time.
     */
    private CompletableFuture<Reads> readOne(String group, String memberId, TopicPartition tp, long position, Reads r) {
        CompletableFuture<FetchResult> fetch;
        try {
            fetch = fetcher.fetch(tp, position, r.records, r.bytes, 0);
        } catch (RuntimeException e) {
            fetch = CompletableFuture.failedFuture(e);
        }
        return fetch.handle((result, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof OffsetOutOfRangeException) {
                coordinator.resetPosition(group, memberId, tp, position);
                r.reset = true;
            } else if (cause == null && !result.records().isEmpty()) {
                r.read.put(tp, result);
                r.records -= result.records().size();
                r.bytes -= result.records().stream().mapToInt(Record::sizeInBytes).sum();
            }
            return r;
        });
    }

    /**
     * Completes when {@code tp} may have something at {@code position}: the leader's long poll
     * answered. A partition that cannot be read now (no leader) wakes the poll after a pause, not
     * at once, so a leaderless partition does not spin it.
     */
    private CompletableFuture<?> longPoll(TopicPartition tp, long position, long waitMs) {
        CompletableFuture<FetchResult> poll;
        try {
            poll = fetcher.fetch(tp, position, 1, 1, waitMs);
        } catch (RuntimeException e) {
            poll = CompletableFuture.failedFuture(e);
        }
        return poll.exceptionallyCompose(e -> CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(Math.min(waitMs, UNREADABLE_PAUSE_MS), TimeUnit.MILLISECONDS))
                .thenApply(ignored -> null));
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
