package io.tributary.replication;

import io.tributary.replication.ConsistencyChecker.Ack;
import io.tributary.replication.ConsistencyChecker.PartitionReplicas;
import io.tributary.replication.ConsistencyChecker.StoredRecord;
import io.tributary.replication.ConsistencyReport.Kind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class ConsistencyCheckerTest {

    /** Producer "a" sends 0..n-1 to one partition, each acknowledged at the offset of its sequence. */
    private static List<Ack> acks(int partition, int n) {
        return LongStream.range(0, n).mapToObj(i -> new Ack("a", i, partition, i)).toList();
    }

    private static List<StoredRecord> log(String... values) {
        List<StoredRecord> records = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            records.add(new StoredRecord(i, values[i]));
        }
        return records;
    }

    private static List<StoredRecord> cleanLog(int n) {
        return LongStream.range(0, n).mapToObj(i -> new StoredRecord(i, "a-" + i)).toList();
    }

    /** Leader 1 and followers 2 and 3 hold {@code replica1}, {@code replica2}, {@code replica3}. */
    private static PartitionReplicas partition(long highWatermark, List<StoredRecord> replica1, List<StoredRecord> replica2,
                                               List<StoredRecord> replica3) {
        return new PartitionReplicas(0, 1, highWatermark, Map.of(1, replica1, 2, replica2, 3, replica3));
    }

    @Test
    void aCleanHistoryOnIdenticalReplicasHasNoAnomaly() {
        List<Ack> acks = new ArrayList<>(acks(0, 5));
        acks.add(new Ack("b", 0, 1, 0));
        acks.add(new Ack("b", 2, 1, 2));
        PartitionReplicas other = new PartitionReplicas(1, 2, 3, Map.of(
                1, log("b-0", "b-1", "b-2"), 2, log("b-0", "b-1", "b-2"), 3, log("b-0", "b-1", "b-2")));

        ConsistencyReport report = ConsistencyChecker.check(acks,
                List.of(partition(5, cleanLog(5), cleanLog(5), cleanLog(5)), other));

        assertThat(report.anomalies()).isEmpty();
        assertThat(report.isClean()).isTrue();
        assertThat(report.acknowledged()).isEqualTo(7);
        assertThat(report.partitions()).isEqualTo(2);
    }

    @Test
    void unacknowledgedRecordsAndAnUncommittedTailThatDiffersAreNotAnomalies() {
        List<Ack> acks = List.of(new Ack("a", 0, 0, 0), new Ack("a", 2, 0, 2));

        ConsistencyReport report = ConsistencyChecker.check(acks,
                List.of(partition(3, log("a-0", "a-1", "a-2", "a-3"), log("a-0", "a-1", "a-2", "x-9"), log("a-0", "a-1", "a-2"))));

        assertThat(report.anomalies()).isEmpty();
    }

    @Test
    void anAcknowledgedRecordAbsentFromTheLeaderIsMissing() {
        ConsistencyReport report = ConsistencyChecker.check(acks(0, 5),
                List.of(partition(3, cleanLog(3), cleanLog(3), cleanLog(3))));

        assertThat(report.count(Kind.MISSING)).isEqualTo(2);
        assertThat(report.anomalies()).allMatch(a -> a.kind() == Kind.MISSING);
        assertThat(report.anomalies().get(0).detail()).startsWith("a-3 acknowledged at 3");
    }

    @Test
    void anAcknowledgedRecordAboveTheHighWatermarkIsMissing() {
        ConsistencyReport report = ConsistencyChecker.check(acks(0, 5),
                List.of(partition(4, cleanLog(5), cleanLog(4), cleanLog(4))));

        assertThat(report.counts()).containsEntry(Kind.MISSING, 1L).containsEntry(Kind.DIVERGENT, 0L);
    }

    @Test
    void aPartitionThatWasNotReadMakesItsAcknowledgedRecordsMissing() {
        ConsistencyReport report = ConsistencyChecker.check(acks(1, 2), List.of(partition(0, log(), log(), log())));

        assertThat(report.count(Kind.MISSING)).isEqualTo(2);
    }

    @Test
    void aValueAtTwoOffsetsIsDuplicated() {
        List<StoredRecord> doubled = log("a-0", "a-1", "a-1", "a-2");

        ConsistencyReport report = ConsistencyChecker.check(List.of(new Ack("a", 0, 0, 0), new Ack("a", 1, 0, 1)),
                List.of(partition(4, doubled, doubled, doubled)));

        assertThat(report.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.DUPLICATED);
            assertThat(a.detail()).isEqualTo("a-1 at offsets [1, 2]");
        });
    }

    @Test
    void anAcknowledgedRecordStoredAtAnotherOffsetIsReordered() {
        List<StoredRecord> shifted = log("x-0", "a-0", "a-1");

        ConsistencyReport report = ConsistencyChecker.check(List.of(new Ack("a", 0, 0, 0), new Ack("a", 1, 0, 1)),
                List.of(partition(3, shifted, shifted, shifted)));

        assertThat(report.count(Kind.REORDERED)).isEqualTo(2);
        assertThat(report.anomalies()).extracting(ConsistencyReport.Anomaly::detail)
                .containsExactly("a-0 acknowledged at 0, stored at 1", "a-1 acknowledged at 1, stored at 2");
    }

    @Test
    void oneProducersRecordsStoredOutOfSequenceAreReordered() {
        List<StoredRecord> swapped = log("a-0", "a-2", "a-1");
        List<Ack> acks = List.of(new Ack("a", 0, 0, 0), new Ack("a", 1, 0, 2), new Ack("a", 2, 0, 1));

        ConsistencyReport report = ConsistencyChecker.check(acks, List.of(partition(3, swapped, swapped, swapped)));

        assertThat(report.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.REORDERED);
            assertThat(a.detail()).isEqualTo("a-2 stored at 1, before a-1 at 2");
        });
    }

    @Test
    void differentProducersMayInterleaveInAnyOrder() {
        List<StoredRecord> interleaved = log("b-1", "a-0", "b-0");
        List<Ack> acks = List.of(new Ack("b", 1, 0, 0), new Ack("a", 0, 0, 1));

        ConsistencyReport report = ConsistencyChecker.check(acks, List.of(partition(3, interleaved, interleaved, interleaved)));

        assertThat(report.anomalies()).isEmpty();
    }

    @Test
    void aFollowerWithOtherRecordsBelowTheHighWatermarkIsDivergent() {
        ConsistencyReport report = ConsistencyChecker.check(acks(0, 2),
                List.of(partition(3, cleanLog(3), log("a-0", "b-7", "a-2"), cleanLog(3))));

        assertThat(report.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.DIVERGENT);
            assertThat(a.detail()).contains("replica 2 differs from leader 1 at 1 offsets", "first at 1: b-7 where the leader has a-1");
        });
    }

    @Test
    void aFollowerWithRecordsTheLeaderLacksBelowTheHighWatermarkIsDivergent() {
        List<StoredRecord> leader = log("a-0", "a-1");

        ConsistencyReport report = ConsistencyChecker.check(acks(0, 2),
                List.of(partition(3, leader, log("a-0", "a-1", "a-2"), leader)));

        assertThat(report.count(Kind.DIVERGENT)).isEqualTo(2);
        assertThat(report.anomalies()).extracting(ConsistencyReport.Anomaly::detail).containsExactly(
                "leader 1 lacks 1 offsets below its high watermark 3",
                "replica 2 differs from leader 1 at 1 offsets below the high watermark 3, first at 2: a-2 where the leader has nothing");
    }

    @Test
    void aFollowerShortOfTheHighWatermarkIsDivergent() {
        ConsistencyReport report = ConsistencyChecker.check(acks(0, 4),
                List.of(partition(4, cleanLog(4), cleanLog(4), cleanLog(2))));

        assertThat(report.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Kind.DIVERGENT);
            assertThat(a.detail()).startsWith("replica 3 lacks 2 offsets below the high watermark 4");
        });
    }

    @Test
    void aGapInAReplicasOffsetsIsNotDense() {
        List<StoredRecord> gap = List.of(new StoredRecord(0, "a-0"), new StoredRecord(2, "a-1"));

        ConsistencyReport report = ConsistencyChecker.check(List.of(new Ack("a", 0, 0, 0)),
                List.of(partition(1, gap, gap, cleanLog(1))));

        assertThat(report.count(Kind.NOT_DENSE)).isEqualTo(2);
        assertThat(report.anomalies().get(0).detail()).isEqualTo("replica 1 has offset 2 where 1 was due");
        assertThat(report.count(Kind.DIVERGENT)).isZero();
    }

    @Test
    void theSummaryNamesEveryKindAndTheFirstAnomalies() {
        ConsistencyReport report = ConsistencyChecker.check(acks(0, 3),
                List.of(partition(1, cleanLog(1), cleanLog(1), cleanLog(1))));

        assertThat(report.toString()).startsWith("3 acknowledged records over 1 partitions, anomalies {MISSING=2, "
                + "DUPLICATED=0, REORDERED=0, DIVERGENT=0, NOT_DENSE=0}").contains("MISSING p0: a-1 acknowledged at 1");
    }
}
