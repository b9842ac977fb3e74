package io.tributary.replication;

import io.tributary.cluster.PartitionState;
import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.AppendResult;
import io.tributary.log.LogConfig;
import io.tributary.log.MemoryPartitionLog;
import io.tributary.log.MockTime;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.RecordBatchBuilder;
import io.tributary.log.record.SimpleRecord;
import io.tributary.replication.ReplicationMessages.PartitionData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The leader's rules: high watermark over the ISR, ISR changes, acks=all and min.insync.replicas. */
class PartitionTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final List<Integer> REPLICAS = List.of(1, 2, 3);

    private record Proposal(PartitionState expected, List<Integer> isr) {
    }

    private final MockTime time = new MockTime();
    private final List<Proposal> proposals = new ArrayList<>();
    private final ReplicationConfig config = new ReplicationConfig("127.0.0.1", 0, 1_000, 100, 1 << 20, 1, 5_000, 1_000);
    private Partition partition;

    @BeforeEach
    void setUp() {
        partition = new Partition(TP, new MemoryPartitionLog(TP, LogConfig.defaults(), time), 1, false, time, config,
                (p, expected, isr) -> proposals.add(new Proposal(expected, isr)));
    }

    private static MemoryRecords records(String... values) {
        SimpleRecord[] rs = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            rs[i] = SimpleRecord.of(1, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return RecordBatchBuilder.withRecords(0, rs);
    }

    private void lead(List<Integer> isr, int version) {
        partition.makeLeader(new PartitionState(1, 3, isr, version), REPLICAS);
    }

    @Test
    void theHighWatermarkIsTheLowestLogEndOverTheIsrAndNeverGoesBack() {
        lead(List.of(1, 2, 3), 0);
        partition.appendAsLeader(records("a", "b", "c"), Acks.LEADER).join();
        assertThat(partition.highWatermark()).isZero();

        partition.readForFollower(2, 3, 1024);
        assertThat(partition.highWatermark()).isZero();
        partition.readForFollower(3, 2, 1024);
        assertThat(partition.highWatermark()).isEqualTo(2);
        partition.readForFollower(3, 3, 1024);
        assertThat(partition.highWatermark()).isEqualTo(3);

        lead(List.of(1, 2, 3), 1);
        partition.readForFollower(2, 1, 1024);
        assertThat(partition.highWatermark()).as("never backwards").isEqualTo(3);
    }

    @Test
    void acksAllCompletesOnlyWhenTheHighWatermarkPassesTheRecords() {
        lead(List.of(1, 2), 0);
        CompletableFuture<AppendResult> ack = partition.appendAsLeader(records("a", "b"), Acks.ALL);

        assertThat(ack).isNotDone();
        partition.readForFollower(2, 1, 1024);
        assertThat(ack).isNotDone();
        partition.readForFollower(2, 2, 1024);
        assertThat(ack).isCompleted();
        assertThat(ack.join().lastOffset()).isEqualTo(1);
    }

    @Test
    void acksAllBelowMinInsyncReplicasIsRefusedBeforeAnythingIsWritten() {
        partition.setMinInsyncReplicas(2);
        lead(List.of(1), 0);

        assertThatThrownBy(() -> partition.appendAsLeader(records("a"), Acks.ALL))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_ENOUGH_REPLICAS));
        assertThat(partition.logEndOffset()).isZero();

        partition.appendAsLeader(records("b"), Acks.LEADER).join();
        assertThat(partition.highWatermark()).as("not exposed with fewer in-sync replicas than the minimum").isZero();
    }

    @Test
    void losingLeadershipFailsWaitingAcksAndRefusesAppends() {
        lead(List.of(1, 2), 0);
        CompletableFuture<AppendResult> ack = partition.appendAsLeader(records("a"), Acks.ALL);

        partition.stopLeading();

        assertThat(ack).isCompletedExceptionally();
        assertThatThrownBy(() -> partition.appendAsLeader(records("b"), Acks.LEADER))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_LEADER));
        assertThat(partition.readForFollower(2, 0, 1024).error()).isEqualTo(ErrorCode.NOT_LEADER.name());
    }

    @Test
    void aFollowerThatStopsFetchingIsProposedOutOfTheIsrAfterTheLagTime() {
        lead(List.of(1, 2, 3), 0);
        partition.appendAsLeader(records("a"), Acks.LEADER).join();
        partition.readForFollower(2, 1, 1024);
        partition.readForFollower(3, 1, 1024);

        time.advance(600);
        partition.readForFollower(2, 1, 1024);
        partition.maybeShrinkIsr();
        assertThat(proposals).isEmpty();

        time.advance(600);
        partition.maybeShrinkIsr();
        assertThat(proposals).singleElement().satisfies(p -> assertThat(p.isr()).containsExactly(1, 2));
    }

    @Test
    void aCaughtUpFollowerIsProposedBackIntoTheIsr() {
        lead(List.of(1, 2), 0);
        partition.appendAsLeader(records("a", "b"), Acks.LEADER).join();
        partition.readForFollower(2, 2, 1024);

        PartitionData data = partition.readForFollower(3, 0, 1024);
        assertThat(data.ok()).isTrue();
        assertThat(data.records().sizeInBytes()).isPositive();
        assertThat(proposals).isEmpty();

        partition.readForFollower(3, 2, 1024);
        assertThat(proposals).singleElement().satisfies(p -> assertThat(p.isr()).containsExactly(1, 2, 3));
        partition.readForFollower(3, 2, 1024);
        assertThat(proposals).as("one proposal at a time").hasSize(1);
    }

    @Test
    void aFollowersHighWatermarkIsTheLeadersCappedAtItsLogEnd() {
        partition.makeFollower(new PartitionState(2, 3, List.of(2, 1), 0));
        partition.appendAsFollower(RecordBatchBuilder.withRecords(0, SimpleRecord.of(1, null, new byte[]{1}),
                SimpleRecord.of(1, null, new byte[]{2}))).join();

        partition.updateFollowerHighWatermark(7);
        assertThat(partition.highWatermark()).isEqualTo(2);
        partition.updateFollowerHighWatermark(1);
        assertThat(partition.highWatermark()).isEqualTo(2);
    }
}
