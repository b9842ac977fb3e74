package io.tributary.log;

import io.tributary.common.TopicPartition;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatch;
import io.tributary.log.record.RecordBatchBuilder;
import io.tributary.log.record.SimpleRecord;
import io.tributary.log.segment.LogFileNames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logs with a known shape for the storage tests. Every batch holds one record whose value names
 * its offset ({@code v00042} at offset 42), so "exactly the records before the damage survive" is a
 * comparison with {@link #valuesFor}; every batch has the same size, {@link #BATCH_BYTES}, so a
 * segment of {@code n * BATCH_BYTES} holds exactly {@code n} batches.
 */
final class LogTestSupport {

    static final TopicPartition TP = new TopicPartition("orders", 0);

    /** The size of every batch {@link #append} writes. */
    static final int BATCH_BYTES = batch(0, 0).sizeInBytes();

    private LogTestSupport() {
    }

    static String value(long offset) {
        return String.format("v%05d", offset);
    }

    /** One batch of one record meant for {@code offset}, with the given timestamp. */
    static MemoryRecords batch(long offset, long timestamp) {
        return RecordBatchBuilder.withRecords(0, SimpleRecord.of(timestamp,
                ("k" + value(offset)).getBytes(StandardCharsets.UTF_8), value(offset).getBytes(StandardCharsets.UTF_8)));
    }

    /** Settings with segments of exactly {@code batchesPerSegment} batches and an index entry per batch. */
    static LogConfig config(int batchesPerSegment) {
        return LogConfig.defaults().withOverrides(Map.of(
                LogConfig.SEGMENT_BYTES, Integer.toString(batchesPerSegment * BATCH_BYTES),
                LogConfig.INDEX_INTERVAL_BYTES, "1"));
    }

    /** A fresh environment (its own failure gate) without a flusher or delayed deletion. */
    static LogEnvironment environment(MockTime time, Path dir) {
        return new LogEnvironment(time, new IoFailureGate(dir), FlushPolicy.NONE, null, null);
    }

    /** Appends {@code count} one-record batches at the log end, all with {@code timestamp}. */
    static void append(PartitionLog log, int count, long timestamp) {
        for (int i = 0; i < count; i++) {
            long offset = log.logEndOffset();
            AppendResult result = log.append(batch(offset, timestamp), 0).join();
            assertThat(result.firstOffset()).isEqualTo(offset);
        }
    }

    /**
     * Leaves the log as a crash would: the files are closed without a flush and without the final
     * index entries a clean close writes. (The log's own gate is marked failed, which is how
     * {@link FilePartitionLog#close()} is told to skip both; the next open gets a fresh gate.)
     */
    static void crash(FilePartitionLog log) {
        log.environment().gate().fail("simulating a crash", new IOException("simulated crash"));
        log.close();
    }

    /** Every record from the log start to the log end as {@code (offset, value)}, read in small steps. */
    static List<OffsetValue> readAll(PartitionLog log) {
        List<OffsetValue> out = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            MemoryRecords records = log.read(next, 1, Long.MAX_VALUE).records();
            assertThat(records.sizeInBytes()).as("a read at offset %d", next).isPositive();
            for (RecordBatch batch : records.batches()) {
                for (Record r : batch) {
                    if (r.offset() >= next) {
                        out.add(new OffsetValue(r.offset(), new String(r.valueBytes(), StandardCharsets.UTF_8)));
                    }
                }
                next = batch.nextOffset();
            }
        }
        return out;
    }

    /** What {@link #readAll} returns for a log holding exactly offsets {@code from} to {@code to - 1}. */
    static List<OffsetValue> valuesFor(long from, long to) {
        List<OffsetValue> out = new ArrayList<>();
        for (long offset = from; offset < to; offset++) {
            out.add(new OffsetValue(offset, value(offset)));
        }
        return out;
    }

    record OffsetValue(long offset, String value) {
    }

    /** The byte positions of the batches in a segment file, in order. */
    static List<Integer> batchPositions(Path logFile) throws IOException {
        MemoryRecords records = MemoryRecords.readableRecords(ByteBuffer.wrap(Files.readAllBytes(logFile)));
        List<Integer> positions = new ArrayList<>();
        int position = 0;
        for (RecordBatch batch : records.batches()) {
            positions.add(position);
            position += batch.sizeInBytes();
        }
        return positions;
    }

    /**
     * Flips the lowest bit of the last character of the value of the batch at {@code position}: the
     * record still decodes (the value just reads differently), so only the CRC can tell.
     */
    static void flipBitInValue(Path logFile, int position) throws IOException {
        byte[] bytes = Files.readAllBytes(logFile);
        int at = position + BATCH_BYTES - 2;
        bytes[at] ^= 0x01;
        Files.write(logFile, bytes);
    }

    /** Base offsets of the segment files in {@code dir}. */
    static List<Long> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> LogFileNames.baseOffsetOf(p.getFileName().toString(), LogFileNames.LOG_SUFFIX))
                    .filter(o -> o.isPresent()).map(o -> o.getAsLong()).sorted().toList();
        }
    }

    /** Names of the files in {@code dir}, sorted. */
    static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
