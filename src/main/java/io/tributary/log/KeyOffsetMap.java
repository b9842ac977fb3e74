package io.tributary.log;

import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatch;
import io.tributary.log.segment.LogSegment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pass one of a compaction round: the offset of the latest record of every key in a run of
 * segments (the inactive ones of a log, oldest first), and for each segment how many keyed records
 * and tombstones it holds and how many of its keyed records are still the latest for their key.
 * From those counts {@link LogCleaner} knows, before writing anything, which segments have records
 * to remove.
 *
 * <p>Every batch is CRC-checked here (a {@code CorruptRecordException} otherwise), so pass two
 * never re-encodes, and thereby launders, a corrupt batch. Control and transactional batches are
 * left out: compaction copies them as they are and their keys supersede nothing.
 *
 * <p>Memory: one entry per distinct key, holding a copy of the key. The map is exact and
 * unbounded; Kafka bounds its map with fixed-size key hashes and cleans in several rounds when it
 * fills, which this does not do yet.
 *
 * <p>Not thread-safe: one per compaction round.
 */
final class KeyOffsetMap {

    /** How much of a segment one read takes while scanning it. */
    private static final int READ_CHUNK_BYTES = 1024 * 1024;

    private final Map<ByteBuffer, Long> latest = new HashMap<>();
    private final long[] baseOffsets;
    private final long[] keyedRecords;
    private final long[] tombstones;
    private final long[] latestRecords;

    private KeyOffsetMap(List<LogSegment> segments) {
        baseOffsets = segments.stream().mapToLong(LogSegment::baseOffset).toArray();
        keyedRecords = new long[segments.size()];
        tombstones = new long[segments.size()];
        latestRecords = new long[segments.size()];
    }

    /** Reads {@code segments} (consecutive, oldest first) and maps every key to its latest offset. */
    static KeyOffsetMap build(List<LogSegment> segments) throws IOException {
        KeyOffsetMap map = new KeyOffsetMap(segments);
        for (int i = 0; i < segments.size(); i++) {
            int segment = i;
            forEachChunk(segments.get(i), chunk -> {
                for (RecordBatch batch : chunk.batches()) {
                    map.add(segment, batch);
                }
            });
        }
        map.countLatestRecords();
        return map;
    }

    private void add(int segment, RecordBatch batch) {
        batch.ensureValid();
        if (batch.isControl() || batch.isTransactional()) {
            return;
        }
        for (Record record : batch) {
            if (!record.hasKey()) {
                continue;
            }
            keyedRecords[segment]++;
            if (!record.hasValue()) {
                tombstones[segment]++;
            }
            latest.put(ByteBuffer.wrap(record.keyBytes()), record.offset());
        }
    }

    private void countLatestRecords() {
        for (long offset : latest.values()) {
            int at = Arrays.binarySearch(baseOffsets, offset);
            latestRecords[at >= 0 ? at : -at - 2]++;
        }
    }

    /**
     * Whether {@code record} is the latest of its key: true for a record without a key, and for a
     * key this map never saw (a segment read after the map was built).
     */
    boolean isLatest(Record record) {
        if (!record.hasKey()) {
            return true;
        }
        Long offset = latest.get(record.key());
        return offset == null || offset == record.offset();
    }

    /**
     * Whether segment {@code segment} (its index in the list given to {@link #build}) holds keyed
     * records that a later record of the same key supersedes.
     */
    boolean hasSupersededRecords(int segment) {
        return keyedRecords[segment] > latestRecords[segment];
    }

    /** The number of tombstones in segment {@code segment}, superseded or not. */
    long tombstones(int segment) {
        return tombstones[segment];
    }

    /** The number of distinct keys. */
    int size() {
        return latest.size();
    }

    /** What to do with each chunk of a segment. */
    @FunctionalInterface
    interface ChunkAction {
        void accept(MemoryRecords chunk) throws IOException;
    }

    /**
     * Reads a segment that takes no more appends from its first batch to its end, in chunks of whole
     * batches of about {@link #READ_CHUNK_BYTES} (one batch when a batch is bigger).
     */
    static void forEachChunk(LogSegment segment, ChunkAction action) throws IOException {
        int limit = segment.size();
        long next = segment.baseOffset();
        MemoryRecords chunk;
        while ((chunk = segment.read(next, READ_CHUNK_BYTES, limit, true)) != null && chunk.sizeInBytes() > 0) {
            action.accept(chunk);
            for (RecordBatch batch : chunk.batches()) {
                next = batch.nextOffset();
            }
        }
    }
}
