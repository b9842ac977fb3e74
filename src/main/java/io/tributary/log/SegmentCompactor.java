package io.tributary.log;

import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatch;
import io.tributary.log.record.RecordBatchBuilder;
import io.tributary.log.segment.LogFileNames;
import io.tributary.log.segment.LogSegment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Pass two of a compaction round: writes the compacted copy of one segment beside it, as
 * {@code <base>.log.cleaned} with its {@code .index.cleaned} and {@code .timeindex.cleaned}, and
 * forces all three to the device. The original is only read.
 *
 * <p>What stays, batch by batch:
 * <ul>
 *   <li>A record without a key. Kafka refuses those on compacted topics; Tributary accepts them,
 *       so compaction keeps them rather than lose data it cannot tell apart.</li>
 *   <li>A keyed record that is the latest of its key in the {@link KeyOffsetMap}, unless it is a
 *       tombstone and {@code removeTombstones} is set (its segment is past
 *       {@code delete.retention.ms}).</li>
 *   <li>Control and transactional batches, whole: there is no transaction state to judge them by.</li>
 * </ul>
 * A batch that keeps every record is copied byte for byte. A batch that keeps some is rebuilt with
 * {@link RecordBatchBuilder#appendWithOffset}: each record keeps its offset, and the batch keeps
 * its base offset (so base sequence + offset delta still gives each record's producer sequence),
 * producer id, epoch, base sequence, leader epoch and timestamp type; its last offset delta becomes
 * the last kept record's. A batch that keeps nothing is dropped. Offsets are never renumbered: the
 * copy has gaps where records went.
 *
 * <p>The copy keeps the original's modification time, so a segment whose records carry no
 * timestamp does not look newer to the tombstone rule for having been rewritten.
 *
 * <p>Not thread-safe: one per segment being compacted.
 */
final class SegmentCompactor {

    /**
     * A compacted copy on disk, under its {@code .cleaned} names.
     *
     * @param recordsRemoved     records of the original that the copy leaves out
     * @param recordsRetained    records the copy holds
     * @param tombstonesRetained tombstones among them
     */
    record CleanedCopy(Path logFile, Path indexFile, Path timeIndexFile, int sizeInBytes, long recordsRemoved,
                       long recordsRetained, long tombstonesRetained) {

        /** Deletes the copy's files. */
        void deleteFiles() throws IOException {
            Files.deleteIfExists(logFile);
            Files.deleteIfExists(indexFile);
            Files.deleteIfExists(timeIndexFile);
        }
    }

    private final KeyOffsetMap map;
    private final boolean removeTombstones;
    private long removed;
    private long retained;
    private long tombstonesRetained;

    private SegmentCompactor(KeyOffsetMap map, boolean removeTombstones) {
        this.map = map;
        this.removeTombstones = removeTombstones;
    }

    /** Writes the compacted copy of {@code source}, an inactive segment of {@code log}. */
    static CleanedCopy writeCleanedCopy(FilePartitionLog log, LogSegment source, KeyOffsetMap map,
                                        boolean removeTombstones) throws IOException {
        LogConfig config = log.config();
        LogEnvironment env = log.environment();
        LogSegment copy = LogSegment.createWithSuffix(log.dir(), source.baseOffset(), LogFileNames.CLEANED_SUFFIX,
                config.indexIntervalBytes(), env.time(), env.channelOpener());
        SegmentCompactor compactor = new SegmentCompactor(map, removeTombstones);
        CleanedCopy cleaned = new CleanedCopy(copy.logFile(), indexFileOf(copy, LogFileNames.INDEX_SUFFIX),
                indexFileOf(copy, LogFileNames.TIME_INDEX_SUFFIX), 0, 0, 0, 0);
        try {
            KeyOffsetMap.forEachChunk(source, chunk -> {
                ByteBuffer kept = compactor.retain(chunk);
                if (kept.hasRemaining()) {
                    copy.append(MemoryRecords.readableRecords(kept));
                }
            });
            copy.onBecomeInactive();
            copy.close();
            Files.setLastModifiedTime(copy.logFile(), Files.getLastModifiedTime(source.logFile()));
        } catch (IOException | RuntimeException e) {
            copy.close();
            cleaned.deleteFiles();
            throw e;
        }
        return new CleanedCopy(cleaned.logFile(), cleaned.indexFile(), cleaned.timeIndexFile(), copy.size(),
                compactor.removed, compactor.retained, compactor.tombstonesRetained);
    }

    /** {@code <base>.index.cleaned} or {@code <base>.timeindex.cleaned} beside the copy's log file. */
    private static Path indexFileOf(LogSegment copy, String suffix) {
        String name = LogFileNames.baseName(copy.baseOffset()) + suffix + LogFileNames.CLEANED_SUFFIX;
        return copy.logFile().resolveSibling(name);
    }

    /** The bytes of the batches of {@code chunk} that stay, each whole, copied or rebuilt. */
    private ByteBuffer retain(MemoryRecords chunk) {
        List<ByteBuffer> kept = new ArrayList<>();
        int size = 0;
        for (RecordBatch batch : chunk.batches()) {
            ByteBuffer bytes = retain(batch);
            if (bytes != null) {
                kept.add(bytes);
                size += bytes.remaining();
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer bytes : kept) {
            out.put(bytes);
        }
        return out.flip();
    }

    /** The batch itself when everything stays, a rebuilt batch when some of it does, else null. */
    private ByteBuffer retain(RecordBatch batch) {
        if (batch.isControl() || batch.isTransactional()) {
            retained += batch.recordCount();
            return batch.buffer();
        }
        batch.ensureValid();
        List<Record> kept = new ArrayList<>(batch.recordCount());
        int count = 0;
        for (Record record : batch) {
            count++;
            if (keep(record)) {
                kept.add(record);
            }
        }
        removed += count - kept.size();
        retained += kept.size();
        for (Record record : kept) {
            tombstonesRetained += record.hasKey() && !record.hasValue() ? 1 : 0;
        }
        if (kept.size() == count) {
            return batch.buffer();
        }
        return kept.isEmpty() ? null : rebuild(batch, kept);
    }

    private boolean keep(Record record) {
        if (!record.hasKey()) {
            return true;
        }
        return map.isLatest(record) && (record.hasValue() || !removeTombstones);
    }

    private static ByteBuffer rebuild(RecordBatch original, List<Record> kept) {
        RecordBatchBuilder builder = new RecordBatchBuilder(original.baseOffset(), original.timestampType(),
                original.producerId(), original.producerEpoch(), original.baseSequence(),
                original.partitionLeaderEpoch(), original.sizeInBytes());
        for (Record record : kept) {
            builder.appendWithOffset(record.offset(), record.timestamp(), record.key(), record.value(),
                    record.headers());
        }
        return builder.build().buffer();
    }
}
