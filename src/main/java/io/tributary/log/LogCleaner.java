package io.tributary.log;

import io.tributary.common.CorruptRecordException;
import io.tributary.common.LogFields;
import io.tributary.log.SegmentCompactor.CleanedCopy;
import io.tributary.log.checkpoint.OffsetCheckpointFile;
import io.tributary.log.segment.ChannelOpener;
import io.tributary.log.segment.LogFileNames;
import io.tributary.log.segment.LogSegment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction for {@code cleanup.policy=compact}: keeps the latest record of every key, with its
 * original offset, and drops the rest. Kafka's semantics:
 * <ul>
 *   <li>Only inactive segments are cleaned; the active segment is never touched. The key map
 *       covers every record below the active segment's base offset, and records in the active
 *       segment do not count as newer ones (Kafka does the same: the active segment is still
 *       being written, so it is neither cleaned nor used to clean).</li>
 *   <li>Offsets are never renumbered. A record keeps its offset; removed ones leave gaps, and a
 *       read at a removed offset returns the next record that survived.</li>
 *   <li>A tombstone (null value) that is the latest of its key stays until the largest timestamp
 *       of its segment is more than {@code delete.retention.ms} old, so consumers have that long to
 *       see the delete; then it goes too.</li>
 *   <li>Records without a key stay (see {@link SegmentCompactor}).</li>
 * </ul>
 *
 * <h2>A round, for one log</h2>
 * <ol>
 *   <li>Take the segments under the write lock: all but the last (active) one are inactive.</li>
 *   <li>Pass one, no lock: read them all into a {@link KeyOffsetMap}. Its counts say which
 *       segments have anything to remove; the others are not rewritten.</li>
 *   <li>Pass two, per segment with something to remove, oldest first, no lock: write the compacted
 *       copy as {@code <base>.log.cleaned} (and {@code .index.cleaned}, {@code .timeindex.cleaned})
 *       and force it ({@link SegmentCompactor}).</li>
 *   <li>Under the write lock, check that the log still holds that very segment object, that it is
 *       still inactive, and that the log has not been truncated since step 1 (truncation is the one
 *       thing that changes an inactive segment, and makes it active first). If anything changed,
 *       delete the copy and abandon the rest of the round. Otherwise swap, still under the lock:
 *       <ol type="a">
 *         <li>rename {@code .log.cleaned} to {@code .log.swap} and force the directory;</li>
 *         <li>rename the original's files to {@code .deleted} (its object keeps its open channel
 *             for readers that already hold it, and is closed and deleted after
 *             {@code file.delete.delay.ms}, as {@link FilePartitionLog#deleteSegment} does);</li>
 *         <li>rename {@code .log.swap} to {@code <base>.log} atomically and force the directory;
 *             move the index files to their usual names;</li>
 *         <li>open the new segment through its indexes and put it in the log's place of the old
 *             one. Readers from then on see the compacted data.</li>
 *       </ol>
 *       A copy that kept nothing replaces nothing: the original is deleted instead, unless it is
 *       the log's first segment, whose base offset is the log start offset and stays.</li>
 * </ol>
 * Only the checks and renames hold the lock; appends, rolls and reads carry on during the passes.
 * Segments go oldest first and an abandoned swap ends the round, so a tombstone never goes while an
 * older record of its key is still in the log.
 *
 * <h2>Crash safety</h2>
 * {@link LogLoader} deletes {@code .cleaned} and {@code .deleted} files and completes a
 * {@code .log.swap} (rebuilding that segment's indexes), so a crash leaves the old segment
 * (before step a) or the new one (after it). A {@code .swap} file only ever exists for a segment
 * checked under the lock, and the lock is held until it is in place, so a truncation can never
 * meet a stale swap that a restart would then complete.
 *
 * <h2>Rounds that can be skipped</h2>
 * After a complete round a log needs no other until a segment becomes inactive (the active base
 * offset moves), the log is truncated, {@code delete.retention.ms} changes, or the first retained
 * tombstone becomes old enough to go. Until then a round returns at once without reading.
 *
 * <p>Not done: the key map is unbounded (see {@link KeyOffsetMap}); small adjacent segments are
 * not merged (a segment left empty is deleted instead); cleaning does not stop at the high
 * watermark, which this layer does not know, so records above it that a later truncation removes
 * may already have removed older records of their keys.
 *
 * <p>Thread safety: thread-safe; rounds run one at a time.
 */
final class LogCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    /** Points in a segment swap, reported to the listener (tests stop there to simulate a crash). */
    enum Step {
        /** The compacted copy is on the device under its {@code .cleaned} names; no lock is held. */
        CLEANED_COPY_WRITTEN,
        /** Under the lock: the copy has been renamed {@code .log.swap}; the original is untouched. */
        SWAP_FILE_READY,
        /** Under the lock: the original's files are renamed {@code .deleted}; the swap is not done. */
        ORIGINAL_RENAMED
    }

    private final Consumer<Step> listener;
    private final Map<FilePartitionLog, CleanState> lastRounds = new HashMap<>();

    LogCleaner() {
        this(step -> { });
    }

    LogCleaner(Consumer<Step> listener) {
        this.listener = listener;
    }

    /** Cleans every compacted log in {@code logs} whose directory has not failed; returns the records removed. */
    synchronized long cleanAll(Collection<FilePartitionLog> logs) {
        lastRounds.keySet().retainAll(new HashSet<>(logs));
        long removed = 0;
        for (FilePartitionLog log : logs) {
            if (!log.environment().gate().failed()) {
                removed += clean(log);
            }
        }
        return removed;
    }

    /** Runs a round on {@code log} if it is compacted and may need one; returns the records removed. */
    synchronized long clean(FilePartitionLog log) {
        LogConfig config = log.config();
        if (config.cleanupPolicy() != CleanupPolicy.COMPACT || log.isClosed()) {
            lastRounds.remove(log);
            return 0;
        }
        long nowMs = log.environment().time().milliseconds();
        CleanState last = lastRounds.remove(log);
        if (last != null && last.stillClean(log, config, nowMs)) {
            lastRounds.put(log, last);
            return 0;
        }
        try {
            return cleanRound(log, config, nowMs);
        } catch (CorruptRecordException e) {
            LOG.error("Cannot compact {}: {}. It is skipped until it rolls a new segment", log.topicPartition(),
                    e.getMessage());
            lastRounds.put(log, new CleanState(log.segments().active().baseOffset(), log.truncations(),
                    config.deleteRetentionMs(), Long.MAX_VALUE));
            return 0;
        } catch (RuntimeException e) {
            if (log.isClosed()) {
                LOG.debug("{} closed during compaction", log.topicPartition());
                return 0;
            }
            throw e;
        }
    }

    private long cleanRound(FilePartitionLog log, LogConfig config, long nowMs) {
        Round round = log.withWriteLock(() -> new Round(log.segments().all(), log.truncations()));
        List<LogSegment> inactive = round.inactive();
        KeyOffsetMap map;
        try {
            map = KeyOffsetMap.build(inactive);
        } catch (IOException e) {
            return abandonOrFail(log, round, e, 0);
        }
        long removed = 0;
        long tombstoneExpiryMs = Long.MAX_VALUE;
        for (int i = 0; i < inactive.size(); i++) {
            LogSegment segment = inactive.get(i);
            SwapResult result;
            try {
                boolean expired = nowMs - segment.largestTimestamp() > config.deleteRetentionMs();
                if (!map.hasSupersededRecords(i) && (map.tombstones(i) == 0 || !expired)) {
                    if (map.tombstones(i) > 0) {
                        tombstoneExpiryMs = Math.min(tombstoneExpiryMs, expiryMs(segment, config));
                    }
                    continue;
                }
                result = cleanSegment(log, round, segment, map, expired);
            } catch (IOException e) {
                return abandonOrFail(log, round, e, removed);
            }
            if (!result.swapped()) {
                return removed;
            }
            removed += result.recordsRemoved();
            tombstoneExpiryMs = Math.min(tombstoneExpiryMs, result.tombstoneExpiryMs());
        }
        lastRounds.put(log, new CleanState(round.activeBaseOffset(), round.truncations(), config.deleteRetentionMs(),
                tombstoneExpiryMs));
        LOG.debug("Compacted {}: {} keys below offset {}, {} records removed", log.topicPartition(), map.size(),
                round.activeBaseOffset(), removed);
        return removed;
    }

    private SwapResult cleanSegment(FilePartitionLog log, Round round, LogSegment segment, KeyOffsetMap map,
                                    boolean removeTombstones) throws IOException {
        CleanedCopy copy = SegmentCompactor.writeCleanedCopy(log, segment, map, removeTombstones);
        listener.accept(Step.CLEANED_COPY_WRITTEN);
        SwapResult result = log.withWriteLock(() -> swapLocked(log, round, segment, copy));
        if (result.swapped()) {
            LogFields.of(LOG.atInfo(), log.topicPartition()).log("Compacted segment {} of {}: {} records removed,"
                    + " {} bytes -> {}", segment.baseOffset(), log.topicPartition(), copy.recordsRemoved(),
                    segment.size(), copy.sizeInBytes());
        }
        return result;
    }

    /** Swaps {@code copy} in for {@code original} if the log still holds it as it was read; holds the lock. */
    private SwapResult swapLocked(FilePartitionLog log, Round round, LogSegment original, CleanedCopy copy) {
        LogSegments segments = log.segments();
        try {
            if (!segments.contains(original) || segments.active() == original
                    || log.truncations() != round.truncations()) {
                LOG.info("Abandoning compaction of {}: segment {} changed while it was being compacted",
                        log.topicPartition(), original.baseOffset());
                copy.deleteFiles();
                return SwapResult.ABANDONED;
            }
            if (copy.recordsRetained() == 0 && segments.first() != original) {
                copy.deleteFiles();
                log.deleteSegment(original, "compaction left nothing in it");
                return new SwapResult(true, copy.recordsRemoved(), Long.MAX_VALUE);
            }
            LogSegment replacement = swapFilesLocked(log, original, copy);
            segments.replace(replacement);
            log.environment().deleteLater(original, log.config().fileDeleteDelayMs());
            long expiry = copy.tombstonesRetained() > 0 ? expiryMs(replacement, log.config()) : Long.MAX_VALUE;
            return new SwapResult(true, copy.recordsRemoved(), expiry);
        } catch (IOException e) {
            throw log.environment().gate().fail("swapping in compacted segment " + original.baseOffset() + " of "
                    + log.topicPartition(), e);
        }
    }

    /** Steps a to c of the swap; returns the new segment, opened. */
    private LogSegment swapFilesLocked(FilePartitionLog log, LogSegment original, CleanedCopy copy) throws IOException {
        Path dir = log.dir();
        long base = original.baseOffset();
        Path logFile = LogFileNames.logFile(dir, base);
        Path swap = logFile.resolveSibling(logFile.getFileName() + LogFileNames.SWAP_SUFFIX);
        OffsetCheckpointFile.atomicReplace(copy.logFile(), swap);
        listener.accept(Step.SWAP_FILE_READY);
        original.addSuffix(LogFileNames.DELETED_SUFFIX);
        listener.accept(Step.ORIGINAL_RENAMED);
        OffsetCheckpointFile.atomicReplace(swap, logFile);
        Files.move(copy.indexFile(), LogFileNames.indexFile(dir, base), StandardCopyOption.REPLACE_EXISTING);
        Files.move(copy.timeIndexFile(), LogFileNames.timeIndexFile(dir, base), StandardCopyOption.REPLACE_EXISTING);
        return open(log, logFile, base);
    }

    /** Opens the swapped-in segment through the indexes just written; rebuilds them if they will not do. */
    private static LogSegment open(FilePartitionLog log, Path logFile, long base) throws IOException {
        int indexIntervalBytes = log.config().indexIntervalBytes();
        ChannelOpener opener = log.environment().channelOpener();
        Optional<LogSegment> trusted = LogSegment.openTrusted(logFile, base, indexIntervalBytes, opener);
        if (trusted.isPresent()) {
            return trusted.get();
        }
        LOG.warn("Indexes of compacted segment {} of {} are unusable; rebuilding them", base, log.topicPartition());
        LogSegment segment = LogSegment.openForRecovery(logFile, base, indexIntervalBytes, opener);
        segment.recover(base);
        segment.onBecomeInactive();
        return segment;
    }

    /**
     * An I/O error outside the lock is the log changing under the round (a segment deleted by
     * truncation, the log closed) or a real failure of the directory.
     */
    private long abandonOrFail(FilePartitionLog log, Round round, IOException e, long removed) {
        boolean changed = log.isClosed() || log.truncations() != round.truncations()
                || !round.inactive().stream().allMatch(log.segments()::contains);
        if (changed) {
            LOG.info("Abandoning compaction of {}: the log changed while it was being read ({})", log.topicPartition(),
                    e.toString());
            return removed;
        }
        throw log.environment().gate().fail("compacting " + log.topicPartition(), e);
    }

    /** When the tombstones of {@code segment} may go: once now is past this. */
    private static long expiryMs(LogSegment segment, LogConfig config) throws IOException {
        long largest = segment.largestTimestamp();
        long retention = config.deleteRetentionMs();
        return largest > Long.MAX_VALUE - retention ? Long.MAX_VALUE : largest + retention;
    }

    /** The segments a round works on, taken under the lock, and the log's truncation count then. */
    private record Round(List<LogSegment> segments, long truncations) {

        List<LogSegment> inactive() {
            return segments.subList(0, segments.size() - 1);
        }

        long activeBaseOffset() {
            return segments.get(segments.size() - 1).baseOffset();
        }
    }

    /** How a segment swap ended: done (replaced or deleted), or abandoned because the log changed. */
    private record SwapResult(boolean swapped, long recordsRemoved, long tombstoneExpiryMs) {
        static final SwapResult ABANDONED = new SwapResult(false, 0, Long.MAX_VALUE);
    }

    /** What the last complete round of a log saw; while it all still holds, the log needs no round. */
    private record CleanState(long activeBaseOffset, long truncations, long deleteRetentionMs,
                              long tombstoneExpiryMs) {

        boolean stillClean(FilePartitionLog log, LogConfig config, long nowMs) {
            return log.segments().active().baseOffset() == activeBaseOffset && log.truncations() == truncations
                    && config.deleteRetentionMs() == deleteRetentionMs && nowMs <= tombstoneExpiryMs;
        }
    }
}
