package io.tributary.log.segment;

import io.tributary.common.Time;
import io.tributary.log.index.CorruptIndexException;
import io.tributary.log.index.OffsetIndex;
import io.tributary.log.index.OffsetPosition;
import io.tributary.log.index.TimeIndex;
import io.tributary.log.index.TimestampOffset;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.Record;
import io.tributary.log.record.RecordBatch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One segment of a partition log: a {@code .log} file of record batches in offset order, starting
 * at {@code baseOffset}, with its sparse {@link OffsetIndex} and {@link TimeIndex}.
 *
 * <p>Invariants: batches are whole and contiguous from byte 0 to {@link #size()}; offsets
 * increase; every offset in the segment is at least {@code baseOffset} and at most
 * {@code baseOffset + Integer.MAX_VALUE}. Bytes past {@code size()} are never read.
 *
 * <p>Thread safety: reads thread-safe, single writer. Appends, truncation and recovery come from
 * the partition's writer; readers bound their reads by a size they were given (the published
 * end), so they never see a half-written batch.
 */
public final class LogSegment implements Closeable {

    private static final int RECOVERY_BUFFER_BYTES = 1024 * 1024;

    private final long baseOffset;
    private final int indexIntervalBytes;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final long createdMs;
    private volatile Path logFile;
    private volatile int size;
    private int bytesSinceLastIndexEntry;
    private volatile long maxTimestampSoFar = -1;
    private volatile long offsetOfMaxTimestampSoFar;
    private long rollingBasedTimestamp = -1;

    private LogSegment(Path logFile, long baseOffset, int indexIntervalBytes, FileChannel channel,
                       OffsetIndex offsetIndex, TimeIndex timeIndex, long createdMs) throws IOException {
        this.logFile = logFile;
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = indexIntervalBytes;
        this.channel = channel;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.createdMs = createdMs;
        this.size = (int) Math.min(Integer.MAX_VALUE, channel.size());
        this.offsetOfMaxTimestampSoFar = baseOffset;
    }

    /** A new, empty segment; existing files at that offset are replaced. */
    public static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, Time time, ChannelOpener opener)
            throws IOException {
        Files.deleteIfExists(LogFileNames.indexFile(dir, baseOffset));
        Files.deleteIfExists(LogFileNames.timeIndexFile(dir, baseOffset));
        Path file = LogFileNames.logFile(dir, baseOffset);
        FileChannel channel = opener.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return new LogSegment(file, baseOffset, indexIntervalBytes, channel,
                OffsetIndex.empty(LogFileNames.indexFile(dir, baseOffset), baseOffset),
                TimeIndex.empty(LogFileNames.timeIndexFile(dir, baseOffset), baseOffset), time.milliseconds());
    }

    /**
     * Opens an existing segment, trusting its index files: they are loaded and sanity-checked, and
     * the batches after the last index entry are walked to find the end. Returns empty when the
     * indexes or the tail do not make sense; the caller then opens it with {@link #openForRecovery}.
     */
    public static Optional<LogSegment> openTrusted(Path logFile, long baseOffset, int indexIntervalBytes,
                                                 ChannelOpener opener) throws IOException {
        Path dir = logFile.getParent();
        OffsetIndex offsetIndex;
        TimeIndex timeIndex;
        try {
            offsetIndex = OffsetIndex.load(LogFileNames.indexFile(dir, baseOffset), baseOffset);
            timeIndex = TimeIndex.load(LogFileNames.timeIndexFile(dir, baseOffset), baseOffset);
        } catch (CorruptIndexException e) {
            return Optional.empty();
        }
        FileChannel channel = opener.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        LogSegment segment = new LogSegment(logFile, baseOffset, indexIntervalBytes, channel, offsetIndex, timeIndex,
                Files.getLastModifiedTime(logFile).toMillis());
        try {
            offsetIndex.sanityCheck(segment.size);
            if (segment.walkTail() && segment.timeIndexMatchesLog()) {
                return Optional.of(segment);
            }
        } catch (CorruptIndexException e) {
            // fall through: the caller recovers
        }
        segment.close();
        return Optional.empty();
    }

    /** Opens an existing segment whose indexes will be rebuilt by {@link #recover}. */
    public static LogSegment openForRecovery(Path logFile, long baseOffset, int indexIntervalBytes,
                                             ChannelOpener opener) throws IOException {
        Path dir = logFile.getParent();
        FileChannel channel = opener.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new LogSegment(logFile, baseOffset, indexIntervalBytes, channel,
                OffsetIndex.empty(LogFileNames.indexFile(dir, baseOffset), baseOffset),
                TimeIndex.empty(LogFileNames.timeIndexFile(dir, baseOffset), baseOffset),
                Files.getLastModifiedTime(logFile).toMillis());
    }

    /**
     * A new, empty segment whose three files carry {@code suffix} after their usual names, such as
     * {@code 00000000000000000000.log.cleaned} for a compacted copy being written; existing files
     * with those names are replaced. The segment is written like any other; it becomes part of a log
     * only when its files are renamed to the usual names and opened again.
     */
    public static LogSegment createWithSuffix(Path dir, long baseOffset, String suffix, int indexIntervalBytes,
                                              Time time, ChannelOpener opener) throws IOException {
        Path file = dir.resolve(LogFileNames.logFile(dir, baseOffset).getFileName() + suffix);
        Path index = dir.resolve(LogFileNames.indexFile(dir, baseOffset).getFileName() + suffix);
        Path timeIndex = dir.resolve(LogFileNames.timeIndexFile(dir, baseOffset).getFileName() + suffix);
        Files.deleteIfExists(index);
        Files.deleteIfExists(timeIndex);
        FileChannel channel = opener.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return new LogSegment(file, baseOffset, indexIntervalBytes, channel, OffsetIndex.empty(index, baseOffset),
                TimeIndex.empty(timeIndex, baseOffset), time.milliseconds());
    }

    /**
     * Walks batch headers after the last index entry: sets the timestamp bookkeeping and checks that
     * the file ends on a batch boundary. False when it does not (a torn tail needs recovery).
     */
    private boolean walkTail() throws IOException {
        TimestampOffset lastTime = timeIndex.lastEntry();
        maxTimestampSoFar = lastTime.timestamp();
        offsetOfMaxTimestampSoFar = lastTime.offset();
        BatchHeaderReader reader = new BatchHeaderReader(channel);
        int position = offsetIndex.lastEntry().position();
        while (position < size) {
            BatchHeader header = reader.headerAt(position, size);
            if (header == null || !header.isWellFormed() || header.nextPosition() > size || header.baseOffset() < baseOffset) {
                return false;
            }
            trackTimestamp(header.maxTimestamp(), header.lastOffset());
            bytesSinceLastIndexEntry += header.sizeInBytes();
            position = header.nextPosition();
        }
        BatchHeader first = reader.headerAt(0, size);
        rollingBasedTimestamp = first == null ? -1 : first.maxTimestamp();
        return true;
    }

    /**
     * Whether the time index's last entry names a batch of this segment by its last offset and
     * that batch's maximum timestamp, as every entry written by this class does. Garbage that
     * still loads (whole entries, in order) would otherwise misdirect timestamp lookups and
     * retention, which read the segment's largest timestamp from it.
     */
    private boolean timeIndexMatchesLog() throws IOException {
        if (timeIndex.entries() == 0) {
            return true;
        }
        TimestampOffset last = timeIndex.lastEntry();
        BatchHeader header = translateOffset(last.offset(), size);
        return header != null && header.lastOffset() == last.offset() && header.maxTimestamp() == last.timestamp();
    }

    /**
     * Appends batches whose offsets are already assigned. The bytes reach the OS before this
     * returns ({@code FileChannel.write}); forcing them to the device is {@link #flush()}'s job.
     */
    public void append(MemoryRecords records) throws IOException {
        ByteBuffer buffer = records.buffer();
        int position = size;
        int physical = position;
        for (RecordBatch batch : records.batches()) {
            if (size == 0 && physical == position) {
                rollingBasedTimestamp = batch.maxTimestamp();
            }
            trackTimestamp(batch.maxTimestamp(), batch.lastOffset());
            if (bytesSinceLastIndexEntry > indexIntervalBytes) {
                offsetIndex.append(batch.lastOffset(), physical);
                timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
                bytesSinceLastIndexEntry = 0;
            }
            bytesSinceLastIndexEntry += batch.sizeInBytes();
            physical += batch.sizeInBytes();
        }
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
        size = (int) at;
    }

    private void trackTimestamp(long timestamp, long offset) {
        if (timestamp > maxTimestampSoFar) {
            maxTimestampSoFar = timestamp;
            offsetOfMaxTimestampSoFar = offset;
        }
    }

    /**
     * The first batch whose last offset is at least {@code offset}, found through the index and
     * a walk over headers below {@code limit}; null when there is none.
     */
    public BatchHeader translateOffset(long offset, int limit) throws IOException {
        OffsetPosition start = offsetIndex.lookup(offset);
        BatchHeaderReader reader = new BatchHeaderReader(channel);
        int position = start.position();
        while (position < limit) {
            BatchHeader header = reader.headerAt(position, limit);
            if (header == null) {
                return null;
            }
            if (header.lastOffset() >= offset) {
                return header;
            }
            position = header.nextPosition();
        }
        return null;
    }

    /**
     * Reads whole batches starting with the one that holds {@code startOffset}, at most
     * {@code maxBytes} of them (but always the first batch when {@code minOneBatch}), and nothing
     * at or after byte {@code maxPosition}. Null when no batch below {@code maxPosition} reaches
     * {@code startOffset}. The first batch may begin before {@code startOffset}.
     */
    public MemoryRecords read(long startOffset, int maxBytes, int maxPosition, boolean minOneBatch) throws IOException {
        BatchHeader first = translateOffset(startOffset, maxPosition);
        if (first == null) {
            return null;
        }
        int available = maxPosition - first.position();
        int wanted = minOneBatch ? Math.max(maxBytes, first.sizeInBytes()) : maxBytes;
        int length = Math.min(available, wanted);
        ByteBuffer buffer = ByteBuffer.allocate(length);
        long at = first.position();
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                break;
            }
            at += read;
        }
        buffer.flip();
        MemoryRecords records = MemoryRecords.readableRecords(buffer);
        int valid = records.validBytes();
        if (valid < buffer.limit()) {
            buffer.limit(valid);
            records = MemoryRecords.readableRecords(buffer);
        }
        return records;
    }

    /**
     * Scans the whole file, checking every batch's CRC and offsets, rebuilds both indexes, and cuts
     * the file at the first batch that is torn or corrupt (everything after it goes too). Never
     * throws for bad content: it reports what it cut.
     */
    public SegmentRecovery recover(long expectedFirstOffset) throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        bytesSinceLastIndexEntry = 0;
        maxTimestampSoFar = -1;
        offsetOfMaxTimestampSoFar = baseOffset;
        long fileSize = channel.size();
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(RECOVERY_BUFFER_BYTES, Math.max(fileSize, 64)));
        int position = 0;
        long nextOffset = Math.max(baseOffset, expectedFirstOffset);
        String problem = null;
        while (position < fileSize && problem == null) {
            buffer = fillFrom(buffer, position, fileSize);
            int at = 0;
            while (problem == null) {
                if (buffer.limit() - at < RecordBatch.LOG_OVERHEAD) {
                    if (position + at + RecordBatch.LOG_OVERHEAD > fileSize && position + at < fileSize) {
                        problem = "a torn batch header";
                    }
                    break;
                }
                int batchSize = RecordBatch.LOG_OVERHEAD + buffer.getInt(at + RecordBatch.LENGTH_OFFSET);
                if (batchSize < RecordBatch.RECORD_BATCH_OVERHEAD) {
                    problem = "a batch length of " + batchSize + " bytes";
                } else if (position + at + (long) batchSize > fileSize) {
                    problem = "a torn batch (" + batchSize + " bytes announced, "
                            + (fileSize - position - at) + " present)";
                } else if (at + batchSize > buffer.limit()) {
                    if (at == 0) {
                        buffer = ByteBuffer.allocate(batchSize);
                        buffer = fillFrom(buffer, position, fileSize);
                        continue;
                    }
                    break;
                } else {
                    problem = validateBatch(buffer, at, batchSize, nextOffset);
                    if (problem == null) {
                        RecordBatch batch = RecordBatch.wrap(buffer.duplicate().position(at).limit(at + batchSize).slice());
                        indexRecovered(batch, position + at);
                        nextOffset = batch.lastOffset() + 1;
                        at += batchSize;
                    }
                }
            }
            position += at;
        }
        size = position;
        long truncated = fileSize - position;
        if (truncated > 0) {
            channel.truncate(position);
            channel.force(true);
        }
        return new SegmentRecovery(position, truncated, nextOffset, problem);
    }

    private ByteBuffer fillFrom(ByteBuffer buffer, int position, long fileSize) throws IOException {
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), fileSize - position));
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                break;
            }
            at += read;
        }
        buffer.flip();
        return buffer;
    }

    private String validateBatch(ByteBuffer buffer, int at, int batchSize, long nextOffset) {
        RecordBatch batch = RecordBatch.wrap(buffer.duplicate().position(at).limit(at + batchSize).slice());
        if (batch.magic() != RecordBatch.MAGIC) {
            return "unknown magic " + batch.magic();
        }
        if (!batch.isValid()) {
            return "a CRC mismatch (stored " + batch.checksum() + ", computed " + batch.computeChecksum() + ")";
        }
        if (batch.baseOffset() < nextOffset || batch.lastOffset() < batch.baseOffset()
                || batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
            return "offsets " + batch.baseOffset() + ".." + batch.lastOffset() + " out of order (expected >= "
                    + nextOffset + ")";
        }
        return null;
    }

    private void indexRecovered(RecordBatch batch, int position) {
        if (position == 0) {
            rollingBasedTimestamp = batch.maxTimestamp();
        }
        trackTimestamp(batch.maxTimestamp(), batch.lastOffset());
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(batch.lastOffset(), position);
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batch.sizeInBytes();
    }

    /**
     * Removes every batch whose last offset is at least {@code offset}, and returns the bytes cut.
     * A batch that straddles {@code offset} goes whole: the segment ends on a batch boundary.
     */
    public int truncateTo(long offset) throws IOException {
        BatchHeader from = translateOffset(offset, size);
        if (from == null) {
            return 0;
        }
        int cut = size - from.position();
        offsetIndex.truncateToPosition(from.position());
        timeIndex.truncateToOffset(offset);
        channel.truncate(from.position());
        size = from.position();
        bytesSinceLastIndexEntry = 0;
        TimestampOffset last = timeIndex.lastEntry();
        maxTimestampSoFar = last.timestamp();
        offsetOfMaxTimestampSoFar = last.offset();
        if (size == 0) {
            rollingBasedTimestamp = -1;
        }
        return cut;
    }

    /** The offset after the last batch, or {@code baseOffset} when the segment is empty. */
    public long readNextOffset() throws IOException {
        BatchHeaderReader reader = new BatchHeaderReader(channel);
        int position = offsetIndex.lastEntry().position();
        long next = baseOffset;
        int limit = size;
        while (position < limit) {
            BatchHeader header = reader.headerAt(position, limit);
            if (header == null) {
                break;
            }
            next = header.nextOffset();
            position = header.nextPosition();
        }
        return next;
    }

    /**
     * The first record at or after {@code timestamp} with an offset of at least
     * {@code startingOffset}, or empty.
     */
    public Optional<TimestampOffset> findOffsetByTimestamp(long timestamp, long startingOffset, int limit)
            throws IOException {
        TimestampOffset before = timeIndex.lookupBefore(timestamp);
        long from = Math.max(before.offset(), startingOffset);
        MemoryRecords records;
        long scanFrom = from;
        while ((records = read(scanFrom, 1024 * 1024, limit, true)) != null && records.sizeInBytes() > 0) {
            long last = scanFrom;
            for (RecordBatch batch : records.batches()) {
                last = batch.lastOffset();
                if (batch.maxTimestamp() < timestamp) {
                    continue;
                }
                for (Record record : batch) {
                    if (record.offset() >= startingOffset && record.timestamp() >= timestamp) {
                        return Optional.of(new TimestampOffset(record.timestamp(), record.offset()));
                    }
                }
            }
            scanFrom = last + 1;
        }
        return Optional.empty();
    }

    /** Called when a newer segment takes over appends: records the final maximum timestamp. */
    public void onBecomeInactive() throws IOException {
        if (maxTimestampSoFar >= 0) {
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
        }
        flush();
        offsetIndex.flush();
        timeIndex.flush();
    }

    /** Forces the log file's bytes to the device (indexes are flushed at roll and close). */
    public void flush() throws IOException {
        channel.force(false);
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** Bytes of whole batches in the file. */
    public int size() {
        return size;
    }

    /** Milliseconds the segment has been open for appends, by the rule of {@code segment.ms}. */
    public long timeWaitedForRoll(long nowMs, long incomingTimestamp) {
        return rollingBasedTimestamp >= 0 && incomingTimestamp >= 0
                ? incomingTimestamp - rollingBasedTimestamp
                : nowMs - createdMs;
    }

    /** The largest record timestamp, or the file's modification time when no record carries one. */
    public long largestTimestamp() throws IOException {
        return maxTimestampSoFar >= 0 ? maxTimestampSoFar : Files.getLastModifiedTime(logFile).toMillis();
    }

    public long maxTimestampSoFar() {
        return maxTimestampSoFar;
    }

    public Path logFile() {
        return logFile;
    }

    /** Renames the files with a suffix (such as {@code .deleted}) while keeping them open. */
    public void addSuffix(String suffix) throws IOException {
        Path target = logFile.resolveSibling(logFile.getFileName() + suffix);
        Files.move(logFile, target);
        logFile = target;
        offsetIndex.renameTo(offsetIndex.file().resolveSibling(offsetIndex.file().getFileName() + suffix));
        timeIndex.renameTo(timeIndex.file().resolveSibling(timeIndex.file().getFileName() + suffix));
    }

    /** Closes and deletes the files. */
    public void deleteFiles() throws IOException {
        channel.close();
        Files.deleteIfExists(logFile);
        offsetIndex.deleteFile();
        timeIndex.deleteFile();
    }

    /** Writes the final index entries and closes; the caller has flushed the data it cares about. */
    public void closeAndFlush() throws IOException {
        if (channel.isOpen()) {
            onBecomeInactive();
            channel.close();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile.getFileName() + ", size=" + size + ")";
    }
}
