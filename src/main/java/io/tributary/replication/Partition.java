package io.tributary.replication;

import io.tributary.cluster.PartitionState;
import io.tributary.common.ErrorCode;
import io.tributary.common.OffsetOutOfRangeException;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.TributaryException;
import io.tributary.log.AppendResult;
import io.tributary.log.LogReadResult;
import io.tributary.log.PartitionLog;
import io.tributary.log.record.MemoryRecords;
import io.tributary.replication.ReplicationMessages.PartitionData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * This broker's replica of one partition: its log, its role (leader or follower) in the current
 * leader epoch, and, as leader, the followers' progress, the in-sync replicas and the high
 * watermark.
 *
 * <p><b>High watermark.</b> The offset below which every in-sync replica has the records (and,
 * under the on-ack flush policy, the leader has them on its device). Consumers never read at or
 * above it. Rule: after every event that can move it (a local append becoming durable, a
 * follower's fetch, an ISR change) the leader computes {@code min(log end of each ISR member)},
 * the leader's own end being its durable end and a follower's the offset of its latest fetch; the
 * high watermark becomes that value only if it is larger, and only while the ISR has at least
 * {@code min.insync.replicas} members (so nothing is exposed that fewer replicas hold). It never
 * goes backwards. Guarded by {@code this}; readers read the volatile field. A follower's high
 * watermark is {@code min(leader's high watermark, local log end)}, also never backwards.
 *
 * <p><b>ISR.</b> The leader proposes changes (compare-and-set on the partition state through
 * {@link IsrWriter}, one at a time): a follower leaves when it has not been caught up for
 * {@code replica.lag.time.max.ms}; it joins once it has fetched from at or past both the high
 * watermark and the start of the current leader epoch. The change takes effect when the new state
 * comes back through {@link #makeLeader}.
 *
 * <p>Counters (bytes and records appended as leader, bytes read by consumers and by followers)
 * only grow while the replica is open; they are plain adders for the metrics to sample.
 *
 * <p>Thread safety: thread-safe. Role changes, appends as leader, progress and the high watermark
 * are guarded by {@code this}; futures are completed outside it.
 */
public final class Partition {

    /** Writes a leader's ISR change to cluster state. */
    interface IsrWriter {
        /** Proposes {@code newIsr} over {@code expected} (compare-and-set); asynchronous. */
        void propose(Partition partition, PartitionState expected, List<Integer> newIsr);
    }

    private final TopicPartition tp;
    private final PartitionLog log;
    private final int localBrokerId;
    private final boolean highWatermarkWaitsForFsync;
    private final Time time;
    private final ReplicationConfig config;
    private final IsrWriter isrWriter;
    private final HighWatermarkSignal signal = new HighWatermarkSignal();
    private final HighWatermarkSignal dataSignal = new HighWatermarkSignal();
    private final AckWaiters ackWaiters = new AckWaiters();
    private final Map<Integer, ReplicaProgress> progress = new HashMap<>();
    private volatile PartitionState state;
    private volatile boolean leader;
    private volatile long highWatermark;
    private volatile int minInsyncReplicas = 1;
    private long leaderEpochStartOffset;
    private boolean isrChangePending;
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder replicationBytesOut = new LongAdder();

    Partition(TopicPartition tp, PartitionLog log, int localBrokerId, boolean highWatermarkWaitsForFsync, Time time,
              ReplicationConfig config, IsrWriter isrWriter) {
        this.tp = tp;
        this.log = log;
        this.localBrokerId = localBrokerId;
        this.highWatermarkWaitsForFsync = highWatermarkWaitsForFsync;
        this.time = time;
        this.config = config;
        this.isrWriter = isrWriter;
    }

    /**
     * Takes the leader role in {@code newState}'s epoch, or, in the same epoch, takes its new ISR.
     * A new epoch starts every follower's progress afresh (ISR members count as caught up now).
     */
    void makeLeader(PartitionState newState, List<Integer> replicas) {
        synchronized (this) {
            PartitionState old = state;
            boolean newEpoch = !leader || old == null || old.leaderEpoch() != newState.leaderEpoch();
            if (!newEpoch && old.version() > newState.version()) {
                return;
            }
            state = newState;
            isrChangePending = false;
            if (newEpoch) {
                leader = true;
                leaderEpochStartOffset = log.logEndOffset();
                progress.clear();
                long now = time.milliseconds();
                for (int r : replicas) {
                    if (r != localBrokerId) {
                        progress.put(r, new ReplicaProgress(newState.isr().contains(r) ? now : 0));
                    }
                }
            } else {
                for (int r : replicas) {
                    if (r != localBrokerId) {
                        progress.putIfAbsent(r, new ReplicaProgress(0));
                    }
                }
            }
        }
        maybeAdvanceHighWatermark();
        if (newState.isr().size() < minInsyncReplicas) {
            ackWaiters.failAll(new TributaryException(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND, tp + " has "
                    + newState.isr().size() + " in-sync replicas; min.insync.replicas is " + minInsyncReplicas));
        }
    }

    /** Follows {@code newState}'s leader (or waits for one): no acknowledgements from here. */
    void makeFollower(PartitionState newState) {
        synchronized (this) {
            state = newState;
            leader = false;
            progress.clear();
        }
        ackWaiters.failAll(notLeader());
        dataSignal.fire();
        signal.fire();
    }

    /** Gives up the leader role at once (the ZooKeeper session is in doubt, or the broker stops). */
    void stopLeading() {
        synchronized (this) {
            leader = false;
        }
        ackWaiters.failAll(notLeader());
        dataSignal.fire();
        signal.fire();
    }

    void setMinInsyncReplicas(int value) {
        minInsyncReplicas = value;
    }

    /**
     * Appends client records as leader. The future completes when {@code acks} is satisfied:
     * under {@link Acks#ALL}, once the high watermark has passed the records. With fewer in-sync
     * replicas than {@code min.insync.replicas}, {@code acks=all} is refused before anything is written.
     */
    public CompletableFuture<AppendResult> appendAsLeader(MemoryRecords records, Acks acks) {
        CompletableFuture<AppendResult> appended;
        synchronized (this) {
            PartitionState s = state;
            if (!leader || s == null) {
                throw notLeader();
            }
            if (acks == Acks.ALL && s.isr().size() < minInsyncReplicas) {
                throw new TributaryException(ErrorCode.NOT_ENOUGH_REPLICAS, tp + " has " + s.isr().size()
                        + " in-sync replicas; min.insync.replicas is " + minInsyncReplicas);
            }
            appended = log.append(records, s.leaderEpoch());
        }
        dataSignal.fire();
        return appended.thenCompose(result -> {
            bytesIn.add(result.bytes());
            messagesIn.add(result.nextOffset() - result.firstOffset());
            maybeAdvanceHighWatermark();
            if (acks != Acks.ALL) {
                return CompletableFuture.completedFuture(result);
            }
            return ackWaiters.await(result.nextOffset(), () -> highWatermark, config.ackTimeoutMs())
                    .thenApply(ignored -> result);
        });
    }

    /** Appends batches fetched from the leader, keeping their offsets and epochs. */
    CompletableFuture<AppendResult> appendAsFollower(MemoryRecords records) {
        if (leader) {
            throw new TributaryException(ErrorCode.INVALID_REQUEST, "Broker " + localBrokerId + " leads " + tp);
        }
        return log.appendAsFollower(records);
    }

    /**
     * Serves a follower's fetch: records its progress, maybe proposes it for the ISR, maybe moves
     * the high watermark, and reads from {@code fetchOffset} up to the log end.
     */
    PartitionData readForFollower(int replicaId, long fetchOffset, int maxBytes) {
        PartitionState s;
        synchronized (this) {
            s = state;
            ReplicaProgress p = progress.get(replicaId);
            if (!leader || p == null) {
                return error(leader ? ErrorCode.INVALID_REQUEST.name() : ErrorCode.NOT_LEADER.name());
            }
            if (fetchOffset > log.logEndOffset()) {
                return error(ErrorCode.OFFSET_OUT_OF_RANGE.name());
            }
            p.onFetch(fetchOffset, log.logEndOffset(), time.milliseconds());
            maybeExpandIsrLocked(replicaId, p);
        }
        maybeAdvanceHighWatermark();
        try {
            LogReadResult read = log.read(fetchOffset, maxBytes, Long.MAX_VALUE);
            replicationBytesOut.add(read.records().sizeInBytes());
            return new PartitionData(tp, "", highWatermark, read.logStartOffset(), read.logEndOffset(), read.records());
        } catch (OffsetOutOfRangeException e) {
            return error(ErrorCode.OFFSET_OUT_OF_RANGE.name());
        }
    }

    PartitionData error(String code) {
        return new PartitionData(tp, code, highWatermark, log.logStartOffset(), log.logEndOffset(), MemoryRecords.EMPTY);
    }

    private void maybeExpandIsrLocked(int replicaId, ReplicaProgress p) {
        PartitionState s = state;
        if (isrChangePending || s.isr().contains(replicaId)
                || p.logEndOffset() < highWatermark || p.logEndOffset() < leaderEpochStartOffset) {
            return;
        }
        List<Integer> newIsr = new ArrayList<>(s.isr());
        newIsr.add(replicaId);
        isrChangePending = true;
        isrWriter.propose(this, s, newIsr);
    }

    /** Proposes removing followers that have not been caught up for {@code replica.lag.time.max.ms}. */
    void maybeShrinkIsr() {
        synchronized (this) {
            PartitionState s = state;
            if (!leader || s == null || isrChangePending) {
                return;
            }
            long now = time.milliseconds();
            List<Integer> newIsr = new ArrayList<>();
            for (int r : s.isr()) {
                ReplicaProgress p = progress.get(r);
                boolean lagging = r != localBrokerId && (p == null || now - p.lastCaughtUpTimeMs() > config.replicaLagTimeMaxMs());
                if (!lagging) {
                    newIsr.add(r);
                }
            }
            if (newIsr.size() == s.isr().size()) {
                return;
            }
            isrChangePending = true;
            isrWriter.propose(this, s, newIsr);
        }
    }

    /** The ISR proposal failed (someone else changed the state first); the next event proposes again. */
    synchronized void isrChangeFailed() {
        isrChangePending = false;
    }

    /** Moves the high watermark forward if the in-sync replicas allow it (see the class doc). */
    void maybeAdvanceHighWatermark() {
        long moved;
        synchronized (this) {
            PartitionState s = state;
            if (!leader || s == null || s.isr().size() < minInsyncReplicas) {
                return;
            }
            long candidate = highWatermarkWaitsForFsync ? Math.min(log.recoveryPoint(), log.logEndOffset()) : log.logEndOffset();
            for (int r : s.isr()) {
                if (r != localBrokerId) {
                    ReplicaProgress p = progress.get(r);
                    candidate = Math.min(candidate, p == null ? -1 : p.logEndOffset());
                }
            }
            if (candidate <= highWatermark) {
                return;
            }
            highWatermark = candidate;
            moved = candidate;
        }
        signal.fire();
        dataSignal.fire();
        ackWaiters.completeUpTo(moved);
    }

    /** As follower: the leader's high watermark, capped at the local log end; never backwards. */
    void updateFollowerHighWatermark(long leaderHighWatermark) {
        long moved;
        synchronized (this) {
            long candidate = Math.min(leaderHighWatermark, log.logEndOffset());
            if (leader || candidate <= highWatermark) {
                return;
            }
            highWatermark = candidate;
            moved = candidate;
        }
        signal.fire();
    }

    /** After the log was truncated as follower: the high watermark cannot stay above the log end. */
    synchronized void onTruncated() {
        highWatermark = Math.min(highWatermark, log.logEndOffset());
    }

    /** Reads committed records only: nothing at or above the high watermark. */
    public LogReadResult read(long offset, int maxBytes) {
        LogReadResult read = log.read(offset, maxBytes, highWatermark);
        bytesOut.add(read.records().sizeInBytes());
        return read;
    }

    /**
     * A future completed the next time the high watermark moves or the role changes (take it before
     * checking), so a reader waiting on a leader learns at once that it no longer leads.
     */
    public CompletableFuture<Void> nextHighWatermarkAdvance() {
        return signal.nextAdvance();
    }

    /** A future completed at the next append, high watermark move or role change (for follower fetches). */
    CompletableFuture<Void> nextDataChange() {
        return dataSignal.nextAdvance();
    }

    private TributaryException notLeader() {
        return new TributaryException(ErrorCode.NOT_LEADER, "Broker " + localBrokerId + " does not lead " + tp);
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

    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    /** Bytes of record batches appended as leader since this replica was opened. */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Records appended as leader since this replica was opened. */
    public long messagesIn() {
        return messagesIn.sum();
    }

    /** Bytes of committed records read by consumers (not followers). */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /** Bytes read by followers' fetches. */
    public long replicationBytesOut() {
        return replicationBytesOut.sum();
    }

    int pendingAcks() {
        return ackWaiters.size();
    }
}
