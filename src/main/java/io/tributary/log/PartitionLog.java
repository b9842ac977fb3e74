package io.tributary.log;

import io.tributary.common.TopicPartition;
import io.tributary.log.index.TimestampOffset;
import io.tributary.log.record.MemoryRecords;

import java.io.Closeable;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An append-only, offset-addressed sequence of record batches: one partition's log.
 *
 * <p>Contract, for every implementation:
 * <ul>
 *   <li>Offsets are assigned densely by {@link #append}; {@link #appendAsFollower} keeps the
 *       offsets a leader assigned, which must lie at or after the log end.</li>
 *   <li>The readable log is {@code [logStartOffset, logEndOffset)}. A read never returns a batch
 *       that is not completely written, and returns only whole batches.</li>
 *   <li>An append either lands whole or not at all: invalid input (a bad CRC, a batch over
 *       {@code max.message.bytes}) is refused before anything is written.</li>
 *   <li>The future of an append completes when the append may be acknowledged under the flush
 *       policy: at once (the bytes reached the OS), or after the fsync that covers it.</li>
 * </ul>
 * Thread safety: thread-safe. Writes (append, truncate, roll) are serialised per partition; reads
 * run concurrently with them and never block them.
 */
public interface PartitionLog extends Closeable {

    TopicPartition topicPartition();

    /** Appends client batches, assigning offsets from the log end and the leader epoch. */
    CompletableFuture<AppendResult> append(MemoryRecords records, int leaderEpoch);

    /** Appends batches replicated from a leader, keeping their offsets. */
    CompletableFuture<AppendResult> appendAsFollower(MemoryRecords records);

    /**
     * Reads whole batches from {@code offset}: at most {@code maxBytes}, but always at least one
     * batch if there is one, and nothing at or past {@code maxOffset} (exclusive; the high
     * watermark). Throws {@link io.tributary.common.OffsetOutOfRangeException} outside
     * {@code [logStartOffset, logEndOffset]}.
     */
    LogReadResult read(long offset, int maxBytes, long maxOffset);

    /** The first record with a timestamp at or after {@code timestamp}, if any. */
    Optional<TimestampOffset> offsetForTimestamp(long timestamp);

    long logStartOffset();

    /** The offset the next append will get. */
    long logEndOffset();

    /** Offsets below this are known to be on the device. */
    long recoveryPoint();

    /** The newest leader epoch that wrote to this log, or -1 when none is known. */
    int latestEpoch();

    /**
     * Where leader epoch {@code epoch} ends in this log: the largest known epoch at or below it and
     * the offset after its last record ({@link EpochEndOffset#UNDEFINED} when none is known).
     */
    EpochEndOffset endOffsetForEpoch(int epoch);

    /**
     * Removes every record at or after {@code offset} (a batch that straddles it goes whole), and
     * the leader epochs that start there.
     */
    void truncateTo(long offset);

    /** Removes every record and restarts the log at {@code offset}. */
    void truncateFullyAndStartAt(long offset);

    /** Forces everything appended so far to the device. */
    void flush();

    LogConfig config();

    void updateConfig(LogConfig config);

    long sizeInBytes();

    int numberOfSegments();

    /** Closes and deletes the log's files. */
    void delete();

    @Override
    void close();
}
