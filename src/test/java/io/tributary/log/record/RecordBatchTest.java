package io.tributary.log.record;

import static io.tributary.log.record.RawBatches.bytes;
import static io.tributary.log.record.RawBatches.concat;
import static io.tributary.log.record.RawBatches.emptyRecord;
import static io.tributary.log.record.RawBatches.hex;
import static io.tributary.log.record.RecordBatchBuilderTest.list;
import static io.tributary.log.record.RecordBatchBuilderTest.single;
import static io.tributary.log.record.RecordBatchBuilderTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tributary.common.CorruptRecordException;
import io.tributary.common.ErrorCode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RecordBatchTest {

    /**
     * The batch Kafka 3.9's {@code MemoryRecordsBuilder} writes for the inputs of {@link
     * #goldenBatch()}: base offset 5, leader epoch 7, producer 1234 epoch 3 sequence 42, create
     * time; record ("k", "v", header h=[9]) at 1000 and (null, "w") at 1005.
     */
    private static final String KAFKA_GOLDEN_HEX = ""
            + "0000000000000005" // baseOffset
            + "00000046" // batchLength 70
            + "00000007" // partitionLeaderEpoch
            + "02" // magic
            + "5d826551" // crc
            + "0000" // attributes
            + "00000001" // lastOffsetDelta
            + "00000000000003e8" // baseTimestamp 1000
            + "00000000000003ed" // maxTimestamp 1005
            + "00000000000004d2" // producerId 1234
            + "0003" // producerEpoch
            + "0000002a" // baseSequence 42
            + "00000002" // recordCount
            + "18" + "00" + "00" + "00" + "026b" + "0276" + "02" + "0268" + "0209" // record 0
            + "0e" + "00" + "0a" + "02" + "01" + "0277" + "00"; // record 1

    private static MemoryRecords goldenBatch() {
        RecordBatchBuilder builder = new RecordBatchBuilder(5L, TimestampType.CREATE_TIME, 1234L, (short) 3, 42, 7);
        builder.append(1000L, utf8("k"), utf8("v"), new Header[] {new Header("h", new byte[] {9})});
        builder.append(1005L, null, utf8("w"), Header.EMPTY);
        return builder.build();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "BASE_OFFSET_OFFSET, 0",
        "LENGTH_OFFSET, 8",
        "PARTITION_LEADER_EPOCH_OFFSET, 12",
        "MAGIC_OFFSET, 16",
        "CRC_OFFSET, 17",
        "ATTRIBUTES_OFFSET, 21",
        "LAST_OFFSET_DELTA_OFFSET, 23",
        "BASE_TIMESTAMP_OFFSET, 27",
        "MAX_TIMESTAMP_OFFSET, 35",
        "PRODUCER_ID_OFFSET, 43",
        "PRODUCER_EPOCH_OFFSET, 51",
        "BASE_SEQUENCE_OFFSET, 53",
        "RECORDS_COUNT_OFFSET, 57",
        "RECORDS_OFFSET, 61",
        "RECORD_BATCH_OVERHEAD, 61",
        "LOG_OVERHEAD, 12",
        "MIN_BATCH_LENGTH, 49",
    })
    void layoutConstantsAreKafkas(String name, int expected) throws ReflectiveOperationException {
        assertThat(RecordBatch.class.getField(name).getInt(null)).isEqualTo(expected);
    }

    @Test
    void builderWritesTheBytesKafkaWrites() {
        assertThat(hex(goldenBatch().buffer())).isEqualTo(KAFKA_GOLDEN_HEX);
    }

    @Test
    void kafkaWrittenBatchDecodes() {
        RecordBatch batch = RecordBatch.wrap(ByteBuffer.wrap(hex(KAFKA_GOLDEN_HEX)));

        batch.ensureValid();
        assertThat(batch.sizeInBytes()).isEqualTo(82);
        assertThat(batch.baseOffset()).isEqualTo(5L);
        assertThat(batch.lastOffset()).isEqualTo(6L);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(7);
        assertThat(batch.magic()).isEqualTo((byte) 2);
        assertThat(batch.checksum()).isEqualTo(0x5d826551L).isEqualTo(batch.computeChecksum());
        assertThat(batch.baseTimestamp()).isEqualTo(1000L);
        assertThat(batch.maxTimestamp()).isEqualTo(1005L);
        assertThat(batch.producerId()).isEqualTo(1234L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 3);
        assertThat(batch.baseSequence()).isEqualTo(42);
        assertThat(batch.recordCount()).isEqualTo(2);
        List<Record> records = list(batch);
        assertThat(records).extracting(Record::offset).containsExactly(5L, 6L);
        assertThat(records).extracting(Record::timestamp).containsExactly(1000L, 1005L);
        assertThat(records.get(0).keyBytes()).isEqualTo(utf8("k"));
        assertThat(records.get(0).headers()).containsExactly(new Header("h", new byte[] {9}));
        assertThat(records.get(1).hasKey()).isFalse();
        assertThat(records.get(1).valueBytes()).isEqualTo(utf8("w"));
    }

    @Test
    void crcDetectsEverySingleBitFlipFromTheAttributesOn() {
        byte[] valid = bytes(goldenBatch().buffer());
        for (int bit = RecordBatch.ATTRIBUTES_OFFSET * 8; bit < valid.length * 8; bit++) {
            RecordBatch batch = wrapFlipped(valid, bit);
            assertThat(batch.isValid()).as("bit %d", bit).isFalse();
            assertThatThrownBy(batch::ensureValid).as("bit %d", bit)
                    .isInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("CRC");
        }
    }

    @Test
    void flipsInTheLengthMagicAndCrcFieldsAreInvalid() {
        byte[] valid = bytes(goldenBatch().buffer());
        for (int bit = RecordBatch.LENGTH_OFFSET * 8; bit < RecordBatch.ATTRIBUTES_OFFSET * 8; bit++) {
            if (bit >= RecordBatch.PARTITION_LEADER_EPOCH_OFFSET * 8 && bit < RecordBatch.MAGIC_OFFSET * 8) {
                continue;
            }
            assertThat(wrapFlipped(valid, bit).isValid()).as("bit %d", bit).isFalse();
        }
    }

    @Test
    void flipsInBaseOffsetAndLeaderEpochLeaveTheBatchValid() {
        byte[] valid = bytes(goldenBatch().buffer());
        for (int bit = 0; bit < RecordBatch.MAGIC_OFFSET * 8; bit++) {
            if (bit >= RecordBatch.LENGTH_OFFSET * 8 && bit < RecordBatch.PARTITION_LEADER_EPOCH_OFFSET * 8) {
                continue;
            }
            RecordBatch batch = wrapFlipped(valid, bit);
            assertThatCode(batch::ensureValid).as("bit %d", bit).doesNotThrowAnyException();
        }
    }

    private static RecordBatch wrapFlipped(byte[] valid, int bit) {
        byte[] bytes = valid.clone();
        bytes[bit / 8] ^= (byte) (1 << (bit % 8));
        return RecordBatch.wrap(ByteBuffer.wrap(bytes));
    }

    @Test
    void setBaseOffsetMovesEveryRecordAndKeepsTheCrc() {
        RecordBatch batch = single(goldenBatch());
        long crc = batch.checksum();

        batch.setBaseOffset(1_000_000L);

        batch.ensureValid();
        assertThat(batch.checksum()).isEqualTo(crc);
        assertThat(batch.lastOffset()).isEqualTo(1_000_001L);
        assertThat(list(batch)).extracting(Record::offset).containsExactly(1_000_000L, 1_000_001L);
    }

    @Test
    void setPartitionLeaderEpochKeepsTheCrc() {
        RecordBatch batch = single(goldenBatch());

        batch.setPartitionLeaderEpoch(99);

        batch.ensureValid();
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(99);
    }

    @Test
    void setMaxTimestampToLogAppendTimeRestampsEveryRecordAndRewritesTheCrc() {
        RecordBatch batch = single(goldenBatch());

        batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, 5_000L);

        batch.ensureValid();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(5_000L);
        assertThat(list(batch)).extracting(Record::timestamp).containsExactly(5_000L, 5_000L);

        batch.setMaxTimestamp(TimestampType.CREATE_TIME, 1005L);

        assertThat(batch.buffer()).isEqualTo(goldenBatch().buffer());
    }

    @Test
    void setMaxTimestampWithTheSameValuesWritesNothing() {
        byte[] bytes = bytes(goldenBatch().buffer());
        bytes[RecordBatch.CRC_OFFSET] ^= 1; // a bad CRC that a rewrite would repair
        RecordBatch batch = RecordBatch.wrap(ByteBuffer.wrap(bytes));

        batch.setMaxTimestamp(TimestampType.CREATE_TIME, 1005L);

        assertThat(batch.isValid()).isFalse();
    }

    static Stream<Arguments> invalidBatches() {
        return Stream.of(
                Arguments.of("length below the header", edit(b -> b.putInt(RecordBatch.LENGTH_OFFSET, 5), false),
                        "size 17 is smaller than the minimum batch overhead of 61"),
                Arguments.of("length beyond the bytes", edit(b -> b.putInt(RecordBatch.LENGTH_OFFSET, 71), false),
                        "length field gives a size of 83 bytes but the batch holds 82"),
                Arguments.of("magic 1", edit(b -> b.put(RecordBatch.MAGIC_OFFSET, (byte) 1), false),
                        "magic 1 is not the supported magic 2"),
                Arguments.of("crc", edit(b -> b.putInt(RecordBatch.CRC_OFFSET, 0x12345678), false),
                        "stored CRC 305419896 does not match computed CRC 1568826705"),
                Arguments.of("gzip", edit(b -> b.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 1), true),
                        "compression codec 1 is not supported"),
                Arguments.of("zstd", edit(b -> b.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 4), true),
                        "compression codec 4 is not supported"),
                Arguments.of("more records than bytes", edit(b -> b.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 4), true),
                        "record count 4 does not fit in 21 bytes of records"),
                Arguments.of("negative record count", edit(b -> b.putInt(RecordBatch.RECORDS_COUNT_OFFSET, -1), true),
                        "record count -1 does not fit"),
                Arguments.of("zero records but bytes", edit(b -> b.putInt(RecordBatch.RECORDS_COUNT_OFFSET, 0), true),
                        "record count is 0 but 21 bytes of records follow the header"),
                Arguments.of("last offset delta too small",
                        edit(b -> b.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 0), true),
                        "last offset delta 0 cannot hold 2 records"));
    }

    /** The golden batch edited in place, its CRC recomputed or not. */
    private static RecordBatch edit(Consumer<ByteBuffer> change, boolean fixCrc) {
        ByteBuffer bytes = ByteBuffer.wrap(bytes(goldenBatch().buffer()));
        change.accept(bytes);
        RecordBatch batch = RecordBatch.wrap(bytes);
        if (fixCrc) {
            batch.writeChecksum();
        }
        return batch;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBatches")
    void ensureValidNamesWhatIsWrong(String name, RecordBatch batch, String message) {
        assertThat(batch.isValid()).isFalse();
        Throwable thrown = catchThrowable(batch::ensureValid);
        assertThat(thrown).isInstanceOf(CorruptRecordException.class)
                .hasMessageStartingWith("Record batch at base offset 5 is corrupt: ")
                .hasMessageContaining(message);
        assertThat(((CorruptRecordException) thrown).code()).isEqualTo(ErrorCode.CORRUPT_RECORD);
    }

    @Test
    void batchThatHoldsMoreBytesThanItsLengthIsInvalid() {
        ByteBuffer bytes = ByteBuffer.allocate(83).put(goldenBatch().buffer()).put((byte) 0).flip();

        assertThatThrownBy(() -> RecordBatch.wrap(bytes).ensureValid())
                .hasMessageContaining("length field gives a size of 82 bytes but the batch holds 83");
    }

    @Test
    void wrappingFewerBytesThanTheHeaderIsCorrupt() {
        assertThatThrownBy(() -> RecordBatch.wrap(ByteBuffer.allocate(60)))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("60 bytes is smaller than the minimum batch overhead of 61");
    }

    @Test
    void compressedBatchCannotBeIterated() {
        RecordBatch batch = edit(b -> b.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 2), true);

        assertThatThrownBy(batch::iterator).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("compression codec 2");
    }

    @Test
    void wrapSharesTheBytesAndLeavesThePositionAlone() {
        ByteBuffer bytes = ByteBuffer.allocate(100).position(10);
        bytes.put(goldenBatch().buffer()).flip().position(10);

        RecordBatch batch = RecordBatch.wrap(bytes);
        batch.setBaseOffset(77L);

        assertThat(bytes.position()).isEqualTo(10);
        assertThat(bytes.getLong(10)).isEqualTo(77L);
        assertThat(batch.buffer().position()).isZero();
        assertThat(batch.buffer().remaining()).isEqualTo(82);
        batch.ensureValid();
    }

    static Stream<Arguments> malformedRecords() {
        byte[] ok = emptyRecord(0, 0);
        return Stream.of(
                Arguments.of("length varint cut off", 1, hex("80")),
                Arguments.of("length over the batch end", 1, hex("7e 00 00 00 01 01 00")),
                Arguments.of("negative length", 1, hex("01 00 00 00 01 01 00")),
                Arguments.of("length below the minimum body", 1, hex("02 00 00 00 01 01 00")),
                Arguments.of("timestamp delta varlong too long", 1,
                        hex("1e 00 ffffffffffffffffffffff 00 01 01 00 0000000000000000000000")),
                Arguments.of("key longer than the record", 1, hex("0c 00 00 00 28 01 00")),
                Arguments.of("key length -2", 1, hex("0c 00 00 00 03 01 00")),
                Arguments.of("value longer than the record", 1, hex("0c 00 00 00 01 28 00")),
                Arguments.of("value length -5", 1, hex("0c 00 00 00 01 09 00")),
                Arguments.of("negative header count", 1, hex("0c 00 00 00 01 01 01")),
                Arguments.of("header count beyond the bytes", 1, hex("0e 00 00 00 01 01 7e 00")),
                Arguments.of("null header key", 1, hex("10 00 00 00 01 01 02 01 01")),
                Arguments.of("header key past the record", 1, hex("10 00 00 00 01 01 02 08 01")),
                Arguments.of("header value length -3", 1, hex("12 00 00 00 01 01 02 02 61 05")),
                Arguments.of("header value past the record", 1, hex("12 00 00 00 01 01 02 02 61 08")),
                Arguments.of("body longer than its fields", 1, hex("0e 00 00 00 01 01 00 00")),
                Arguments.of("body shorter than its fields", 1, hex("0c 00 00 00 02 01 00 61")),
                Arguments.of("fewer records than the count", 2, ok),
                Arguments.of("more records than the count", 1, concat(ok, emptyRecord(1, 0))),
                Arguments.of("trailing garbage after the last record", 1, concat(ok, hex("00"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRecords")
    void malformedRecordBytesUnderAGoodCrcAreCorruptOnIteration(String name, int count, byte[] records) {
        RecordBatch batch = RecordBatch.wrap(RawBatches.batch(0L, count, Math.max(count - 1, 0), records));
        assertThat(batch.computeChecksum()).isEqualTo(batch.checksum());

        assertThatThrownBy(() -> list(batch)).isInstanceOf(CorruptRecordException.class)
                .hasMessageStartingWith("Record batch at base offset 0 is corrupt: ");
    }

    @Test
    void recordCountMismatchesNameBothSides() {
        byte[] ok = emptyRecord(0, 0);
        RecordBatch tooFew = RecordBatch.wrap(RawBatches.batch(0L, 2, 1, ok));
        RecordBatch tooMany = RecordBatch.wrap(RawBatches.batch(0L, 1, 1, concat(ok, ok)));

        assertThatThrownBy(() -> list(tooFew)).hasMessageContaining("declares 2 records but its bytes end after 1");
        assertThatThrownBy(() -> list(tooMany)).hasMessageContaining("declares 1 records but 7 bytes remain");
    }

    @Test
    void zeroRecordBatchIsValidAndEmpty() {
        RecordBatch batch = RecordBatch.wrap(RawBatches.batch(10L, 0, 3, new byte[0]));

        batch.ensureValid();
        assertThat(list(batch)).isEmpty();
        assertThat(batch.lastOffset()).isEqualTo(13L);
    }

    @Test
    void randomCorruptionUnderAGoodCrcOnlyEverThrowsCorruptRecord() {
        RecordBatchBuilder builder = RecordBatchBuilder.create(0L);
        for (int i = 0; i < 6; i++) {
            builder.append(1_000L + i, utf8("key" + i), new byte[i * 40],
                    new Header[] {Header.of("h" + i, "v"), new Header("n", null)});
        }
        byte[] valid = bytes(builder.build().buffer());
        int length = valid.length;
        Random random = new Random(1234);
        for (int trial = 0; trial < 5_000; trial++) {
            ByteBuffer bytes = ByteBuffer.wrap(valid.clone(), 0, length);
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                int at = RecordBatch.RECORDS_OFFSET + random.nextInt(length - RecordBatch.RECORDS_OFFSET);
                bytes.put(at, (byte) random.nextInt(256));
            }
            RecordBatch batch = RecordBatch.wrap(bytes);
            batch.writeChecksum();
            Throwable thrown = catchThrowable(() -> list(batch));
            assertThat(thrown).as("trial %d", trial).satisfiesAnyOf(
                    t -> assertThat(t).isNull(),
                    t -> assertThat(t).isInstanceOf(CorruptRecordException.class));
        }
    }
}
