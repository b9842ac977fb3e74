package io.tributary.log;

import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.index.TimestampOffset;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatch;
import io.tributary.log.record.RecordBatchBuilder;
import io.tributary.log.record.SimpleRecord;
import io.tributary.log.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link PartitionLog} contract. One body of tests, run against every implementation by a
 * subclass that says how to make a log.
 */
abstract class PartitionLogContractTest {

    static final TopicPartition TP = new TopicPartition("orders", 0);

    protected final MockTime time = new MockTime();
    protected PartitionLog log;

    /** A fresh, empty log with {@code config}. */
    abstract PartitionLog createLog(LogConfig config) throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        log = createLog(LogConfig.defaults());
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    static MemoryRecords batch(long timestamp, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = SimpleRecord.of(timestamp, ("k" + values[i]).getBytes(StandardCharsets.UTF_8),
                    values[i].getBytes(StandardCharsets.UTF_8));
        }
        return RecordBatchBuilder.withRecords(0, records);
    }

    static List<String> values(MemoryRecords records, long fromOffset) {
        List<String> out = new ArrayList<>();
        for (Record r : records.records()) {
            if (r.offset() >= fromOffset) {
                out.add(new String(r.valueBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** Every value from {@code from} to the end, read in small steps. */
    List<String> readAll(long from) {
        List<String> out = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            MemoryRecords records = log.read(next, 100, Long.MAX_VALUE).records();
            assertThat(records.sizeInBytes()).isPositive();
            out.addAll(values(records, next));
            for (RecordBatch b : records.batches()) {
                next = b.nextOffset();
            }
        }
        return out;
    }

    @Test
    void appendAssignsDenseOffsetsFromZero() {
        AppendResult first = log.append(batch(1, "a", "b", "c"), 0).join();
        AppendResult second = log.append(batch(2, "d"), 0).join();

        assertThat(first.firstOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(log.logStartOffset()).isZero();
    }

    @Test
    void readFromAnyOffsetReturnsTheBatchHoldingIt() {
        log.append(batch(1, "a", "b", "c"), 0).join();
        log.append(batch(1, "d", "e"), 0).join();

        for (long offset = 0; offset < 5; offset++) {
            MemoryRecords records = log.read(offset, 1024 * 1024, Long.MAX_VALUE).records();
            assertThat(values(records, offset).get(0)).isEqualTo(String.valueOf((char) ('a' + offset)));
        }
        assertThat(readAll(0)).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void readReturnsWholeBatchesWithinMaxBytesButAtLeastOne() {
        for (int i = 0; i < 10; i++) {
            log.append(batch(1, "v" + i), 0).join();
        }
        int oneBatch = log.read(0, 1, Long.MAX_VALUE).records().sizeInBytes();
        assertThat(oneBatch).isPositive();

        MemoryRecords three = log.read(0, oneBatch * 3 + oneBatch / 2, Long.MAX_VALUE).records();
        assertThat(three.sizeInBytes()).isEqualTo(oneBatch * 3);
        assertThat(values(three, 0)).containsExactly("v0", "v1", "v2");
    }

    @Test
    void readNeverReturnsRecordsAtOrPastMaxOffset() {
        log.append(batch(1, "a", "b"), 0).join();
        log.append(batch(1, "c"), 0).join();
        log.append(batch(1, "d"), 0).join();

        assertThat(values(log.read(0, Integer.MAX_VALUE, 3).records(), 0)).containsExactly("a", "b", "c");
        assertThat(log.read(3, Integer.MAX_VALUE, 3).records().sizeInBytes()).isZero();
    }

    @Test
    void readAtTheEndIsEmptyAndPastTheEndIsOutOfRange() {
        log.append(batch(1, "a"), 0).join();

        assertThat(log.read(1, 1024, Long.MAX_VALUE).records().sizeInBytes()).isZero();
        assertThatThrownBy(() -> log.read(2, 1024, Long.MAX_VALUE))
                .isInstanceOfSatisfying(OffsetOutOfRangeException.class, e -> {
                    assertThat(e.logStartOffset()).isZero();
                    assertThat(e.logEndOffset()).isEqualTo(1);
                });
        assertThatThrownBy(() -> log.read(-1, 1024, Long.MAX_VALUE)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void appendKeepsKeysValuesHeadersAndTimestamps() {
        RecordBatchBuilder builder = RecordBatchBuilder.create(0);
        builder.append(1000, "key".getBytes(StandardCharsets.UTF_8), null,
                new io.tributary.log.record.Header[] {new io.tributary.log.record.Header("h", new byte[] {1, 2})});
        builder.append(2000, null, "value".getBytes(StandardCharsets.UTF_8), null);
        log.append(builder.build(), 7).join();

        List<Record> records = new ArrayList<>();
        MemoryRecords read = log.read(0, 1024, Long.MAX_VALUE).records();
        read.records().forEach(records::add);
        assertThat(records).hasSize(2);
        assertThat(records.get(0).keyBytes()).isEqualTo("key".getBytes(StandardCharsets.UTF_8));
        assertThat(records.get(0).hasValue()).isFalse();
        assertThat(records.get(0).headers()[0].value()).containsExactly(1, 2);
        assertThat(records.get(0).timestamp()).isEqualTo(1000);
        assertThat(records.get(1).hasKey()).isFalse();
        assertThat(records.get(1).offset()).isEqualTo(1);
        assertThat(read.batches().iterator().next().partitionLeaderEpoch()).isEqualTo(7);
    }

    @Test
    void corruptBatchIsRefusedAndNothingIsWritten() {
        log.append(batch(1, "a"), 0).join();
        MemoryRecords bad = batch(1, "b", "c");
        bad.buffer().put(RecordBatch.RECORD_BATCH_OVERHEAD + 2, (byte) 0x7f);
        MemoryRecords corrupted = MemoryRecords.readableRecords(flip(bad, RecordBatch.RECORD_BATCH_OVERHEAD + 2));

        assertThatThrownBy(() -> log.append(corrupted, 0))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_RECORD));
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(readAll(0)).containsExactly("a");
    }

    private static java.nio.ByteBuffer flip(MemoryRecords records, int position) {
        java.nio.ByteBuffer copy = java.nio.ByteBuffer.allocate(records.sizeInBytes());
        copy.put(records.buffer()).flip();
        copy.put(position, (byte) (copy.get(position) ^ 0x01));
        return copy;
    }

    @Test
    void batchOverMaxMessageBytesIsRefused() throws Exception {
        log.close();
        log = createLog(LogConfig.defaults().withOverrides(Map.of(LogConfig.MAX_MESSAGE_BYTES, "200")));
        MemoryRecords big = RecordBatchBuilder.withRecords(0, SimpleRecord.of(1, null, new byte[500]));

        assertThatThrownBy(() -> log.append(big, 0))
                .isInstanceOfSatisfying(TributaryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RECORD_TOO_LARGE));
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void logAppendTimeStampsEveryRecordWithTheBrokerClock() throws Exception {
        log.close();
        log = createLog(LogConfig.defaults().withOverrides(Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime")));
        time.setMilliseconds(5_000);

        AppendResult result = log.append(batch(1, "a", "b"), 0).join();

        assertThat(result.logAppendTime()).isEqualTo(5_000);
        for (Record r : log.read(0, 1024, Long.MAX_VALUE).records().records()) {
            assertThat(r.timestamp()).isEqualTo(5_000);
        }
        assertThat(log.read(0, 1024, Long.MAX_VALUE).records().batches().iterator().next().timestampType())
                .isEqualTo(TimestampType.LOG_APPEND_TIME);
    }

    @Test
    void offsetForTimestampFindsTheFirstRecordAtOrAfterIt() {
        log.append(batch(100, "a"), 0).join();
        log.append(batch(200, "b"), 0).join();
        log.append(batch(300, "c"), 0).join();

        assertThat(log.offsetForTimestamp(0)).contains(new TimestampOffset(100, 0));
        assertThat(log.offsetForTimestamp(150)).contains(new TimestampOffset(200, 1));
        assertThat(log.offsetForTimestamp(300)).contains(new TimestampOffset(300, 2));
        assertThat(log.offsetForTimestamp(301)).isEmpty();
    }

    @Test
    void truncateToRemovesWholeBatchesFromTheOffset() {
        log.append(batch(1, "a", "b"), 0).join();
        log.append(batch(1, "c", "d"), 0).join();
        log.append(batch(1, "e"), 0).join();

        log.truncateTo(4);
        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(readAll(0)).containsExactly("a", "b", "c", "d");

        log.truncateTo(3);
        assertThat(log.logEndOffset()).isEqualTo(2);

        AppendResult next = log.append(batch(1, "x"), 0).join();
        assertThat(next.firstOffset()).isEqualTo(2);
        assertThat(readAll(0)).containsExactly("a", "b", "x");
    }

    @Test
    void truncateFullyRestartsTheLogAtAnOffset() {
        log.append(batch(1, "a", "b"), 0).join();

        log.truncateFullyAndStartAt(100);

        assertThat(log.logStartOffset()).isEqualTo(100);
        assertThat(log.logEndOffset()).isEqualTo(100);
        assertThat(log.append(batch(1, "z"), 0).join().firstOffset()).isEqualTo(100);
        assertThat(readAll(100)).containsExactly("z");
        assertThatThrownBy(() -> log.read(0, 1024, Long.MAX_VALUE)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void followerAppendKeepsTheLeadersOffsetsAndRefusesOldOnes() {
        MemoryRecords fromLeader = batch(1, "a", "b");
        RecordBatch only = fromLeader.batches().iterator().next();
        only.setBaseOffset(10);

        AppendResult result = log.appendAsFollower(fromLeader).join();

        assertThat(result.firstOffset()).isEqualTo(10);
        assertThat(log.logEndOffset()).isEqualTo(12);
        MemoryRecords stale = batch(1, "c");
        stale.batches().iterator().next().setBaseOffset(11);
        assertThatThrownBy(() -> log.appendAsFollower(stale)).isInstanceOf(TributaryException.class);
        assertThat(log.logEndOffset()).isEqualTo(12);
    }

    @Test
    void leaderEpochsFollowAppendsAndTruncation() {
        log.append(batch(1, "a", "b"), 0).join();
        log.append(batch(1, "c"), 2).join();
        log.append(batch(1, "d"), 2).join();
        log.append(batch(1, "e"), 5).join();

        assertThat(log.latestEpoch()).isEqualTo(5);
        assertThat(log.endOffsetForEpoch(0)).isEqualTo(new EpochEndOffset(0, 2));
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(0, 2));
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 4));
        assertThat(log.endOffsetForEpoch(7)).isEqualTo(new EpochEndOffset(5, 5));

        log.truncateTo(3);

        assertThat(log.latestEpoch()).isEqualTo(2);
        assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(2, 3));
    }

    @Test
    void followerAppendsKeepTheLeadersEpochs() throws Exception {
        PartitionLog leader = createLog(LogConfig.defaults());
        try {
            leader.append(batch(1, "a"), 1).join();
            leader.append(batch(1, "b", "c"), 3).join();
            log.appendAsFollower(leader.read(0, Integer.MAX_VALUE, Long.MAX_VALUE).records()).join();

            assertThat(log.latestEpoch()).isEqualTo(3);
            assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(1, 1));
            assertThat(log.endOffsetForEpoch(0)).isEqualTo(EpochEndOffset.UNDEFINED);
        } finally {
            leader.close();
        }
    }

    @Test
    void fullTruncationForgetsEveryEpoch() {
        log.append(batch(1, "a"), 4).join();
        log.truncateFullyAndStartAt(10);

        assertThat(log.latestEpoch()).isEqualTo(-1);
        assertThat(log.endOffsetForEpoch(4)).isEqualTo(EpochEndOffset.UNDEFINED);
    }
}
