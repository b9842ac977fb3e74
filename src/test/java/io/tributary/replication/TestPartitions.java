package io.tributary.replication;

import io.tributary.cluster.PartitionState;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.log.AppendResult;
import io.tributary.log.EpochEndOffset;
import io.tributary.log.LogConfig;
import io.tributary.log.LogReadResult;
import io.tributary.log.MemoryPartitionLog;
import io.tributary.log.PartitionLog;
import io.tributary.log.index.TimestampOffset;
import io.tributary.log.record.MemoryRecords;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Leader partitions over an in-memory log whose high watermark a test holds back: the log's
 * recovery point (and so, under the on-ack rule, the high watermark) stays where the test says.
 */
public final class TestPartitions {

    private TestPartitions() {
    }

    /** A leader of {@code tp} over {@code log}, whose high watermark waits for the log's recovery point. */
    public static Partition leader(TopicPartition tp, HeldLog log) {
        Partition partition = new Partition(tp, log, 1, true, Time.SYSTEM, ReplicationConfig.defaults(),
                (p, expected, isr) -> { });
        partition.makeLeader(new PartitionState(1, 0, List.of(1), 0), List.of(1));
        return partition;
    }

    /** Gives up the leader role, as when leadership moves to another broker or the topic is deleted. */
    public static void stopLeading(Partition partition) {
        partition.stopLeading();
    }

    /** Leads again, in a new leader epoch. */
    public static void leadAgain(Partition partition) {
        PartitionState old = partition.state();
        partition.makeLeader(new PartitionState(1, old.leaderEpoch() + 1, List.of(1), old.version() + 1), List.of(1));
    }

    /** Moves the high watermark as far as the log now allows. */
    public static void advance(Partition partition) {
        partition.maybeAdvanceHighWatermark();
    }

    /** An in-memory log whose recovery point is held at a chosen offset (none: the log end). */
    public static final class HeldLog implements PartitionLog {
        private final MemoryPartitionLog log;
        private volatile long heldAt = -1;

        public HeldLog(TopicPartition tp) {
            this.log = new MemoryPartitionLog(tp, LogConfig.defaults(), Time.SYSTEM);
        }

        /** Holds the recovery point at {@code offset}; -1 lets it follow the log end again. */
        public void holdAt(long offset) {
            heldAt = offset;
        }

        @Override
        public TopicPartition topicPartition() {
            return log.topicPartition();
        }

        @Override
        public CompletableFuture<AppendResult> append(MemoryRecords records, int leaderEpoch) {
            return log.append(records, leaderEpoch);
        }

        @Override
        public CompletableFuture<AppendResult> appendAsFollower(MemoryRecords records) {
            return log.appendAsFollower(records);
        }

        @Override
        public LogReadResult read(long offset, int maxBytes, long maxOffset) {
            return log.read(offset, maxBytes, maxOffset);
        }

        @Override
        public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
            return log.offsetForTimestamp(timestamp);
        }

        @Override
        public int latestEpoch() {
            return log.latestEpoch();
        }

        @Override
        public EpochEndOffset endOffsetForEpoch(int epoch) {
            return log.endOffsetForEpoch(epoch);
        }

        @Override
        public long logStartOffset() {
            return log.logStartOffset();
        }

        @Override
        public long logEndOffset() {
            return log.logEndOffset();
        }

        @Override
        public long recoveryPoint() {
            long held = heldAt;
            return held < 0 ? log.recoveryPoint() : Math.min(held, log.recoveryPoint());
        }

        @Override
        public void truncateTo(long offset) {
            log.truncateTo(offset);
        }

        @Override
        public void truncateFullyAndStartAt(long offset) {
            log.truncateFullyAndStartAt(offset);
        }

        @Override
        public void flush() {
        }

        @Override
        public LogConfig config() {
            return log.config();
        }

        @Override
        public void updateConfig(LogConfig config) {
            log.updateConfig(config);
        }

        @Override
        public long sizeInBytes() {
            return log.sizeInBytes();
        }

        @Override
        public int numberOfSegments() {
            return log.numberOfSegments();
        }

        @Override
        public void delete() {
            log.delete();
        }

        @Override
        public void close() {
            log.close();
        }
    }
}
