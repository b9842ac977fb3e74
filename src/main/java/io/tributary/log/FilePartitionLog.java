package io.tributary.log;

import io.tributary.common.ErrorCode;
import io.tributary.common.LogFields;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.StorageException;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.checkpoint.OffsetCheckpointFile;
import io.tributary.log.index.TimestampOffset;
import io.tributary.log.record.BatchesSummary;
import io.tributary.log.record.MemoryRecords;
import io.tributary.log.record.RecordBatch;
import io.tributary.log.record.TimestampType;
import io.tributary.log.segment.BatchHeader;
import io.tributary.log.segment.LogFileNames;
import io.tributary.log.segment.LogSegment;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition log in a directory of {@link LogSegment}s.
 *
 * <p>Writes (append, roll, truncate, retention, segment swaps) hold {@code writeLock}; the writer
 * publishes a new {@link LogEnd} after each append, and readers bound every read by the
 * {@code LogEnd} they took, so they never see a batch in the middle of being written and never
 * wait for the writer. Deleted segments are renamed {@code .deleted} and closed only after
 * {@code file.delete.delay.ms}, so a reader that took one just before still finishes its read.
 *
 * <p>Durability: the recovery point is the offset below which everything is on the device. It
 * moves forward on {@link #flushUpTo}, never past the published end, and only backwards by
 * truncation. Every {@link IOException} goes through the directory's {@link IoFailureGate}.
 *
 * <p>Thread safety: thread-safe.
 */
public final class FilePartitionLog implements PartitionLog {

    private static final Logger LOG = LoggerFactory.getLogger(FilePartitionLog.class);

    private final TopicPartition tp;
    private final Path dir;
    private final Time time;
    private final IoFailureGate gate;
    private final LogEnvironment env;
    private final LogSegments segments;
    private final LeaderEpochCache epochs;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object flushLock = new Object();
    private volatile LogConfig config;
    private volatile LogEnd end;
    private volatile long recoveryPoint;
    private volatile boolean closed;
    /** Counts truncations, so a segment swap can tell that a segment it read may have changed since. */
    private volatile long truncations;

    FilePartitionLog(TopicPartition tp, Path dir, LogConfig config, LogSegments segments, long nextOffset,
                     long recoveryPoint, LeaderEpochCache epochs, LogEnvironment env) {
        this.tp = tp;
        this.epochs = epochs;
        this.dir = dir;
        this.config = config;
        this.segments = segments;
        this.env = env;
        this.time = env.time();
        this.gate = env.gate();
        LogSegment active = segments.active();
        this.end = new LogEnd(nextOffset, active, active.size());
        this.recoveryPoint = Math.min(recoveryPoint, nextOffset);
    }

    /** Opens (or creates) the log in {@code dir}, recovering it as {@link LogLoader} describes. */
    public static FilePartitionLog open(TopicPartition tp, Path dir, LogConfig config, long recoveryPoint,
                                        boolean cleanShutdown, LogEnvironment env) {
        try {
            boolean created = !Files.isDirectory(dir);
            Files.createDirectories(dir);
            FilePartitionLog log = LogLoader.load(tp, dir, config, recoveryPoint, cleanShutdown, env);
            if (created) {
                OffsetCheckpointFile.forceDirectory(dir);
                OffsetCheckpointFile.forceDirectory(dir.toAbsolutePath().getParent());
            }
            return log;
        } catch (IOException e) {
            throw env.gate().fail("opening the log of " + tp, e);
        }
    }

    @Override
    public TopicPartition topicPartition() {
        return tp;
    }

    @Override
    public CompletableFuture<AppendResult> append(MemoryRecords records, int leaderEpoch) {
        BatchesSummary summary = LogValidator.validate(tp, config, records, true);
        AppendResult result;
        writeLock.lock();
        try {
            ensureOpenAndWritable();
            long first = end.offset();
            long now = time.milliseconds();
            boolean logAppendTime = config.timestampType() == TimestampType.LOG_APPEND_TIME;
            long next = LogValidator.assignOffsets(records, first, leaderEpoch, config.timestampType(), now);
            appendLocked(records, logAppendTime ? now : summary.maxTimestamp(), now);
            updateEpochsLocked(() -> epochs.assign(leaderEpoch, first));
            result = new AppendResult(first, next - 1, logAppendTime ? now : -1, summary.records(), records.sizeInBytes());
        } finally {
            writeLock.unlock();
        }
        return env.acknowledge(this, result);
    }

    @Override
    public CompletableFuture<AppendResult> appendAsFollower(MemoryRecords records) {
        BatchesSummary summary = LogValidator.validate(tp, config, records, false);
        AppendResult result;
        writeLock.lock();
        try {
            ensureOpenAndWritable();
            if (summary.firstOffset() < end.offset()) {
                throw new TributaryException(ErrorCode.INVALID_RECORD, "Replicated batch at offset "
                        + summary.firstOffset() + " is below the log end " + end.offset() + " of " + tp);
            }
            appendLocked(records, summary.maxTimestamp(), time.milliseconds());
            updateEpochsLocked(() -> {
                for (RecordBatch batch : records.batches()) {
                    epochs.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
                }
            });
            result = new AppendResult(summary.firstOffset(), summary.lastOffset(), -1, summary.records(),
                    records.sizeInBytes());
        } finally {
            writeLock.unlock();
        }
        return env.acknowledge(this, result);
    }

    private void appendLocked(MemoryRecords records, long maxTimestamp, long now) {
        try {
            LogSegment segment = maybeRoll(records.sizeInBytes(), maxTimestamp, now);
            segment.append(records);
            long next = end.offset();
            for (RecordBatch batch : records.batches()) {
                next = batch.lastOffset() + 1;
            }
            end = new LogEnd(next, segment, segment.size());
        } catch (IOException e) {
            throw gate.fail("appending to " + tp, e);
        }
    }

    /** Applies a change to the leader epoch cache; its checkpoint's I/O errors go through the gate. */
    private void updateEpochsLocked(Runnable change) {
        try {
            change.run();
        } catch (java.io.UncheckedIOException e) {
            throw gate.fail("writing the leader epoch checkpoint of " + tp, e.getCause());
        }
    }

    @Override
    public int latestEpoch() {
        return epochs.latestEpoch();
    }

    @Override
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        writeLock.lock();
        try {
            return epochs.endOffsetFor(epoch, end.offset());
        } finally {
            writeLock.unlock();
        }
    }

    private LogSegment maybeRoll(int bytes, long maxTimestamp, long now) throws IOException {
        LogSegment active = segments.active();
        LogConfig c = config;
        boolean full = active.size() > 0 && (long) active.size() + bytes > c.segmentBytes();
        boolean old = active.size() > 0 && active.timeWaitedForRoll(now, maxTimestamp) > c.segmentMs();
        boolean offsetsOverflow = end.offset() - active.baseOffset() > Integer.MAX_VALUE / 2;
        if (!full && !old && !offsetsOverflow) {
            return active;
        }
        return rollLocked();
    }

    private LogSegment rollLocked() throws IOException {
        LogSegment active = segments.active();
        long newBase = end.offset();
        active.onBecomeInactive();
        LogSegment next = LogSegment.create(dir, newBase, config.indexIntervalBytes(), time, env.channelOpener());
        OffsetCheckpointFile.forceDirectory(dir);
        segments.add(next);
        advanceRecoveryPoint(newBase);
        LOG.debug("Rolled {} to a new segment at offset {}", tp, newBase);
        return next;
    }

    /** Rolls to a new active segment now, unless the active one is empty (tests and tools). */
    void roll() {
        writeLock.lock();
        try {
            ensureOpenAndWritable();
            if (segments.active().size() > 0) {
                LogSegment next = rollLocked();
                end = new LogEnd(end.offset(), next, 0);
            }
        } catch (IOException e) {
            throw gate.fail("rolling " + tp, e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public LogReadResult read(long offset, int maxBytes, long maxOffset) {
        ensureOpen();
        LogEnd e = end;
        long start = logStartOffset();
        if (offset < start || offset > e.offset()) {
            throw new OffsetOutOfRangeException(tp, offset, start, e.offset());
        }
        long bound = Math.min(maxOffset, e.offset());
        if (offset >= bound) {
            return new LogReadResult(MemoryRecords.EMPTY, start, e.offset());
        }
        try {
            for (LogSegment segment = segments.floor(offset); segment != null; segment = segments.higher(segment)) {
                if (segment.baseOffset() >= bound) {
                    break;
                }
                int limit = segment == e.segment() ? e.position() : segment.size();
                if (bound < e.offset() && segments.floor(bound) == segment) {
                    BatchHeader boundary = segment.translateOffset(bound, limit);
                    limit = boundary == null ? limit : boundary.position();
                }
                MemoryRecords records = segment.read(offset, maxBytes, limit, true);
                if (records != null && records.sizeInBytes() > 0) {
                    return new LogReadResult(records, start, e.offset());
                }
            }
            return new LogReadResult(MemoryRecords.EMPTY, start, e.offset());
        } catch (ClosedChannelException closed) {
            if (offset < logStartOffset()) {
                throw new OffsetOutOfRangeException(tp, offset, logStartOffset(), end.offset());
            }
            ensureOpen();
            return read(offset, maxBytes, maxOffset);
        } catch (IOException ex) {
            throw gate.fail("reading " + tp + " at offset " + offset, ex);
        }
    }

    @Override
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        ensureOpen();
        LogEnd e = end;
        try {
            for (LogSegment segment : segments.all()) {
                if (segment.maxTimestampSoFar() < timestamp) {
                    continue;
                }
                int limit = segment == e.segment() ? e.position() : segment.size();
                Optional<TimestampOffset> found = segment.findOffsetByTimestamp(timestamp, logStartOffset(), limit);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        } catch (IOException ex) {
            throw gate.fail("searching " + tp + " by timestamp", ex);
        }
    }

    @Override
    public void truncateTo(long offset) {
        writeLock.lock();
        try {
            ensureOpenAndWritable();
            if (offset >= end.offset()) {
                return;
            }
            if (offset <= logStartOffset()) {
                truncateFullyAndStartAtLocked(offset);
                return;
            }
            long before = end.offset();
            truncations++;
            for (LogSegment segment : segments.from(offset + 1)) {
                deleteSegment(segment, "truncation");
            }
            LogSegment active = segments.active();
            active.truncateTo(offset);
            end = new LogEnd(active.readNextOffset(), active, active.size());
            long newEnd = end.offset();
            updateEpochsLocked(() -> epochs.truncateFromEnd(newEnd));
            synchronized (flushLock) {
                recoveryPoint = Math.min(recoveryPoint, end.offset());
            }
            LogFields.of(LOG.atInfo(), tp).log("Truncated {} to offset {} (was {})", tp, end.offset(), before);
        } catch (IOException e) {
            throw gate.fail("truncating " + tp, e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void truncateFullyAndStartAt(long offset) {
        writeLock.lock();
        try {
            ensureOpenAndWritable();
            truncateFullyAndStartAtLocked(offset);
        } catch (IOException e) {
            throw gate.fail("truncating " + tp, e);
        } finally {
            writeLock.unlock();
        }
    }

    private void truncateFullyAndStartAtLocked(long offset) throws IOException {
        truncations++;
        List<LogSegment> old = segments.all();
        LogSegment fresh = null;
        for (LogSegment segment : old) {
            if (segment.baseOffset() == offset) {
                segments.remove(segment);
                segment.deleteFiles();
            } else {
                deleteSegment(segment, "truncation");
            }
        }
        fresh = LogSegment.create(dir, offset, config.indexIntervalBytes(), time, env.channelOpener());
        segments.add(fresh);
        end = new LogEnd(offset, fresh, 0);
        updateEpochsLocked(epochs::clear);
        synchronized (flushLock) {
            recoveryPoint = offset;
        }
        LogFields.of(LOG.atInfo(), tp).log("Truncated {} fully; it restarts at offset {}", tp, offset);
    }

    /** Removes a segment from the log now and deletes its files after the configured delay. */
    void deleteSegment(LogSegment segment, String reason) throws IOException {
        segments.remove(segment);
        segment.addSuffix(LogFileNames.DELETED_SUFFIX);
        LogFields.of(LOG.atInfo(), tp).log("Deleting segment {} of {} ({})", segment.baseOffset(), tp, reason);
        env.deleteLater(segment, config.fileDeleteDelayMs());
    }

    /** Forces every segment holding offsets below {@code offset} to the device. */
    public void flushUpTo(long offset) {
        if (offset <= recoveryPoint) {
            return;
        }
        synchronized (flushLock) {
            long target = end.offset();
            if (target <= recoveryPoint) {
                return;
            }
            try {
                for (LogSegment segment : segments.from(segments.floor(recoveryPoint).baseOffset())) {
                    if (segment.baseOffset() >= target) {
                        break;
                    }
                    try {
                        segment.flush();
                    } catch (ClosedChannelException e) {
                        ensureOpen();  // the log was closed or deleted under the flush: not an I/O error
                        if (segments.contains(segment)) {
                            throw e;
                        }
                    }
                }
            } catch (IOException e) {
                throw gate.fail("flushing " + tp, e);
            }
            recoveryPoint = Math.max(recoveryPoint, target);
        }
    }

    private void advanceRecoveryPoint(long offset) {
        synchronized (flushLock) {
            recoveryPoint = Math.max(recoveryPoint, offset);
        }
    }

    @Override
    public void flush() {
        ensureOpen();
        flushUpTo(end.offset());
    }

    /** Runs {@code action} holding the write lock (retention and compaction swap segments this way). */
    <T> T withWriteLock(java.util.function.Supplier<T> action) {
        writeLock.lock();
        try {
            ensureOpenAndWritable();
            return action.get();
        } finally {
            writeLock.unlock();
        }
    }

    LogSegments segments() {
        return segments;
    }

    /**
     * How many truncations the log has had. Truncation is the only change to the contents of a
     * segment that is not the active one (it makes that segment active first, then cuts it), so a
     * segment that is still in the log, still inactive, with this count unchanged, holds what it held.
     */
    long truncations() {
        return truncations;
    }

    /** Whether {@link #close} or {@link #delete} has run: the log takes no more work. */
    boolean isClosed() {
        return closed;
    }

    Path dir() {
        return dir;
    }

    LogEnvironment environment() {
        return env;
    }

    @Override
    public long logStartOffset() {
        return segments.first().baseOffset();
    }

    @Override
    public long logEndOffset() {
        return end.offset();
    }

    @Override
    public long recoveryPoint() {
        return recoveryPoint;
    }

    @Override
    public LogConfig config() {
        return config;
    }

    @Override
    public void updateConfig(LogConfig config) {
        this.config = config;
    }

    @Override
    public long sizeInBytes() {
        return segments.sizeInBytes();
    }

    @Override
    public int numberOfSegments() {
        return segments.size();
    }

    private void ensureOpen() {
        if (closed) {
            throw new TributaryException(ErrorCode.PARTITION_NOT_FOUND, "The log of " + tp + " is closed");
        }
    }

    private void ensureOpenAndWritable() {
        ensureOpen();
        gate.ensureWritable();
    }

    /** Flushes everything, writes the final index entries and closes the files. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            if (!gate.failed()) {
                flush();
            }
            closed = true;
            for (LogSegment segment : segments.all()) {
                try {
                    if (gate.failed()) {
                        segment.close();
                    } else {
                        segment.closeAndFlush();
                    }
                } catch (IOException e) {
                    throw gate.fail("closing " + tp, e);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void delete() {
        writeLock.lock();
        try {
            closed = true;
            for (LogSegment segment : segments.all()) {
                segment.deleteFiles();
            }
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new StorageException("Could not delete the files of " + tp + ": " + e, e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "FilePartitionLog(" + tp + ", " + logStartOffset() + ".." + end.offset() + ")";
    }
}
