package io.tributary.log;

import io.tributary.log.segment.LogSegment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Retention for {@code cleanup.policy=delete}: deletes whole segments, oldest first, never the
 * active one.
 * <ul>
 *   <li>By time: a segment whose newest record is older than {@code retention.ms} (by record
 *       timestamp; the file's modification time when no record has one).</li>
 *   <li>By size: while the log would still be at least {@code retention.bytes} without its oldest
 *       segment, that segment goes.</li>
 * </ul>
 * Deletion takes a prefix of the log, so the log start offset only moves forward, to the base
 * offset of the first remaining segment.
 */
final class LogRetention {

    private LogRetention() {
    }

    /** Deletes what retention allows; returns the number of segments deleted. */
    static int deleteOldSegments(FilePartitionLog log) {
        LogConfig config = log.config();
        if (config.cleanupPolicy() != CleanupPolicy.DELETE) {
            return 0;
        }
        return log.withWriteLock(() -> {
            try {
                List<LogSegment> deletable = deletable(log, config, log.environment().time().milliseconds());
                for (LogSegment segment : deletable) {
                    log.deleteSegment(segment, "retention");
                }
                return deletable.size();
            } catch (IOException e) {
                throw log.environment().gate().fail("applying retention to " + log.topicPartition(), e);
            }
        });
    }

    private static List<LogSegment> deletable(FilePartitionLog log, LogConfig config, long nowMs) throws IOException {
        List<LogSegment> all = log.segments().all();
        List<LogSegment> result = new ArrayList<>();
        long remainingBytes = log.sizeInBytes();
        for (int i = 0; i < all.size() - 1; i++) {
            LogSegment segment = all.get(i);
            boolean expired = config.retentionMs() >= 0 && nowMs - segment.largestTimestamp() > config.retentionMs();
            boolean overSize = config.retentionBytes() >= 0 && remainingBytes - segment.size() >= config.retentionBytes();
            if (!expired && !overSize) {
                break;
            }
            result.add(segment);
            remainingBytes -= segment.size();
        }
        return result;
    }
}
