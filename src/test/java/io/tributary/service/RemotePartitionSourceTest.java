package io.tributary.service;

import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.SimpleRecord;
import io.tributary.replication.ReplicationMessages.FetchRequest;
import io.tributary.replication.ReplicationMessages.FetchResponse;
import io.tributary.replication.ReplicationMessages.PartitionData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The remote source's protocol with the leader: one fetch in flight, answers only for the position
 * asked, the next fetch started as soon as records are handed out, errors mapped so that
 * {@link PartitionSources} can tell a moved leader from a deleted topic.
 */
class RemotePartitionSourceTest {

    private static final TopicPartition TP = new TopicPartition("remote", 0);

    /** A leader whose answers the test gives, request by request. */
    private static final class ScriptedLeader implements RemotePartitionSource.Fetcher {
        final List<FetchRequest> requests = new ArrayList<>();
        final List<CompletableFuture<FetchResponse>> answers = new ArrayList<>();
        int leader = 2;

        @Override
        public CompletableFuture<FetchResponse> fetch(int brokerId, FetchRequest request, long timeoutMs) {
            requests.add(request);
            CompletableFuture<FetchResponse> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        long offsetAsked(int i) {
            return requests.get(i).partitions().get(0).fetchOffset();
        }

        void answer(int i, PartitionData data) {
            answers.get(i).complete(new FetchResponse(List.of(data)));
        }
    }

    private final ScriptedLeader leader = new ScriptedLeader();
    private final RemotePartitionSource source = new RemotePartitionSource(TP, 2, leader, 500, 1_000, tp -> leader.leader);

    private static PartitionData records(long baseOffset, int count, long highWatermark) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = SimpleRecord.of("k", "v" + (baseOffset + i));
        }
        return new PartitionData(TP, "", highWatermark, 0, highWatermark, MemoryRecords.withRecords(baseOffset, records));
    }

    private static PartitionData error(ErrorCode code, long logStart, long highWatermark) {
        return new PartitionData(TP, code.name(), highWatermark, logStart, highWatermark, MemoryRecords.EMPTY);
    }

    @Test
    void answersIdleUntilTheFetchIsBackThenHandsOutItsRecordsAndFetchesTheNextOffsetAtOnce() {
        PartitionSource.Read first = source.read(5, 1 << 20);
        assertThat(first.isIdle()).isTrue();
        assertThat(leader.requests).hasSize(1);
        assertThat(leader.offsetAsked(0)).isEqualTo(5);
        assertThat(source.read(5, 1 << 20).isIdle()).as("still in flight").isTrue();
        assertThat(leader.requests).as("one fetch in flight").hasSize(1);

        leader.answer(0, records(5, 3, 8));
        assertThat(first.wakeUp()).isDone();
        PartitionSource.Read read = source.read(5, 1 << 20);
        assertThat(read.isIdle()).isFalse();
        assertThat(read.highWatermark()).isEqualTo(8);
        assertThat(read.records().batches().iterator().next().baseOffset()).isEqualTo(5);
        assertThat(leader.requests).as("the next offset is fetched while these records go out").hasSize(2);
        assertThat(leader.offsetAsked(1)).isEqualTo(8);
        assertThat(read.wakeUp()).isNotDone();
    }

    @Test
    void anAnswerForAnotherPositionIsDroppedAndTheRightOneFetched() {
        source.read(0, 1 << 20);
        leader.answer(0, records(0, 4, 4));
        PartitionSource.Read seeked = source.read(2, 1 << 20);
        assertThat(seeked.isIdle()).isTrue();
        assertThat(leader.offsetAsked(1)).isEqualTo(2);
    }

    @Test
    void anEmptyLongPollIsAskedAgain() {
        source.read(3, 1 << 20);
        leader.answer(0, new PartitionData(TP, "", 3, 0, 3, MemoryRecords.EMPTY));
        assertThat(source.read(3, 1 << 20).isIdle()).isTrue();
        assertThat(leader.requests).hasSize(2);
        assertThat(leader.offsetAsked(1)).isEqualTo(3);
    }

    @Test
    void errorsComeBackWithTheLeadersCodeAndTransportFailuresAsRetriable() {
        source.read(0, 1 << 20);
        leader.answer(0, error(ErrorCode.NOT_LEADER, 0, 0));
        assertThatThrownBy(() -> source.read(0, 1 << 20)).isInstanceOfSatisfying(TributaryException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_LEADER));

        source.read(0, 1 << 20);
        leader.answers.get(1).completeExceptionally(new IOException("connection reset"));
        assertThatThrownBy(() -> source.read(0, 1 << 20)).isInstanceOfSatisfying(TributaryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BROKER_NOT_AVAILABLE);
            assertThat(e.code().retriable()).isTrue();
        });
    }

    @Test
    void aPositionOutsideTheLeadersLogIsOutOfRangeUpToItsHighWatermark() {
        source.read(1, 1 << 20);
        leader.answer(0, error(ErrorCode.OFFSET_OUT_OF_RANGE, 10, 25));
        assertThatThrownBy(() -> source.read(1, 1 << 20)).isInstanceOfSatisfying(OffsetOutOfRangeException.class, e -> {
            assertThat(e.logStartOffset()).isEqualTo(10);
            assertThat(e.logEndOffset()).isEqualTo(25);
        });
    }

    @Test
    void isCurrentOnlyWhileClusterStateNamesItsBrokerTheLeader() {
        assertThat(source.current()).isTrue();
        leader.leader = 3;
        assertThat(source.current()).isFalse();
    }
}
