package io.tributary.replication;

import io.tributary.cluster.PartitionState;
import io.tributary.common.ErrorCode;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.AppendResult;
import io.tributary.log.LogReadResult;
import io.tributary.log.PartitionLog;
import io.tributary.log.record.MemoryRecords;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * This broker's replica of one partition: its log, its role (leader or follower) in the current
 * leader epoch, and, as leader, the high watermark.
 *
 * <p><b>High watermark.</b> The offset below which every in-sync replica has the records (and,
 * under the on-ack flush policy, has them on its device). Consumers never read at or above it.
 * Rule: after every event that can move it (a local append becoming durable, a follower's fetch,
 * an ISR change) the leader computes {@code min(end of each ISR member's log)}, where the leader's
 * own end is its durable end; the high watermark becomes that value only if it is larger. It never
 * goes backwards. Guarded by {@code this}; readers read the volatile field.
 *
 * <p>Thread safety: thread-safe.
 */
public final class Partition {

    private final TopicPartition tp;
    private final PartitionLog log;
    private final int localBrokerId;
    private final boolean highWatermarkWaitsForFsync;
    private final HighWatermarkSignal signal = new HighWatermarkSignal();
    private volatile PartitionState state;
    private volatile boolean leader;
    private volatile long highWatermark;
    private volatile int minInsyncReplicas = 1;

    Partition(TopicPartition tp, PartitionLog log, int localBrokerId, boolean highWatermarkWaitsForFsync) {
        this.tp = tp;
        this.log = log;
        this.localBrokerId = localBrokerId;
        this.highWatermarkWaitsForFsync = highWatermarkWaitsForFsync;
    }

    /** Takes the leader role in {@code newState}'s epoch. */
    synchronized void makeLeader(PartitionState newState) {
        state = newState;
        leader = true;
        maybeAdvanceHighWatermark();
    }

    /** Gives up the leader role (another broker leads, or the session is in doubt). */
    synchronized void makeFollower(PartitionState newState) {
        state = newState;
        leader = false;
    }

    synchronized void stopLeading() {
        leader = false;
    }

    void setMinInsyncReplicas(int value) {
        minInsyncReplicas = value;
    }

    /**
     * Appends client records as leader. The future completes when {@code acks} is satisfied:
     * under {@link Acks#ALL}, once the high watermark has passed the records.
     */
    public CompletableFuture<AppendResult> appendAsLeader(MemoryRecords records, Acks acks) {
        PartitionState s = state;
        if (!leader || s == null) {
            throw new TributaryException(ErrorCode.NOT_LEADER, "Broker " + localBrokerId + " does not lead " + tp);
        }
        if (acks == Acks.ALL && s.isr().size() < minInsyncReplicas) {
            throw new TributaryException(ErrorCode.NOT_ENOUGH_REPLICAS, tp + " has " + s.isr().size()
                    + " in-sync replicas; min.insync.replicas is " + minInsyncReplicas);
        }
        return log.append(records, s.leaderEpoch()).thenApply(result -> {
            maybeAdvanceHighWatermark();
            return result;
        });
    }

    /** Moves the high watermark forward if the in-sync replicas allow it (see the class doc). */
    synchronized void maybeAdvanceHighWatermark() {
        if (!leader) {
            return;
        }
        long localEnd = highWatermarkWaitsForFsync ? Math.min(log.recoveryPoint(), log.logEndOffset()) : log.logEndOffset();
        long candidate = localEnd;
        if (candidate > highWatermark) {
            highWatermark = candidate;
            signal.fire();
        }
    }

    /** Reads committed records only: nothing at or above the high watermark. */
    public LogReadResult read(long offset, int maxBytes) {
        return log.read(offset, maxBytes, highWatermark);
    }

    /** A future completed the next time the high watermark moves (take it before checking). */
    public CompletableFuture<Void> nextHighWatermarkAdvance() {
        return signal.nextAdvance();
    }

    public TopicPartition topicPartition() {
        return tp;
    }

    public boolean isLeader() {
        return leader;
    }

    public PartitionState state() {
        return state;
    }

    public long highWatermark() {
        return highWatermark;
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    public PartitionLog log() {
        return log;
    }

    public List<Integer> isr() {
        PartitionState s = state;
        return s == null ? List.of() : s.isr();
    }
}
