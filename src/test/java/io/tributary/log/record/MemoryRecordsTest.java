package io.tributary.log.record;

import static io.tributary.log.record.RawBatches.concat;
import static io.tributary.log.record.RawBatches.emptyRecord;
import static io.tributary.log.record.RecordBatchBuilderTest.list;
import static io.tributary.log.record.RecordBatchBuilderTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.CorruptRecordException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryRecordsTest {

    private static final long T0 = 1_700_000_000_000L;

    /** Two batches: offsets 0-2 and 3-4, the second with a 300-byte value. */
    private static MemoryRecords twoBatches() {
        MemoryRecords first = RecordBatchBuilder.withRecords(0L,
                SimpleRecord.of(T0, utf8("a"), utf8("1")),
                SimpleRecord.of(T0 + 20, utf8("b"), utf8("2")),
                SimpleRecord.of(T0 + 5, utf8("c"), utf8("3")));
        MemoryRecords second = RecordBatchBuilder.withRecords(3L,
                SimpleRecord.of(T0 + 20, utf8("d"), new byte[300]),
                SimpleRecord.of(T0 + 1, null, null));
        return MemoryRecords.readableRecords(concat(first, second));
    }

    @Test
    void everyPrefixYieldsOnlyItsCompleteBatchesAndNeverThrows() {
        MemoryRecords whole = twoBatches();
        List<RecordBatch> wholeBatches = batches(whole);
        int firstSize = wholeBatches.get(0).sizeInBytes();
        int secondSize = wholeBatches.get(1).sizeInBytes();
        assertThat(firstSize + secondSize).isEqualTo(whole.sizeInBytes());

        for (int length = 0; length <= whole.sizeInBytes(); length++) {
            MemoryRecords prefix = MemoryRecords.readableRecords(whole.buffer().limit(length));
            int complete = length >= firstSize + secondSize ? 2 : length >= firstSize ? 1 : 0;

            List<RecordBatch> batches = batches(prefix);
            assertThat(batches).as("prefix %d", length).hasSize(complete)
                    .isEqualTo(wholeBatches.subList(0, complete));
            assertThat(prefix.validBytes()).as("prefix %d", length)
                    .isEqualTo(complete == 2 ? firstSize + secondSize : complete == 1 ? firstSize : 0);
            assertThat(list(prefix.records())).as("prefix %d", length)
                    .hasSize(complete == 2 ? 5 : complete == 1 ? 3 : 0);
            assertThat(prefix.firstBatchSize()).as("prefix %d", length)
                    .isEqualTo(length < RecordBatch.LOG_OVERHEAD ? -1 : firstSize);
        }
    }

    @Test
    void recordsSpanAllBatchesInOrder() {
        assertThat(list(twoBatches().records())).extracting(Record::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void validateSummarisesTheBatches() {
        BatchesSummary summary = twoBatches().validate();

        // T0 + 20 is reached first at offset 1, then again at offset 3: the first one counts.
        assertThat(summary).isEqualTo(new BatchesSummary(2, 5, 0L, 4L, T0 + 20, 1L));
    }

    @Test
    void validateUnderLogAppendTimePointsAtTheBatchsFirstRecord() {
        MemoryRecords records = twoBatches();
        RecordBatch second = batches(records).get(1);
        second.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, T0 + 99);

        assertThat(records.validate()).isEqualTo(new BatchesSummary(2, 5, 0L, 4L, T0 + 99, 3L));
    }

    @Test
    void validateHeadersSummarisesFromHeadersWithoutDecodingRecords() {
        // Offsets and counts agree with validate(); the maximum timestamp's offset is its batch's last offset.
        assertThat(twoBatches().validateHeaders()).isEqualTo(new BatchesSummary(2, 5, 0L, 4L, T0 + 20, 2L));
        assertThat(MemoryRecords.EMPTY.validateHeaders()).isEqualTo(new BatchesSummary(0, 0, -1L, -1L, -1L, -1L));
    }

    @Test
    void validateHeadersRejectsACrcMismatch() {
        MemoryRecords records = twoBatches();
        ByteBuffer bytes = records.buffer();
        int lastByte = bytes.limit() - 1;
        bytes.put(lastByte, (byte) (bytes.get(lastByte) ^ 0x40));

        assertThatThrownBy(records::validateHeaders).isInstanceOf(CorruptRecordException.class).hasMessageContaining("CRC");
    }

    @Test
    void validateOfNothingIsAnEmptySummary() {
        assertThat(MemoryRecords.EMPTY.validate()).isEqualTo(new BatchesSummary(0, 0, -1L, -1L, -1L, -1L));
        assertThat(MemoryRecords.EMPTY.sizeInBytes()).isZero();
        assertThat(MemoryRecords.EMPTY.batches()).isEmpty();
        assertThat(MemoryRecords.EMPTY.firstBatchSize()).isEqualTo(-1);
    }

    @Test
    void validateRejectsACorruptSecondBatchAtItsPosition() {
        MemoryRecords records = twoBatches();
        int secondPosition = batches(records).get(0).sizeInBytes();
        ByteBuffer bytes = records.buffer();
        int lastByte = bytes.limit() - 1;
        bytes.put(lastByte, (byte) (bytes.get(lastByte) ^ 0x40));

        assertThatThrownBy(records::validate).isInstanceOf(CorruptRecordException.class)
                .hasMessageStartingWith("Invalid record batch at byte position " + secondPosition + ": ")
                .hasMessageContaining("base offset 3")
                .hasMessageContaining("CRC");
        assertThat(batches(records)).hasSize(2); // framing is intact: batches() still walks both
    }

    @ParameterizedTest(name = "cut {0} bytes")
    @CsvSource({"1", "11", "12", "13", "60", "100"})
    void validateRejectsATornTail(int cut) {
        MemoryRecords whole = twoBatches();
        MemoryRecords torn = MemoryRecords.readableRecords(whole.buffer().limit(whole.sizeInBytes() - cut));

        assertThatThrownBy(torn::validate).isInstanceOf(CorruptRecordException.class)
                .hasMessageStartingWith("Invalid record batch at byte position ");
    }

    @Test
    void validateRejectsALengthFieldBelowTheHeader() {
        ByteBuffer bytes = twoBatches().buffer();
        bytes.putInt(RecordBatch.LENGTH_OFFSET, RecordBatch.MIN_BATCH_LENGTH - 1);
        MemoryRecords records = MemoryRecords.readableRecords(bytes);

        assertThatThrownBy(records::validate).hasMessageContaining("batch length 48 is not between 49 and");
        assertThat(records.batches()).isEmpty();
        assertThat(records.validBytes()).isZero();
        assertThat(records.firstBatchSize()).isEqualTo(-1);
    }

    @Test
    void validateRejectsRecordOffsetsThatDoNotRise() {
        ByteBuffer backwards = RawBatches.batch(10L, 2, 1, concat(emptyRecord(1, 0), emptyRecord(0, 0)));
        ByteBuffer beyondLast = RawBatches.batch(10L, 2, 1, concat(emptyRecord(0, 0), emptyRecord(2, 0)));

        assertThatThrownBy(() -> MemoryRecords.readableRecords(backwards).validate())
                .hasMessageContaining("record offset 10 is not above 11");
        assertThatThrownBy(() -> MemoryRecords.readableRecords(beyondLast).validate())
                .hasMessageContaining("record offset 12 is not above 10 and at most the last offset 11");
    }

    @Test
    void validateAcceptsSparseOffsetsAsCompactionLeavesThem() {
        ByteBuffer sparse = RawBatches.batch(10L, 2, 9, concat(emptyRecord(2, 0), emptyRecord(7, 0)));

        assertThat(MemoryRecords.readableRecords(sparse).validate())
                .isEqualTo(new BatchesSummary(1, 2, 10L, 19L, 1_000L, 12L));
    }

    @Test
    void validateReportsMalformedRecordsAsCorrupt() {
        ByteBuffer malformed = RawBatches.batch(0L, 1, 0, RawBatches.hex("0c 00 00 00 28 01 00"));

        assertThatThrownBy(() -> MemoryRecords.readableRecords(malformed).validate())
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("byte position 0")
                .hasMessageContaining("key length 20");
    }

    @ParameterizedTest(name = "position {0}")
    @CsvSource({"-1, -1", "0, 82", "70, 82", "71, -1", "82, -1", "1000, -1"})
    void batchSizeAtReadsTheLengthFieldWhereverThereAreTwelveBytes(int position, int expected) {
        ByteBuffer buffer = ByteBuffer.allocate(82);
        buffer.putInt(RecordBatch.LENGTH_OFFSET, 70);
        buffer.putInt(70 + RecordBatch.LENGTH_OFFSET, 70);

        assertThat(MemoryRecords.batchSizeAt(buffer, position)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "length {0}")
    @CsvSource({"-1", "0", "48", "2147483640", "2147483647"})
    void batchSizeAtRejectsImpossibleLengths(int length) {
        ByteBuffer buffer = ByteBuffer.allocate(100).putInt(RecordBatch.LENGTH_OFFSET, length);

        assertThat(MemoryRecords.batchSizeAt(buffer, 0)).isEqualTo(-1);
    }

    @Test
    void firstBatchSizeIsKnownFromTheHeaderAlone() {
        MemoryRecords whole = twoBatches();
        int firstSize = batches(whole).get(0).sizeInBytes();

        assertThat(MemoryRecords.readableRecords(whole.buffer().limit(12)).firstBatchSize()).isEqualTo(firstSize);
        assertThat(MemoryRecords.readableRecords(whole.buffer().limit(11)).firstBatchSize()).isEqualTo(-1);
    }

    @Test
    void batchesAreViewsOfTheSameBytes() {
        MemoryRecords records = twoBatches();
        for (RecordBatch batch : records.batches()) {
            batch.setBaseOffset(batch.baseOffset() + 100);
        }

        assertThat(list(records.records())).extracting(Record::offset).containsExactly(100L, 101L, 102L, 103L, 104L);
        assertThatCode(records::validate).doesNotThrowAnyException();
    }

    @Test
    void readableRecordsLeavesTheCallersBufferAlone() {
        ByteBuffer firstBatch = batches(twoBatches()).get(0).buffer();
        int size = firstBatch.remaining();
        ByteBuffer bytes = ByteBuffer.allocate(200);
        bytes.position(7).put(firstBatch).flip().position(7);

        MemoryRecords records = MemoryRecords.readableRecords(bytes);

        assertThat(bytes.position()).isEqualTo(7);
        assertThat(records.sizeInBytes()).isEqualTo(size);
        assertThat(records.buffer().position()).isZero();
        assertThat(records.buffer()).isNotSameAs(records.buffer());
        assertThat(batches(records)).hasSize(1);
    }

    private static List<RecordBatch> batches(MemoryRecords records) {
        List<RecordBatch> batches = new ArrayList<>();
        records.batches().forEach(batches::add);
        return batches;
    }
}
