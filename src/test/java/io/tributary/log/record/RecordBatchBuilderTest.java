package io.tributary.log.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordBatchBuilderTest {

    private static final long T0 = 1_700_000_000_000L;

    static Stream<Arguments> roundTripCases() {
        byte[] oneMiB = new byte[1 << 20];
        for (int i = 0; i < oneMiB.length; i++) {
            oneMiB[i] = (byte) (i * 31);
        }
        Header[] unicodeHeaders = {
            new Header("ключ", utf8("значение")),
            new Header("键", new byte[0]),
            new Header("😀 emoji", null),
            new Header("", utf8("empty key")),
        };
        Header[] manyHeaders = IntStream.range(0, 200)
                .mapToObj(i -> new Header("h" + i, i % 3 == 0 ? null : utf8("v" + i)))
                .toArray(Header[]::new);
        return Stream.of(
                Arguments.of("key and value", utf8("key"), utf8("value"), Header.EMPTY),
                Arguments.of("null key", null, utf8("value"), Header.EMPTY),
                Arguments.of("null value (tombstone)", utf8("key"), null, Header.EMPTY),
                Arguments.of("null key and null value", null, null, Header.EMPTY),
                Arguments.of("empty key and value", new byte[0], new byte[0], Header.EMPTY),
                Arguments.of("1 MiB value", utf8("big"), oneMiB, Header.EMPTY),
                Arguments.of("1 MiB key", oneMiB, utf8("v"), Header.EMPTY),
                Arguments.of("unicode header keys", utf8("k"), utf8("v"), unicodeHeaders),
                Arguments.of("header with null value", null, null, new Header[] {new Header("h", null)}),
                Arguments.of("200 headers", utf8("k"), utf8("v"), manyHeaders),
                Arguments.of("binary key", new byte[] {0, -1, -128, 127}, new byte[] {-1}, Header.EMPTY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTripCases")
    void recordRoundTripsThroughTheBatchFormat(String name, byte[] key, byte[] value, Header[] headers) {
        RecordBatchBuilder builder = RecordBatchBuilder.create(100L);
        builder.append(T0, key, value, headers);
        builder.append(T0 + 1, utf8("after"), utf8("it"), null);
        MemoryRecords records = builder.build();

        RecordBatch batch = single(records);
        batch.ensureValid();
        List<Record> decoded = list(batch);
        assertThat(decoded).hasSize(2);
        Record record = decoded.get(0);
        assertThat(record.offset()).isEqualTo(100L);
        assertThat(record.timestamp()).isEqualTo(T0);
        assertThat(record.hasKey()).isEqualTo(key != null);
        assertThat(record.hasValue()).isEqualTo(value != null);
        assertThat(record.keyBytes()).isEqualTo(key);
        assertThat(record.valueBytes()).isEqualTo(value);
        assertThat(record.keySize()).isEqualTo(key == null ? -1 : key.length);
        assertThat(record.valueSize()).isEqualTo(value == null ? -1 : value.length);
        assertThat(record.headers()).containsExactly(headers);
        Record after = decoded.get(1);
        assertThat(after.offset()).isEqualTo(101L);
        assertThat(after.keyBytes()).isEqualTo(utf8("after"));
        assertThat(record.sizeInBytes() + after.sizeInBytes())
                .isEqualTo(records.sizeInBytes() - RecordBatch.RECORD_BATCH_OVERHEAD);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTripCases")
    void byteBufferAppendWritesTheSameBytesAndLeavesTheCallersBuffersAlone(String name, byte[] key,
            byte[] value, Header[] headers) {
        ByteBuffer directKey = key == null ? null : ByteBuffer.allocateDirect(key.length + 3).position(3);
        if (directKey != null) {
            directKey.put(key).position(3);
        }
        ByteBuffer heapValue = value == null ? null : ByteBuffer.wrap(value);
        RecordBatchBuilder fromBuffers = RecordBatchBuilder.create(0L);
        fromBuffers.append(T0, directKey, heapValue, headers);
        RecordBatchBuilder fromArrays = RecordBatchBuilder.create(0L);
        fromArrays.append(T0, key, value, headers);

        assertThat(fromBuffers.build()).isEqualTo(fromArrays.build());
        if (directKey != null) {
            assertThat(directKey.position()).isEqualTo(3);
        }
        if (heapValue != null) {
            assertThat(heapValue.position()).isZero();
        }
    }

    @Test
    void offsetsAreDenseFromTheBaseOffset() {
        RecordBatchBuilder builder = RecordBatchBuilder.create(1_000L);
        for (int i = 0; i < 5; i++) {
            builder.append(T0, null, utf8("v" + i));
        }
        RecordBatch batch = single(builder.build());

        assertThat(batch.baseOffset()).isEqualTo(1_000L);
        assertThat(batch.lastOffsetDelta()).isEqualTo(4);
        assertThat(batch.lastOffset()).isEqualTo(1_004L);
        assertThat(batch.nextOffset()).isEqualTo(1_005L);
        assertThat(batch.recordCount()).isEqualTo(5);
        assertThat(list(batch)).extracting(Record::offset).containsExactly(1_000L, 1_001L, 1_002L, 1_003L, 1_004L);
    }

    @Test
    void appendWithOffsetKeepsTheGivenOffsetsAndEndsAtTheLastOne() {
        RecordBatchBuilder builder = RecordBatchBuilder.create(100L);
        builder.appendWithOffset(102L, T0, utf8("a"), utf8("1"), null);
        builder.appendWithOffset(105L, T0 + 1, utf8("b"), null, null);
        builder.appendWithOffset(109L, T0 + 2, null, utf8("3"), new Header[] {Header.of("h", "x")});
        MemoryRecords records = builder.build();

        RecordBatch batch = single(records);
        batch.ensureValid();
        assertThat(batch.baseOffset()).isEqualTo(100L);
        assertThat(batch.lastOffsetDelta()).isEqualTo(9);
        assertThat(batch.lastOffset()).isEqualTo(109L);
        assertThat(batch.recordCount()).isEqualTo(3);
        List<Record> decoded = list(batch);
        assertThat(decoded).extracting(Record::offset).containsExactly(102L, 105L, 109L);
        assertThat(decoded).extracting(Record::timestamp).containsExactly(T0, T0 + 1, T0 + 2);
        assertThat(decoded.get(1).hasValue()).isFalse();
        assertThat(decoded.get(2).headers()).containsExactly(Header.of("h", "x"));
        assertThat(records.validate()).isEqualTo(new BatchesSummary(1, 3, 100L, 109L, T0 + 2, 109L));
    }

    @Test
    void appendWithOffsetAtTheBaseOffsetAndInOrderIsTheSameAsAppend() {
        RecordBatchBuilder explicit = RecordBatchBuilder.create(7L);
        RecordBatchBuilder sequential = RecordBatchBuilder.create(7L);
        for (int i = 0; i < 3; i++) {
            explicit.appendWithOffset(7L + i, T0 + i, utf8("k" + i), utf8("v" + i), null);
            sequential.append(T0 + i, utf8("k" + i), utf8("v" + i), null);
        }

        assertThat(explicit.build()).isEqualTo(sequential.build());
    }

    @Test
    void appendAfterAnExplicitOffsetTakesTheNextOne() {
        RecordBatchBuilder builder = RecordBatchBuilder.create(0L);
        builder.append(T0, null, utf8("a"));
        builder.appendWithOffset(5L, T0, null, utf8("b"), null);
        builder.append(T0, null, utf8("c"));
        RecordBatch batch = single(builder.build());

        assertThat(list(batch)).extracting(Record::offset).containsExactly(0L, 5L, 6L);
        assertThat(batch.lastOffsetDelta()).isEqualTo(6);
    }

    static Stream<Arguments> offsetsThatDoNotFit() {
        return Stream.of(
                Arguments.of("the previous offset again", 103L, "not above the previous record's offset 103"),
                Arguments.of("below the previous offset", 101L, "not above the previous record's offset 103"),
                Arguments.of("below the base offset", 99L, "below the base offset 100"),
                Arguments.of("too far above the base offset", 100L + Integer.MAX_VALUE + 1,
                        "more than " + Integer.MAX_VALUE + " above the base offset 100"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("offsetsThatDoNotFit")
    void appendWithOffsetRejectsAnOffsetThatDoesNotFitAndKeepsTheBatch(String name, long offset, String message) {
        RecordBatchBuilder builder = RecordBatchBuilder.create(100L);
        builder.appendWithOffset(103L, T0, utf8("k"), utf8("v"), null);
        int size = builder.estimatedSizeInBytes();

        assertThatThrownBy(() -> builder.appendWithOffset(offset, T0, utf8("k"), utf8("w"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
        assertThatThrownBy(() -> builder.appendWithOffset(offset, T0, ByteBuffer.wrap(utf8("k")), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
        assertThat(builder.numRecords()).isEqualTo(1);
        assertThat(builder.estimatedSizeInBytes()).isEqualTo(size);
        RecordBatch batch = single(builder.build());
        batch.ensureValid();
        assertThat(list(batch)).extracting(Record::offset).containsExactly(103L);
    }

    @Test
    void theLastOffsetDeltaCanBeIntegerMaxValueAndNothingFollowsIt() {
        RecordBatchBuilder builder = RecordBatchBuilder.create(0L);
        builder.appendWithOffset(Integer.MAX_VALUE, T0, (byte[]) null, null, null);

        assertThatThrownBy(() -> builder.append(T0, null, null)).isInstanceOf(IllegalArgumentException.class);
        RecordBatch batch = single(builder.build());
        batch.ensureValid();
        assertThat(batch.lastOffset()).isEqualTo(Integer.MAX_VALUE);
        assertThat(list(batch)).extracting(Record::offset).containsExactly((long) Integer.MAX_VALUE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTripCases")
    void byteBufferAppendWithOffsetWritesTheSameBytesAsArrays(String name, byte[] key, byte[] value,
            Header[] headers) {
        RecordBatchBuilder fromBuffers = RecordBatchBuilder.create(10L);
        fromBuffers.appendWithOffset(12L, T0, key == null ? null : ByteBuffer.wrap(key),
                value == null ? null : ByteBuffer.wrap(value).asReadOnlyBuffer(), headers);
        RecordBatchBuilder fromArrays = RecordBatchBuilder.create(10L);
        fromArrays.appendWithOffset(12L, T0, key, value, headers);

        assertThat(fromBuffers.build()).isEqualTo(fromArrays.build());
    }

    @Test
    void appendWithOffsetKeepsTheProducerFieldsAndTimestampType() {
        RecordBatchBuilder builder = new RecordBatchBuilder(40L, TimestampType.LOG_APPEND_TIME, 9_876L, (short) 5, 77,
                12);
        builder.appendWithOffset(41L, T0 + 9, utf8("a"), utf8("1"), null);
        builder.appendWithOffset(44L, T0 + 9, utf8("b"), utf8("2"), null);
        RecordBatch batch = single(builder.build());

        batch.ensureValid();
        assertThat(batch.producerId()).isEqualTo(9_876L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 5);
        assertThat(batch.baseSequence()).isEqualTo(77);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(12);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(T0 + 9);
        assertThat(batch.lastOffset()).isEqualTo(44L);
        assertThat(list(batch)).extracting(Record::offset).containsExactly(41L, 44L);
    }

    @Test
    void appendWithOffsetAfterBuildIsAnError() {
        RecordBatchBuilder builder = RecordBatchBuilder.create(0L);
        builder.appendWithOffset(3L, T0, (byte[]) null, null, null);
        builder.build();

        assertThatThrownBy(() -> builder.appendWithOffset(4L, T0, (byte[]) null, null, null))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.appendWithOffset(4L, T0, (ByteBuffer) null, null, null))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void baseTimestampIsTheFirstRecordsAndMaxIsTheGreatest() {
        RecordBatchBuilder builder = RecordBatchBuilder.create(0L);
        builder.append(T0, null, null);
        builder.append(T0 + 500, null, null);
        builder.append(T0 - 10_000, null, null); // older than the first: a negative delta
        RecordBatch batch = single(builder.build());

        assertThat(batch.baseTimestamp()).isEqualTo(T0);
        assertThat(batch.maxTimestamp()).isEqualTo(T0 + 500);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(list(batch)).extracting(Record::timestamp).containsExactly(T0, T0 + 500, T0 - 10_000);
    }

    @Test
    void producerFieldsAreWrittenToTheHeader() {
        RecordBatchBuilder builder = new RecordBatchBuilder(42L, TimestampType.CREATE_TIME, 9_876L, (short) 5, 77, 12);
        builder.append(T0, null, utf8("v"));
        RecordBatch batch = single(builder.build());

        assertThat(batch.producerId()).isEqualTo(9_876L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 5);
        assertThat(batch.baseSequence()).isEqualTo(77);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(12);
        assertThat(batch.magic()).isEqualTo(RecordBatch.MAGIC);
        assertThat(batch.isTransactional()).isFalse();
        assertThat(batch.isControl()).isFalse();
    }

    @Test
    void createHasNoProducerInformation() {
        RecordBatchBuilder builder = RecordBatchBuilder.create(0L);
        builder.append(T0, null, null);
        RecordBatch batch = single(builder.build());

        assertThat(batch.producerId()).isEqualTo(RecordBatch.NO_PRODUCER_ID);
        assertThat(batch.producerEpoch()).isEqualTo(RecordBatch.NO_PRODUCER_EPOCH);
        assertThat(batch.baseSequence()).isEqualTo(RecordBatch.NO_SEQUENCE);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(RecordBatch.NO_PARTITION_LEADER_EPOCH);
    }

    @Test
    void logAppendTimeBatchReadsItsMaxTimestampForEveryRecord() {
        RecordBatchBuilder builder = new RecordBatchBuilder(0L, TimestampType.LOG_APPEND_TIME,
                RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, 0);
        builder.append(T0, null, null);
        builder.append(T0 + 9, null, null);
        RecordBatch batch = single(builder.build());

        batch.ensureValid();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(list(batch)).extracting(Record::timestamp).containsExactly(T0 + 9, T0 + 9);
    }

    @Test
    void estimatedSizeIsExactAtEveryStep() {
        RecordBatchBuilder builder = new RecordBatchBuilder(0L, TimestampType.CREATE_TIME,
                RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, 0, 0);
        assertThat(builder.estimatedSizeInBytes()).isEqualTo(RecordBatch.RECORD_BATCH_OVERHEAD);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            builder.append(T0 + i, utf8("key-" + i), new byte[i * 7], new Header[] {new Header("i", null)});
            sizes.add(builder.estimatedSizeInBytes());
            assertThat(builder.numRecords()).isEqualTo(i + 1);
        }
        MemoryRecords built = builder.build();

        assertThat(built.sizeInBytes()).isEqualTo(sizes.get(sizes.size() - 1));
        assertThat(builder.estimatedSizeInBytes()).isEqualTo(built.sizeInBytes());
        assertThat(sizes).isSorted();
        single(built).ensureValid();
        assertThat(list(single(built))).hasSize(300);
    }

    @Test
    void buildingAnEmptyBatchIsAnError() {
        assertThatThrownBy(() -> RecordBatchBuilder.create(0L).build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void buildIsFinalAndRepeatable() {
        RecordBatchBuilder builder = RecordBatchBuilder.create(0L);
        builder.append(T0, null, null);
        MemoryRecords built = builder.build();

        assertThat(builder.build()).isSameAs(built);
        assertThatThrownBy(() -> builder.append(T0, null, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void negativeTimestampsOtherThanNoTimestampAreRejected() {
        RecordBatchBuilder builder = RecordBatchBuilder.create(0L);
        assertThatThrownBy(() -> builder.append(-2L, null, null)).isInstanceOf(IllegalArgumentException.class);

        builder.append(RecordBatch.NO_TIMESTAMP, null, null);
        assertThat(list(single(builder.build()))).extracting(Record::timestamp)
                .containsExactly(RecordBatch.NO_TIMESTAMP);
    }

    @Test
    void decodedKeyAndValueAreReadOnlyViewsOfTheBatchBytes() {
        MemoryRecords records = RecordBatchBuilder.withRecords(0L, SimpleRecord.of(T0, utf8("k"), utf8("v")));
        RecordBatch batch = single(records);
        Record record = list(batch).get(0);
        ByteBuffer key = record.key();

        assertThat(key.isReadOnly()).isTrue();
        assertThatThrownBy(() -> key.put(0, (byte) 'x')).isInstanceOf(ReadOnlyBufferException.class);
        byte[] copy = record.keyBytes();
        // Change the batch's bytes under the view: the view sees it, the copy does not.
        int keyPosition = RecordBatch.RECORDS_OFFSET + 5;
        assertThat(batch.buffer().get(keyPosition)).isEqualTo((byte) 'k');
        batch.buffer().put(keyPosition, (byte) 'z');
        assertThat(record.key().get(0)).isEqualTo((byte) 'z');
        assertThat(copy).containsExactly('k');
    }

    @Test
    void withRecordsBuildsOneBatchInOrder() {
        MemoryRecords records = RecordBatchBuilder.withRecords(7L,
                SimpleRecord.of("a", "1"),
                SimpleRecord.of(T0, null, utf8("2")),
                new SimpleRecord(T0, utf8("c"), null, new Header[] {Header.of("h", "x")}));

        RecordBatch batch = single(records);
        batch.ensureValid();
        List<Record> decoded = list(batch);
        assertThat(decoded).extracting(Record::offset).containsExactly(7L, 8L, 9L);
        assertThat(decoded.get(0).keyBytes()).isEqualTo(utf8("a"));
        assertThat(decoded.get(1).hasKey()).isFalse();
        assertThat(decoded.get(2).hasValue()).isFalse();
        assertThat(decoded.get(2).headers()).containsExactly(Header.of("h", "x"));
        assertThat(MemoryRecords.withRecords(7L, SimpleRecord.of(T0, null, null)).sizeInBytes()).isPositive();
    }

    @Test
    void withNoRecordsIsEmpty() {
        assertThat(RecordBatchBuilder.withRecords(0L)).isSameAs(MemoryRecords.EMPTY);
    }

    static RecordBatch single(MemoryRecords records) {
        List<RecordBatch> batches = new ArrayList<>();
        records.batches().forEach(batches::add);
        assertThat(batches).hasSize(1);
        return batches.get(0);
    }

    static List<Record> list(Iterable<Record> records) {
        List<Record> list = new ArrayList<>();
        records.forEach(list::add);
        return list;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
