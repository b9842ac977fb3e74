package io.tributary.service;

import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.SimpleRecord;
import io.tributary.replication.Acks;
import io.tributary.replication.Partition;
import io.tributary.replication.TestPartitions;
import io.tributary.replication.TestPartitions.HeldLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The delivery loop of a consume session over real partitions whose high watermark the test holds. */
class ConsumeSessionTest {

    private static final TopicPartition TP0 = new TopicPartition("t", 0);
    private static final TopicPartition TP1 = new TopicPartition("t", 1);

    private final Map<TopicPartition, HeldLog> logs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final ExecutorService reader = Executors.newFixedThreadPool(2);
    private final RecordingSink sink = new RecordingSink();
    private volatile boolean leading = true;
    private volatile boolean deleted;
    private final java.util.concurrent.atomic.AtomicInteger lookupsWhileNotLeading = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void partitions() {
        for (TopicPartition tp : List.of(TP0, TP1)) {
            HeldLog log = new HeldLog(tp);
            logs.put(tp, log);
            partitions.put(tp, TestPartitions.leader(tp, log));
        }
    }

    @AfterEach
    void stop() {
        reader.shutdownNow();
    }

    private ConsumeSession open(int maxChunkBytes, boolean credit) {
        return new ConsumeSession(PartitionSources.localOnly(tp -> {
            if (deleted) {
                throw new TributaryException(ErrorCode.TOPIC_NOT_FOUND, "no topic " + tp.topic());
            }
            if (!leading) {
                lookupsWhileNotLeading.incrementAndGet();
                throw new TributaryException(ErrorCode.NOT_LEADER, "not leading " + tp);
            }
            return partitions.get(tp);
        }), reader, sink, new ConsumeSession.Options(maxChunkBytes, 10_000, credit),
                ConsumeSession.DeliveryListener.NONE, s -> { });
    }

    private void append(TopicPartition tp, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = SimpleRecord.of("k" + i, "v" + i);
        }
        partitions.get(tp).appendAsLeader(MemoryRecords.withRecords(0, records), Acks.LEADER).join();
    }

    @Test
    void deliversNothingAtOrAboveTheHighWatermarkAndWakesWhenItMoves() {
        logs.get(TP0).holdAt(4);
        append(TP0, 4);
        append(TP0, 3);
        append(TP0, 3);
        assertThat(partitions.get(TP0).highWatermark()).isEqualTo(4);
        ConsumeSession session = open(1 << 20, false);
        session.assign(Map.of(TP0, 0L));

        assertThat(offsets(sink.next(), TP0)).containsExactly(0L, 1L, 2L, 3L);

        logs.get(TP0).holdAt(7);
        TestPartitions.advance(partitions.get(TP0));
        assertThat(offsets(sink.next(), TP0)).containsExactly(4L, 5L, 6L);
        await().until(() -> session.positions().get(TP0) == 7L);

        logs.get(TP0).holdAt(-1);
        append(TP0, 1);
        assertThat(offsets(sink.next(), TP0)).containsExactly(7L, 8L, 9L, 10L);
    }

    @Test
    void keepsOneChunkInFlightAndReadsOnlyAfterItIsWritten() {
        sink.manual = true;
        append(TP0, 200);
        ConsumeSession session = open(1, false); // one batch per chunk
        session.assign(Map.of(TP0, 0L));
        List<Long> seen = new ArrayList<>();
        append(TP0, 200);
        for (int i = 0; seen.size() < 400; i++) {
            ConsumeSession.Chunk chunk = sink.next();
            assertThat(session.stats().chunksInFlight()).isEqualTo(1);
            seen.addAll(offsets(chunk, TP0));
            sink.completeLast();
        }
        assertThat(seen).hasSize(400).isSorted().doesNotHaveDuplicates();
        assertThat(session.stats().maxChunksInFlight()).isEqualTo(1);
    }

    @Test
    void revokeCompletesOnlyOnceTheChunkInFlightIsWritten() {
        sink.manual = true;
        append(TP0, 5);
        ConsumeSession session = open(1 << 20, false);
        session.assign(Map.of(TP0, 0L, TP1, 0L));
        assertThat(offsets(sink.next(), TP0)).hasSize(5);

        CompletableFuture<Void> revoked = session.revoke(Set.of(TP0));
        assertThat(revoked).isNotDone();
        assertThat(session.revoke(Set.of(new TopicPartition("t", 9)))).isDone();
        sink.completeLast();
        assertThat(revoked).succeedsWithin(WAIT);

        append(TP0, 3);
        append(TP1, 2);
        ConsumeSession.Chunk next = sink.next();
        assertThat(next.partitions()).extracting(ConsumeSession.PartitionRecords::topicPartition).containsOnly(TP1);
        assertThat(session.positions()).containsOnlyKeys(TP1);
    }

    @Test
    void creditBoundsMessagesAndBytesAndNothingFlowsBeforeTheFirstGrant() {
        append(TP0, 10); // values "v0".."v9", keys "k0".."k9": 4 payload bytes each
        ConsumeSession session = open(1 << 20, true);
        session.assign(Map.of(TP0, 0L));
        session.addCredit(3L, null);
        assertThat(offsets(sink.next(), TP0)).containsExactly(0L, 1L, 2L);

        session.addCredit(100L, 9L); // bytes allow two records, not three
        ConsumeSession.Chunk chunk = sink.next();
        assertThat(offsets(chunk, TP0)).containsExactly(3L, 4L);
        assertThat(chunk.payloadBytes()).isEqualTo(8);

        session.addCredit(null, 1000L);
        assertThat(offsets(sink.next(), TP0)).containsExactly(5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void pausedPartitionsAreSkippedUntilResumedAndSeekMoves() {
        ConsumeSession session = open(1 << 20, false);
        session.assign(Map.of(TP0, 0L, TP1, 0L));
        session.pause(List.of(TP0));
        append(TP0, 3);
        append(TP1, 2);
        ConsumeSession.Chunk chunk = sink.next();
        assertThat(chunk.partitions()).extracting(ConsumeSession.PartitionRecords::topicPartition).containsOnly(TP1);

        session.seek(TP0, 1);
        session.resume(List.of());
        assertThat(offsets(sink.next(), TP0)).containsExactly(1L, 2L);
    }

    @Test
    void aPartitionWhoseLeadershipMovesAwayAndBackContinuesFromItsPositionWithoutLossOrRepeat() {
        ConsumeSession session = open(1 << 20, false);
        session.assign(Map.of(TP0, 0L));
        append(TP0, 2);
        assertThat(offsets(sink.next(), TP0)).containsExactly(0L, 1L);

        leading = false;
        TestPartitions.stopLeading(partitions.get(TP0));
        await().until(() -> lookupsWhileNotLeading.get() >= 2);
        assertThat(session.isClosed()).isFalse();

        TestPartitions.leadAgain(partitions.get(TP0));
        leading = true;
        append(TP0, 2);
        assertThat(offsets(sink.next(), TP0)).containsExactly(2L, 3L);
        assertThat(sink.failure.get()).isNull();
    }

    @Test
    void aDeletedTopicEndsTheSessionWithTheError() {
        ConsumeSession session = open(1 << 20, false);
        session.assign(Map.of(TP0, 0L));
        append(TP0, 1);
        assertThat(offsets(sink.next(), TP0)).containsExactly(0L);

        deleted = true;
        TestPartitions.stopLeading(partitions.get(TP0));
        await().until(() -> sink.failure.get() != null);
        assertThat(sink.failure.get().code()).isEqualTo(ErrorCode.TOPIC_NOT_FOUND);
        assertThat(session.isClosed()).isTrue();
    }

    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(10);

    private static List<Long> offsets(ConsumeSession.Chunk chunk, TopicPartition tp) {
        List<Long> offsets = new ArrayList<>();
        for (ConsumeSession.PartitionRecords p : chunk.partitions()) {
            if (p.topicPartition().equals(tp)) {
                p.records().forEach(r -> {
                    offsets.add(r.offset());
                    assertThat(StandardCharsets.UTF_8.decode(r.value()).toString()).startsWith("v");
                });
            }
        }
        return offsets;
    }

    /** Records chunks; completes them at once, or when the test says. */
    private static final class RecordingSink implements ConsumeSession.Sink {
        final BlockingQueue<ConsumeSession.Chunk> chunks = new LinkedBlockingQueue<>();
        final AtomicReference<TributaryException> failure = new AtomicReference<>();
        volatile boolean manual;
        private volatile CompletableFuture<Void> last;

        @Override
        public CompletionStage<?> deliver(ConsumeSession.Chunk chunk) {
            CompletableFuture<Void> written = new CompletableFuture<>();
            last = written;
            chunks.add(chunk);
            if (!manual) {
                written.complete(null);
            }
            return written;
        }

        @Override
        public void failed(TributaryException error) {
            failure.set(error);
        }

        ConsumeSession.Chunk next() {
            try {
                ConsumeSession.Chunk chunk = chunks.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(chunk).as("a chunk within " + WAIT + "; failure: " + failure.get()).isNotNull();
                return chunk;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        void completeLast() {
            last.complete(null);
        }
    }
}
