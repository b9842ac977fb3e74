package io.tributary.replication;

import io.tributary.replication.ConsistencyReport.Anomaly;
import io.tributary.replication.ConsistencyReport.Kind;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Checks what a replicated topic holds after faults against what its producers were told: every
 * partition, every replica, from offset 0.
 *
 * <p>Inputs. The history: every acknowledged produce as {@link Ack} (producer, that producer's
 * sequence number, partition, acknowledged offset). A producer sends its values in sequence order,
 * one request at a time, and never sends a value twice (a retry after a failure gets a new
 * sequence number), so the value {@code <producer>-<sequence>} identifies one send. And per
 * partition, {@link PartitionReplicas}: which replica leads at the end, that leader's high
 * watermark (the committed end), and each replica's whole log as {@link StoredRecord}s read from
 * offset 0. The checker is meant for a quiet cluster: producers stopped, the ISR full again,
 * replicas caught up, logs read from each broker's own data directory (not through the leader), so
 * a follower's bytes are compared, not the leader's twice.
 *
 * <p>Rules, each an {@link Kind anomaly kind}:
 * <ul>
 *   <li>{@link Kind#MISSING}: an acknowledged value is not below the final leader's high
 *       watermark. {@code acks=all} promised it survives any failure the ISR survives.</li>
 *   <li>{@link Kind#REORDERED}: an acknowledged value is committed at another offset than it was
 *       acknowledged at; or two values one producer had acknowledged in one partition, the second
 *       sent after the first was acknowledged, are stored in the other order.</li>
 *   <li>{@link Kind#DUPLICATED}: a value at two offsets of the leader's log. Values are never sent
 *       twice, so a second copy was made by the cluster.</li>
 *   <li>{@link Kind#DIVERGENT}: below the high watermark a replica holds another value than the
 *       leader at some offset, or lacks offsets the leader has (the committed prefix is the same
 *       on every replica, whatever leader it came from). Offsets at or above the high watermark are
 *       uncommitted and may legitimately differ.</li>
 *   <li>{@link Kind#NOT_DENSE}: a replica's offsets do not run 0, 1, 2, ... without a gap (no
 *       retention or compaction runs on the checked topics).</li>
 * </ul>
 * Values the cluster stored but never acknowledged (a send that failed or timed out) are not
 * anomalies: a failed request may or may not have been written.
 *
 * <p>Thread safety: stateless.
 */
final class ConsistencyChecker {

    /** A record the cluster acknowledged. */
    record Ack(String producer, long sequence, int partition, long offset) {

        String value() {
            return value(producer, sequence);
        }

        static String value(String producer, long sequence) {
            return producer + "-" + sequence;
        }
    }

    /** A record as one replica stores it. */
    record StoredRecord(long offset, String value) {
    }

    /**
     * One partition at the end: its leader, the leader's high watermark, and every replica's
     * records from offset 0 by broker id (the leader's among them).
     */
    record PartitionReplicas(int partition, int leader, long highWatermark, Map<Integer, List<StoredRecord>> replicas) {
        PartitionReplicas {
            replicas = Map.copyOf(replicas);
        }
    }

    private ConsistencyChecker() {
    }

    static ConsistencyReport check(List<Ack> acks, List<PartitionReplicas> partitions) {
        List<Anomaly> anomalies = new ArrayList<>();
        Map<Integer, List<Ack>> acksByPartition = acks.stream().collect(Collectors.groupingBy(Ack::partition, TreeMap::new,
                Collectors.toList()));
        Map<Integer, PartitionReplicas> byPartition = partitions.stream()
                .collect(Collectors.toMap(PartitionReplicas::partition, p -> p, (a, b) -> a, TreeMap::new));
        for (Map.Entry<Integer, List<Ack>> e : acksByPartition.entrySet()) {
            if (!byPartition.containsKey(e.getKey())) {
                e.getValue().forEach(ack -> anomalies.add(new Anomaly(Kind.MISSING, ack.partition(),
                        ack.value() + " acknowledged at " + ack.offset() + ": partition not read")));
            }
        }
        for (PartitionReplicas p : byPartition.values()) {
            checkPartition(p, acksByPartition.getOrDefault(p.partition(), List.of()), anomalies);
        }
        return new ConsistencyReport(acks.size(), byPartition.size(), anomalies);
    }

    private static void checkPartition(PartitionReplicas p, List<Ack> acks, List<Anomaly> out) {
        p.replicas().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(r -> checkDense(p.partition(), r.getKey(), r.getValue(), out));
        List<StoredRecord> leaderLog = p.replicas().get(p.leader());
        if (leaderLog == null) {
            out.add(new Anomaly(Kind.DIVERGENT, p.partition(), "the leader " + p.leader() + "'s log was not read"));
            leaderLog = List.of();
        }
        Map<Long, String> leader = byOffset(leaderLog);
        checkDivergence(p, leader, out);
        Map<String, List<Long>> offsetsByValue = new LinkedHashMap<>();
        leaderLog.forEach(r -> offsetsByValue.computeIfAbsent(r.value(), v -> new ArrayList<>()).add(r.offset()));
        offsetsByValue.forEach((value, offsets) -> {
            if (offsets.size() > 1) {
                out.add(new Anomaly(Kind.DUPLICATED, p.partition(), value + " at offsets " + offsets));
            }
        });
        Map<String, Long> committed = new HashMap<>();
        leaderLog.stream().filter(r -> r.offset() < p.highWatermark()).forEach(r -> committed.putIfAbsent(r.value(), r.offset()));
        for (Ack ack : acks) {
            Long stored = committed.get(ack.value());
            if (stored == null) {
                out.add(new Anomaly(Kind.MISSING, p.partition(), ack.value() + " acknowledged at " + ack.offset()
                        + ", not below the high watermark " + p.highWatermark() + " of leader " + p.leader()
                        + " (which has " + leader.getOrDefault(ack.offset(), "nothing") + " there)"));
            } else if (stored != ack.offset()) {
                out.add(new Anomaly(Kind.REORDERED, p.partition(), ack.value() + " acknowledged at " + ack.offset()
                        + ", stored at " + stored));
            }
        }
        checkProducerOrder(p.partition(), acks, committed, out);
    }

    private static Map<Long, String> byOffset(List<StoredRecord> records) {
        Map<Long, String> map = new HashMap<>();
        records.forEach(r -> map.putIfAbsent(r.offset(), r.value()));
        return map;
    }

    private static void checkDense(int partition, int replica, List<StoredRecord> records, List<Anomaly> out) {
        long expected = 0;
        for (StoredRecord r : records) {
            if (r.offset() != expected) {
                out.add(new Anomaly(Kind.NOT_DENSE, partition, "replica " + replica + " has offset " + r.offset()
                        + " where " + expected + " was due"));
            }
            expected = r.offset() + 1;
        }
    }

    /** Below the high watermark every replica holds what the leader holds, offset by offset. */
    private static void checkDivergence(PartitionReplicas p, Map<Long, String> leader, List<Anomaly> out) {
        long leaderHoles = LongStream.range(0, p.highWatermark()).filter(o -> !leader.containsKey(o)).count();
        if (leaderHoles > 0) {
            out.add(new Anomaly(Kind.DIVERGENT, p.partition(), "leader " + p.leader() + " lacks " + leaderHoles
                    + " offsets below its high watermark " + p.highWatermark()));
        }
        List<Integer> followers = p.replicas().keySet().stream().filter(id -> id != p.leader()).sorted().toList();
        for (int id : followers) {
            Map<Long, String> follower = byOffset(p.replicas().get(id));
            long lacking = 0;
            long differing = 0;
            String first = null;
            for (long o = 0; o < p.highWatermark(); o++) {
                String mine = follower.get(o);
                String theirs = leader.get(o);
                if (mine == null && theirs != null) {
                    lacking++;
                } else if (mine != null && !mine.equals(theirs)) {
                    differing++;
                    if (first == null) {
                        first = "first at " + o + ": " + mine + " where the leader has " + (theirs == null ? "nothing" : theirs);
                    }
                }
            }
            if (lacking > 0) {
                out.add(new Anomaly(Kind.DIVERGENT, p.partition(), "replica " + id + " lacks " + lacking
                        + " offsets below the high watermark " + p.highWatermark() + " that leader " + p.leader() + " has"));
            }
            if (differing > 0) {
                out.add(new Anomaly(Kind.DIVERGENT, p.partition(), "replica " + id + " differs from leader " + p.leader()
                        + " at " + differing + " offsets below the high watermark " + p.highWatermark() + ", " + first));
            }
        }
    }

    /** A producer's acknowledged values, in the order it sent them, are committed at rising offsets. */
    private static void checkProducerOrder(int partition, List<Ack> acks, Map<String, Long> committed, List<Anomaly> out) {
        Map<String, List<Ack>> byProducer = acks.stream().collect(Collectors.groupingBy(Ack::producer, TreeMap::new,
                Collectors.toList()));
        for (List<Ack> sent : byProducer.values()) {
            List<Ack> stored = sent.stream().filter(a -> committed.containsKey(a.value()))
                    .sorted(Comparator.comparingLong(Ack::sequence)).toList();
            for (int i = 1; i < stored.size(); i++) {
                Ack before = stored.get(i - 1);
                Ack after = stored.get(i);
                if (committed.get(before.value()) >= committed.get(after.value())) {
                    out.add(new Anomaly(Kind.REORDERED, partition, after.value() + " stored at " + committed.get(after.value())
                            + ", before " + before.value() + " at " + committed.get(before.value())));
                }
            }
        }
    }
}
