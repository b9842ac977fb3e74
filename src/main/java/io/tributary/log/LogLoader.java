package io.tributary.log;

import io.tributary.common.LogFields;
import io.tributary.common.TopicPartition;
import io.tributary.log.checkpoint.LeaderEpochCheckpointFile;
import io.tributary.log.checkpoint.OffsetCheckpointFile;
import io.tributary.log.segment.LogFileNames;
import io.tributary.log.segment.LogSegment;
import io.tributary.log.segment.SegmentRecovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory and brings it to a consistent state.
 *
 * <ol>
 *   <li>Files in transit are settled: {@code .deleted}, {@code .cleaned} and {@code .tmp} files
 *       are removed; a {@code .swap} file (a finished compaction) replaces its original.</li>
 *   <li>Segments that may hold offsets at or after the recovery point are recovered unless the
 *       broker shut down cleanly: every batch is CRC-checked, the indexes rebuilt, and the first
 *       torn or corrupt batch is cut with everything after it, in that segment and in all later
 *       ones. What was cut (bytes, offsets) is logged.</li>
 *   <li>Older segments are opened through their indexes; an index that is missing or does not
 *       make sense is rebuilt by recovering its segment.</li>
 * </ol>
 * Recovery never throws for bad content; only an I/O error fails the load.
 */
final class LogLoader {

    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    private LogLoader() {
    }

    static FilePartitionLog load(TopicPartition tp, Path dir, LogConfig config, long recoveryPoint,
                                 boolean cleanShutdown, LogEnvironment env) throws IOException {
        settleFilesInTransit(dir);
        List<Long> bases = segmentBaseOffsets(dir);
        LogSegments segments = new LogSegments();
        long nextOffset = 0;
        boolean recovered = false;
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            boolean last = i == bases.size() - 1;
            boolean mayHoldUnflushed = last || bases.get(i + 1) > recoveryPoint;
            Path file = LogFileNames.logFile(dir, base);
            Optional<LogSegment> trusted = cleanShutdown || !mayHoldUnflushed
                    ? LogSegment.openTrusted(file, base, config.indexIntervalBytes(), env.channelOpener())
                    : Optional.empty();
            if (trusted.isPresent()) {
                segments.add(trusted.get());
                nextOffset = last ? trusted.get().readNextOffset() : bases.get(i + 1);
                continue;
            }
            if (cleanShutdown || !mayHoldUnflushed) {
                LOG.warn("Index of segment {} of {} is missing or inconsistent; rebuilding it", base, tp);
            }
            LogSegment segment = LogSegment.openForRecovery(file, base, config.indexIntervalBytes(), env.channelOpener());
            SegmentRecovery result = segment.recover(segments.size() == 0 ? base : nextOffset);
            segments.add(segment);
            recovered = true;
            nextOffset = result.nextOffset();
            if (result.truncated()) {
                LogFields.of(LOG.atWarn(), tp).log("Recovery of {} cut {} bytes from segment {} at position {} because"
                        + " of {}: offsets from {} on are lost", tp, result.truncatedBytes(), base, result.validBytes(),
                        result.reason(), nextOffset);
                long laterBytes = deleteLaterSegments(tp, dir, bases.subList(i + 1, bases.size()));
                env.recordRecoveryTruncation(result.truncatedBytes() + laterBytes);
                break;
            }
            if (!last) {
                nextOffset = bases.get(i + 1);
            }
        }
        if (segments.size() == 0) {
            segments.add(LogSegment.create(dir, 0, config.indexIntervalBytes(), env.time(), env.channelOpener()));
        }
        if (recovered) {
            for (LogSegment s : segments.all()) {
                s.flush();
            }
        }
        LOG.debug("Loaded {}: {} segments, log end offset {}", tp, segments.size(), nextOffset);
        LeaderEpochCache epochs = loadEpochs(tp, dir);
        epochs.truncateFromEnd(nextOffset);
        return new FilePartitionLog(tp, dir, config, segments, nextOffset,
                cleanShutdown || recovered ? nextOffset : recoveryPoint, epochs, env);
    }

    /** The leader epochs; an unreadable checkpoint means none known (followers then truncate to the high watermark). */
    private static LeaderEpochCache loadEpochs(TopicPartition tp, Path dir) {
        LeaderEpochCheckpointFile file = new LeaderEpochCheckpointFile(dir);
        try {
            return LeaderEpochCache.load(file);
        } catch (IOException e) {
            LOG.warn("Leader epoch checkpoint of {} is unreadable ({}); starting with no known epochs", tp, e.getMessage());
            return LeaderEpochCache.empty(file);
        }
    }

    /** Deletes the segments after the damaged one; returns their log bytes. */
    private static long deleteLaterSegments(TopicPartition tp, Path dir, List<Long> bases) throws IOException {
        long bytes = 0;
        for (long base : bases) {
            LogFields.of(LOG.atWarn(), tp).log("Recovery of {} deletes segment {}, which follows the damage", tp, base);
            Path logFile = LogFileNames.logFile(dir, base);
            if (Files.exists(logFile)) {
                bytes += Files.size(logFile);
            }
            Files.deleteIfExists(logFile);
            Files.deleteIfExists(LogFileNames.indexFile(dir, base));
            Files.deleteIfExists(LogFileNames.timeIndexFile(dir, base));
        }
        return bytes;
    }

    /** Removes abandoned files and completes interrupted segment swaps. */
    private static void settleFilesInTransit(Path dir) throws IOException {
        for (Path file : list(dir)) {
            String name = file.getFileName().toString();
            if (name.endsWith(LogFileNames.DELETED_SUFFIX) || name.endsWith(LogFileNames.CLEANED_SUFFIX)
                    || name.endsWith(".tmp")) {
                Files.deleteIfExists(file);
            }
        }
        for (Path file : list(dir)) {
            String name = file.getFileName().toString();
            if (name.endsWith(LogFileNames.LOG_SUFFIX + LogFileNames.SWAP_SUFFIX)) {
                String original = name.substring(0, name.length() - LogFileNames.SWAP_SUFFIX.length());
                OptionalLong base = LogFileNames.baseOffsetOf(original, LogFileNames.LOG_SUFFIX);
                if (base.isPresent()) {
                    Files.deleteIfExists(LogFileNames.indexFile(dir, base.getAsLong()));
                    Files.deleteIfExists(LogFileNames.timeIndexFile(dir, base.getAsLong()));
                }
                OffsetCheckpointFile.atomicReplace(file, dir.resolve(original));
                LOG.info("Completed an interrupted compaction swap of {}", dir.resolve(original));
            } else if (name.endsWith(LogFileNames.SWAP_SUFFIX)) {
                Files.deleteIfExists(file);
            }
        }
        for (Path file : list(dir)) {
            String name = file.getFileName().toString();
            OptionalLong base = LogFileNames.baseOffsetOf(name, LogFileNames.INDEX_SUFFIX);
            if (base.isEmpty()) {
                base = LogFileNames.baseOffsetOf(name, LogFileNames.TIME_INDEX_SUFFIX);
            }
            if (base.isPresent() && !Files.exists(LogFileNames.logFile(dir, base.getAsLong()))) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static List<Long> segmentBaseOffsets(Path dir) throws IOException {
        List<Long> bases = new ArrayList<>();
        for (Path file : list(dir)) {
            LogFileNames.baseOffsetOf(file.getFileName().toString(), LogFileNames.LOG_SUFFIX).ifPresent(bases::add);
        }
        bases.sort(null);
        return bases;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
